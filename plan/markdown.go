package plan

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/cachetsync/cachetsync/internal/safetext"
)

// RenderMarkdown writes the plan as GitHub-flavoured Markdown, for a
// pull-request comment or $GITHUB_STEP_SUMMARY: a heading, a table of
// counts, the plan-wide warnings, one section per operation with a table of
// its changed fields (long text diffed in a folded ```diff block), its notes
// and warnings, and the plan-wide notes. Values are shown as code, so that
// pipes, backticks and markup in names and descriptions render literally.
// Subscriber e-mails are masked unless o.ShowEmails; o.Color is ignored.
func RenderMarkdown(w io.Writer, p *Plan, o RenderOptions) error {
	var b strings.Builder
	b.WriteString("## cachetsync plan\n\n")
	fmt.Fprintf(&b, "**%s**\n\n", SummaryLine(p))
	if !p.Empty() {
		s := p.Summary()
		b.WriteString("| Create | Update | Delete |\n|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %d | %d | %d |\n\n", s.Create, s.Update, s.Delete)
	}
	if len(p.Warnings) > 0 {
		b.WriteString("> [!WARNING]\n")
		for _, warn := range p.Warnings {
			fmt.Fprintf(&b, "> - %s\n", mdText(warn))
		}
		b.WriteString("\n")
	}
	for _, op := range p.Ops {
		writeMarkdownOp(&b, op, o)
	}
	if len(p.Notes) > 0 {
		b.WriteString("**Notes**\n\n")
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

func writeMarkdownOp(b *strings.Builder, op Op, o RenderOptions) {
	fmt.Fprintf(b, "### `%s` %s %s\n\n", op.Action.Symbol(), op.Action, mdText(op.Title(o.ShowEmails)))
	type folded struct {
		field         string
		before, after string
	}
	var diffs []folded
	if len(op.Changes) > 0 {
		b.WriteString("| Field | Before | After |\n|---|---|---|\n")
	}
	for _, c := range op.Changes {
		before, after := c.Before, c.After
		if op.Kind == KindSubscriber && c.Field == "email" && !o.ShowEmails {
			before, after = maskAny(before), maskAny(after)
		}
		beforeCell, afterCell := mdValue(before), mdValue(after)
		switch {
		case op.Action == Delete:
			afterCell = ""
		case before == nil:
			beforeCell = ""
		}
		if op.Action != Delete && (IsLongText(before) || IsLongText(after)) {
			bs, as := "", fmt.Sprint(after)
			if before != nil {
				bs = fmt.Sprint(before)
			}
			diffs = append(diffs, folded{c.Field, bs, as})
			if before != nil {
				beforeCell = "_see the diff below_"
			}
			afterCell = "_see the diff below_"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", mdText(c.Field), beforeCell, afterCell)
	}
	if len(op.Changes) > 0 {
		b.WriteString("\n")
	}
	for _, d := range diffs {
		body := lineDiff(safetext.Text(d.before), safetext.Text(d.after))
		fence := codeFence(body)
		fmt.Fprintf(b, "<details><summary>%s</summary>\n\n%sdiff\n%s%s\n\n</details>\n\n", html.EscapeString(d.field), fence, body, fence)
	}
	for _, n := range op.Notes {
		fmt.Fprintf(b, "- Note: %s\n", mdText(n))
	}
	for _, warn := range op.Warnings {
		fmt.Fprintf(b, "- **Warning:** %s\n", mdText(warn))
	}
	if len(op.Notes)+len(op.Warnings) > 0 {
		b.WriteString("\n")
	}
}

// mdValue renders a field value for a table cell: FormatValue's text as a
// code span, or nothing for a missing value.
func mdValue(v any) string {
	if v == nil {
		return ""
	}
	return codeSpan(FormatValue(v))
}

// codeSpan wraps s in a code span that survives a table cell: the fence is
// longer than any run of backticks in s, and pipes are escaped (GitHub
// unescapes them inside code in tables).
func codeSpan(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdText escapes text so that it renders as written, also inside a table
// cell: Markdown punctuation is backslash-escaped and line breaks become
// spaces.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range safetext.Line(s) {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// codeFence returns a backtick fence longer than any run of backticks in
// body, at least three.
func codeFence(body string) string {
	return strings.Repeat("`", max(3, longestRun(body, '`')+1))
}

// lineDiff renders a line-based unified-style diff of two texts: each line
// prefixed "-", "+" or " ", every line ending in a newline.
func lineDiff(before, after string) string {
	if before == "" || after == "" {
		prefix, text := "+", after
		if after == "" {
			prefix, text = "-", before
		}
		if text == "" {
			return ""
		}
		return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix) + "\n"
	}
	dmp := diffmatchpatch.New()
	// A final newline on both sides keeps an unchanged last line equal.
	a, b, lines := dmp.DiffLinesToChars(before+"\n", after+"\n")
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		prefix := " "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			prefix = "-"
		case diffmatchpatch.DiffInsert:
			prefix = "+"
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if line == "" {
				continue
			}
			out.WriteString(prefix + strings.TrimSuffix(line, "\n") + "\n")
		}
	}
	return out.String()
}

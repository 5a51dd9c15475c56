package render

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/cachetsync/cachetsync/internal/safetext"
	"github.com/cachetsync/cachetsync/plan"
)

// DefaultMarkdownMaxBytes is the default bound of a Markdown plan: under
// GitHub's 65,536 characters for a comment, with room for a marker line.
const DefaultMarkdownMaxBytes = 65000

// Markdown writes the plan as GitHub-flavoured Markdown, for a
// pull-request comment or $GITHUB_STEP_SUMMARY: a heading, a table of
// counts, the plan-wide warnings, one section per operation with a table of
// its changed fields (long text diffed in a folded ```diff block), its notes
// and warnings, and the plan-wide notes. Values are shown as code, so that
// pipes, backticks and markup in names and descriptions render literally.
// Subscriber e-mails are masked unless o.ShowEmails; o.Color is ignored.
//
// With o.MaxBytes, a plan that would be longer is made to fit: the longest
// runs of operations of one kind and action are folded, longest first, into
// a <details> list of one line per operation; if that is not enough, the
// operations at the end are left out and a line says how many, and how to
// see them all.
func Markdown(w io.Writer, p *plan.Plan, o Options) error {
	var head strings.Builder
	head.WriteString("## cachetsync plan\n\n")
	fmt.Fprintf(&head, "**%s**\n\n", SummaryLine(p))
	if !p.Empty() {
		s := p.Summary()
		head.WriteString("| Create | Update | Delete |\n|---:|---:|---:|\n")
		fmt.Fprintf(&head, "| %d | %d | %d |\n\n", s.Create, s.Update, s.Delete)
	}
	if len(p.Warnings) > 0 {
		head.WriteString("> [!WARNING]\n")
		for _, warn := range p.Warnings {
			fmt.Fprintf(&head, "> - %s\n", mdText(warn))
		}
		head.WriteString("\n")
	}
	var tail strings.Builder
	if len(p.Notes) > 0 {
		tail.WriteString("**Notes**\n\n")
		for _, n := range p.Notes {
			fmt.Fprintf(&tail, "- %s\n", mdText(n))
		}
		tail.WriteString("\n")
	}
	blocks := make([]string, len(p.Ops))
	for i, op := range p.Ops {
		var b strings.Builder
		writeMarkdownOp(&b, op, o)
		blocks[i] = b.String()
	}
	body := fitMarkdown(p.Ops, blocks, o, o.MaxBytes-head.Len()-tail.Len())
	_, err := io.WriteString(w, strings.TrimRight(head.String()+body+tail.String(), "\n")+"\n")
	return err
}

// markdownRun is a run of consecutive operations of one kind and action.
type markdownRun struct {
	start, end int // ops[start:end]
	size       int // bytes of their full sections
	folded     bool
}

// fitMarkdown returns the operations' sections, folded and cut to fit in
// budget bytes when budget is positive (see Markdown).
func fitMarkdown(ops []plan.Op, blocks []string, o Options, budget int) string {
	full := strings.Join(blocks, "")
	if o.MaxBytes <= 0 || len(full) <= budget {
		return full
	}
	budget = max(budget, 1) // the heading and warnings alone are too long: show no operation
	var runs []*markdownRun
	for i := range ops {
		if len(runs) == 0 || ops[i].Kind != ops[runs[len(runs)-1].start].Kind || ops[i].Action != ops[runs[len(runs)-1].start].Action {
			runs = append(runs, &markdownRun{start: i, end: i})
		}
		r := runs[len(runs)-1]
		r.end = i + 1
		r.size += len(blocks[i])
	}
	// Fold the longest runs first until the whole fits, counting sizes
	// rather than rendering at each step (a plan may have many runs).
	bySize := slices.Clone(runs)
	slices.SortStableFunc(bySize, func(a, b *markdownRun) int { return b.size - a.size })
	total := len(full)
	for _, r := range bySize {
		if total <= budget {
			break
		}
		if folded := foldedSize(ops[r.start:r.end], o); folded < r.size {
			r.folded = true
			total += folded - r.size
		}
	}
	if out, _ := renderRuns(ops, blocks, runs, o, 0); len(out) <= budget {
		return out
	}
	// Still too long: leave out operations at the end.
	out, _ := renderRuns(ops, blocks, runs, o, budget)
	return out
}

// foldedSize is the length of a run of ops folded by renderRuns.
func foldedSize(ops []plan.Op, o Options) int {
	n := len(foldedOpen(ops)) + len(foldedClose)
	for _, op := range ops {
		n += len(foldedLine(op, o))
	}
	return n
}

// foldedOpen opens a folded run of ops of one kind and action.
func foldedOpen(ops []plan.Op) string {
	return fmt.Sprintf("<details><summary>%d %s to %s (folded to fit)</summary>\n\n", len(ops), plural(string(ops[0].Kind), len(ops)), ops[0].Action)
}

// foldedClose closes a folded run.
const foldedClose = "\n</details>\n\n"

// renderRuns writes the runs, folded runs as one line per operation. With
// limit > 0, it stops before the operation that would pass limit bytes
// (counting the closing line) and says how many were left out. It returns
// the text and the number of operations shown.
func renderRuns(ops []plan.Op, blocks []string, runs []*markdownRun, o Options, limit int) (string, int) {
	var b strings.Builder
	shown := 0
	notice := func(left int) string {
		return fmt.Sprintf("> [!NOTE]\n> **%d of %d operations are not shown**: this plan is limited to %d bytes (`--max-bytes`). "+
			"See them all with `cachetsync plan` (the cachetsync GitHub Action also uploads the full plan as an artifact of the run).\n\n",
			left, len(ops), o.MaxBytes)
	}
	// The longest notice, for the budget.
	reserve := len(notice(len(ops))) + len(foldedClose)
	fits := func(more string) bool { return limit <= 0 || b.Len()+len(more)+reserve <= limit }
	for _, r := range runs {
		if !r.folded {
			for i := r.start; i < r.end; i++ {
				if !fits(blocks[i]) {
					b.WriteString(notice(len(ops) - shown))
					return b.String(), shown
				}
				b.WriteString(blocks[i])
				shown++
			}
			continue
		}
		open := foldedOpen(ops[r.start:r.end])
		if !fits(open) {
			b.WriteString(notice(len(ops) - shown))
			return b.String(), shown
		}
		b.WriteString(open)
		for i := r.start; i < r.end; i++ {
			line := foldedLine(ops[i], o)
			if !fits(line) {
				b.WriteString(foldedClose)
				b.WriteString(notice(len(ops) - shown))
				return b.String(), shown
			}
			b.WriteString(line)
			shown++
		}
		b.WriteString(foldedClose)
	}
	return b.String(), shown
}

// foldedLine is one operation in a folded run: its symbol, title, changed
// fields and warnings on one line.
func foldedLine(op plan.Op, o Options) string {
	var fields []string
	for _, c := range op.Changes {
		fields = append(fields, c.Field)
	}
	line := fmt.Sprintf("- `%s` %s %s", op.Action.Symbol(), op.Action, mdText(op.Title(o.ShowEmails)))
	if len(fields) > 0 && op.Action == plan.Update {
		line += ": " + mdText(strings.Join(fields, ", "))
	}
	for _, warn := range op.Warnings {
		line += " — **Warning:** " + mdText(warn)
	}
	return line + "\n"
}

// plural returns "component" or "components", and so on.
func plural(kind string, n int) string {
	if n == 1 {
		return kind
	}
	return kind + "s"
}

func writeMarkdownOp(b *strings.Builder, op plan.Op, o Options) {
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
		if op.Kind == plan.KindSubscriber && c.Field == "email" && !o.ShowEmails {
			before, after = maskAny(before), maskAny(after)
		}
		beforeCell, afterCell := mdValue(before), mdValue(after)
		switch {
		case op.Action == plan.Delete:
			afterCell = ""
		case before == nil:
			beforeCell = ""
		}
		if op.Action != plan.Delete && (IsLongText(before) || IsLongText(after)) {
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
func mdValue(v *plan.Value) string {
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

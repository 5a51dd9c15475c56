package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/cachetsync/cachetsync/internal/safetext"
	"github.com/cachetsync/cachetsync/plan"
)

// Options control how a plan is shown to people.
type Options struct {
	Color      bool // ANSI colours (a terminal, without NO_COLOR)
	ShowEmails bool // subscriber e-mails in full instead of masked
	// MaxBytes bounds the size of a Markdown plan (0: no bound); see
	// Markdown.
	MaxBytes int
}

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

func actionColor(a plan.Action) string {
	switch a {
	case plan.Create:
		return ansiGreen
	case plan.Delete:
		return ansiRed
	case plan.Replace:
		return ansiCyan
	}
	return ansiYellow
}

// Text writes the plan in the style of Terraform: one block per
// operation marked + ~ - or -/+, a line per changed field, long text diffed
// inline, notes and warnings, and a closing summary line.
func Text(w io.Writer, p *plan.Plan, o Options) error {
	pt := painter(o.Color)
	var b strings.Builder
	for _, warn := range p.Warnings {
		fmt.Fprintf(&b, "%s %s\n", pt.paint(ansiYellow+ansiBold, "Warning:"), safetext.Line(warn))
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n")
	}
	if !p.Empty() {
		b.WriteString("cachetsync will perform the following actions:\n\n")
	}
	for _, op := range p.Ops {
		sym := op.Action.Symbol()
		fmt.Fprintf(&b, "  %s %s\n", pt.paint(actionColor(op.Action)+ansiBold, fmt.Sprintf("%-3s", sym)), pt.paint(ansiBold, op.Title(o.ShowEmails)))
		width := 0
		for _, c := range op.Changes {
			width = max(width, len(c.Field))
		}
		for _, c := range op.Changes {
			writeChange(&b, pt, op, c, width, o)
		}
		for _, n := range op.Notes {
			fmt.Fprintf(&b, "        %s\n", pt.paint(ansiDim, "# "+safetext.Line(n)))
		}
		for _, warn := range op.Warnings {
			fmt.Fprintf(&b, "        %s %s\n", pt.paint(ansiYellow, "! warning:"), safetext.Line(warn))
		}
		b.WriteString("\n")
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "%s\n", pt.paint(ansiDim, "Note: "+safetext.Line(n)))
	}
	if len(p.Notes) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(pt.paint(ansiBold, SummaryLine(p)) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// SummaryLine is the closing line of a plan: "Plan: 2 to create, 1 to
// update, 1 to delete." or "No changes."
func SummaryLine(p *plan.Plan) string {
	if p.Empty() {
		return "No changes. The live page matches the file."
	}
	s := p.Summary()
	return fmt.Sprintf("Plan: %d to create, %d to update, %d to delete.", s.Create, s.Update, s.Delete)
}

func writeChange(b *strings.Builder, pt painter, op plan.Op, c plan.Change, width int, o Options) {
	pad := strings.Repeat(" ", width-len(c.Field))
	before, after := c.Before, c.After
	if op.Kind == plan.KindSubscriber && c.Field == "email" && !o.ShowEmails {
		before, after = maskAny(before), maskAny(after)
	}
	switch {
	case op.Action == plan.Delete:
		fmt.Fprintf(b, "        %s:%s %s\n", c.Field, pad, pt.paint(ansiRed, FormatValue(before)))
	case before == nil:
		fmt.Fprintf(b, "        %s:%s %s\n", c.Field, pad, pt.paint(ansiGreen, FormatValue(after)))
	case IsLongText(before) || IsLongText(after):
		fmt.Fprintf(b, "        %s:\n", c.Field)
		// The texts are escaped before diffing: an ESC, OSC or BEL in a
		// description is shown, never sent to the terminal.
		for _, line := range strings.Split(InlineDiff(safetext.Text(fmt.Sprint(before)), safetext.Text(fmt.Sprint(after)), func(del bool, s string) string {
			if del {
				return pt.paint(ansiRed, "[-"+s+"-]")
			}
			return pt.paint(ansiGreen, "{+"+s+"+}")
		}), "\n") {
			fmt.Fprintf(b, "            %s\n", line)
		}
	default:
		fmt.Fprintf(b, "        %s:%s %s %s %s\n", c.Field, pad, pt.paint(ansiRed, FormatValue(before)), "→", pt.paint(ansiGreen, FormatValue(after)))
	}
}

// FormatValue renders a field value: strings quoted, lists in brackets,
// every control character escaped.
func FormatValue(v any) string {
	return safetext.Line(formatValue(v))
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case *plan.Value:
		return x.Format()
	case string:
		if x == "(ungrouped)" || x == "(all)" {
			return x
		}
		return fmt.Sprintf("%q", x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case map[string]any:
		return plan.CanonicalJSON(x)
	}
	return fmt.Sprint(v)
}

// IsLongText reports whether a value is text long enough to be shown as an
// inline diff rather than old → new.
func IsLongText(v any) bool {
	if x, ok := v.(*plan.Value); ok {
		return x.IsText() && IsLongText(x.String())
	}
	s, ok := v.(string)
	return ok && (strings.Contains(s, "\n") || len(s) > 60)
}

// InlineDiff renders the word-level difference of two texts; mark wraps the
// deleted and inserted runs.
func InlineDiff(before, after string, mark func(deleted bool, s string) string) string {
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(before, after, false))
	var b strings.Builder
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			b.WriteString(d.Text)
		case diffmatchpatch.DiffDelete:
			b.WriteString(mark(true, d.Text))
		case diffmatchpatch.DiffInsert:
			b.WriteString(mark(false, d.Text))
		}
	}
	return b.String()
}

func maskAny(v *plan.Value) *plan.Value {
	if v.IsText() {
		return plan.Text(plan.MaskEmail(v.String()))
	}
	return v
}

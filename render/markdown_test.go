package render

import (
	"bytes"
	"github.com/cachetsync/cachetsync/plan"
	"strings"
	"testing"
)

func renderMarkdown(t *testing.T, p *plan.Plan, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Markdown(&buf, p, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownMasksEmails(t *testing.T) {
	p := &plan.Plan{Ops: []plan.Op{
		{Step: plan.StepSubscribers, Kind: plan.KindSubscriber, Action: plan.Create, Key: "oncall@example.com",
			Changes: []plan.Change{{Field: "email", After: plan.Text("OnCall@example.com")}, {Field: "components", After: plan.Label(plan.LabelAll)}}},
		{Step: plan.StepSubscribers, Kind: plan.KindSubscriber, Action: plan.Delete, Key: "gone@example.com", ID: 3,
			Changes: []plan.Change{{Field: "email", Before: plan.Text("gone@example.com")}}},
	}}
	masked := renderMarkdown(t, p, Options{})
	for _, leak := range []string{"oncall@", "OnCall@", "gone@"} {
		if strings.Contains(masked, leak) {
			t.Errorf("masked plan shows %q:\n%s", leak, masked)
		}
	}
	for _, want := range []string{"o\\*\\*\\*@example.com", "`\"O***@example.com\"`", "`\"g***@example.com\"`"} {
		if !strings.Contains(masked, want) {
			t.Errorf("masked plan lacks %q:\n%s", want, masked)
		}
	}
	shown := renderMarkdown(t, p, Options{ShowEmails: true})
	for _, want := range []string{"create subscriber oncall@example.com", "`\"OnCall@example.com\"`", "`\"gone@example.com\"`"} {
		if !strings.Contains(shown, want) {
			t.Errorf("plan with ShowEmails lacks %q:\n%s", want, shown)
		}
	}
}

func TestMarkdownEscapesValues(t *testing.T) {
	p := &plan.Plan{
		Ops: []plan.Op{{Step: plan.StepComponents, Kind: plan.KindComponent, Action: plan.Update, Key: "A|B `x` *y*", ID: 7,
			Changes: []plan.Change{
				{Field: "name", Before: plan.Text("A|B"), After: plan.Text("A|B `x` *y*")},
				{Field: "link", Before: plan.Text("``"), After: plan.Text("https://x.example.com/a|b")},
			},
			Notes: []string{"see <script> and [link](x) | pipe"}}},
		Warnings: []string{"a_b *c*"},
	}
	got := renderMarkdown(t, p, Options{})
	for _, want := range []string{
		// The heading's key is escaped text.
		"### `~` update component \"A\\|B \\`x\\` \\*y\\*\" (id 7)",
		// Table cells hold code spans with escaped pipes, fenced past any backtick run.
		"| name | `\"A\\|B\"` | ``\"A\\|B `x` *y*\"`` |",
		"| link | ```\"``\"``` | `\"https://x.example.com/a\\|b\"` |",
		"- Note: see \\<script\\> and \\[link\\](x) \\| pipe",
		"> - a\\_b \\*c\\*",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	// Every table row keeps exactly four unescaped pipes.
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "| name") || strings.HasPrefix(line, "| link") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 4 {
				t.Errorf("row %q has %d cell separators, want 4", line, n)
			}
		}
	}
}

func TestMarkdownFoldsLongText(t *testing.T) {
	before := "line one\nline two\nline three"
	after := "line one\nline 2 with ``` fences\nline three"
	p := &plan.Plan{Ops: []plan.Op{{Step: plan.StepComponents, Kind: plan.KindComponent, Action: plan.Update, Key: "API", ID: 1,
		Changes: []plan.Change{{Field: "description", Before: plan.Text(before), After: plan.Text(after)}}}}}
	got := renderMarkdown(t, p, Options{})
	want := "<details><summary>description</summary>\n\n````diff\n line one\n-line two\n+line 2 with ``` fences\n line three\n````\n\n</details>"
	if !strings.Contains(got, want) {
		t.Errorf("missing the folded diff %q in:\n%s", want, got)
	}
	if !strings.Contains(got, "| description | _see the diff below_ | _see the diff below_ |") {
		t.Errorf("the table does not point to the diff:\n%s", got)
	}
}

func TestLineDiff(t *testing.T) {
	tests := []struct{ before, after, want string }{
		{"", "a\nb", "+a\n+b\n"},
		{"a\nb", "", "-a\n-b\n"},
		{"a\nb", "a\nb\nc", " a\n b\n+c\n"},
		{"a\nb\nc", "a\nc", " a\n-b\n c\n"},
	}
	for _, tt := range tests {
		if got := lineDiff(tt.before, tt.after); got != tt.want {
			t.Errorf("lineDiff(%q, %q) = %q, want %q", tt.before, tt.after, got, tt.want)
		}
	}
}

func TestMarkdownNoChanges(t *testing.T) {
	got := renderMarkdown(t, &plan.Plan{Notes: []string{"left alone"}}, Options{})
	want := "## cachetsync plan\n\n**No changes. The live page matches the file.**\n\n**Notes**\n\n- left alone\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

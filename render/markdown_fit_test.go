package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// subscribersPlan computes the plan that creates n subscribers, each
// subscribed to two of the page's components, on a page that has none.
func subscribersPlan(t *testing.T, n int) *plan.Plan {
	t.Helper()
	s := &spec.Spec{Components: []spec.Component{{Name: "API"}, {Name: "Website"}, {Name: "Checkout"}}}
	for i := range n {
		s.Subscribers = append(s.Subscribers, spec.Subscriber{Email: fmt.Sprintf("subscriber-%04d@example.com", i), Components: []string{"API", "Checkout"}})
	}
	live := &plan.Live{Complete: true, Version: "2.4", Components: []plan.Component{
		{ID: 1, Name: "API", Enabled: true, Order: 1}, {ID: 2, Name: "Website", Enabled: true, Order: 2}, {ID: 3, Name: "Checkout", Enabled: true, Order: 3}}}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ops) != n {
		t.Fatalf("%d operations, want %d", len(p.Ops), n)
	}
	return p
}

// TestMarkdownFitsA400SubscriberPlan: 400 new subscribers render to more
// than a GitHub comment holds; with the default limit the subscribers are
// folded into one line each, every one of them still shown.
func TestMarkdownFitsA400SubscriberPlan(t *testing.T) {
	p := subscribersPlan(t, 400)
	full := renderMarkdown(t, p, Options{})
	if len(full) <= 65536 {
		t.Fatalf("the unlimited plan is %d bytes; the test needs one over 65,536", len(full))
	}
	got := renderMarkdown(t, p, Options{MaxBytes: DefaultMarkdownMaxBytes})
	t.Logf("400 subscribers: %d bytes in full, %d folded", len(full), len(got))
	if len(got) > DefaultMarkdownMaxBytes {
		t.Fatalf("%d bytes, over %d", len(got), DefaultMarkdownMaxBytes)
	}
	if !strings.Contains(got, "<details><summary>400 subscribers to create (folded to fit)</summary>") {
		t.Fatalf("not folded:\n%s", got[:2000])
	}
	if n := strings.Count(got, "\n- `+` create subscriber s\\*\\*\\*@example.com"); n != 400 {
		t.Fatalf("%d subscriber lines, want 400", n)
	}
	if strings.Contains(got, "not shown") || strings.Contains(got, "@example.com`") && strings.Contains(got, "subscriber-0") {
		t.Fatalf("truncated or unmasked:\n%s", got)
	}
	if !strings.Contains(got, "| 400 | 0 | 0 |") {
		t.Fatal("the counts table is gone")
	}
}

// TestMarkdownFoldsTheLongestRunFirst: a short run of component updates
// keeps its full sections while the long run of subscribers is folded.
func TestMarkdownFoldsTheLongestRunFirst(t *testing.T) {
	p := subscribersPlan(t, 400)
	comps := []plan.Op{
		{Step: plan.StepComponents, Kind: plan.KindComponent, Action: plan.Update, Key: "API", ID: 1, Changes: []plan.Change{{Field: "description", Before: plan.Text("old"), After: plan.Text("new")}}},
		{Step: plan.StepComponents, Kind: plan.KindComponent, Action: plan.Update, Key: "Website", ID: 2, Changes: []plan.Change{{Field: "link", Before: plan.Text("https://a.example"), After: plan.Text("https://b.example")}}},
	}
	p.Ops = append(comps, p.Ops...)
	got := renderMarkdown(t, p, Options{MaxBytes: DefaultMarkdownMaxBytes})
	if !strings.Contains(got, "### `~` update component \"API\" (id 1)") || !strings.Contains(got, "| description | `\"old\"` | `\"new\"` |") {
		t.Fatalf("the component updates were folded:\n%s", got[:1500])
	}
	if !strings.Contains(got, "400 subscribers to create (folded to fit)") {
		t.Fatal("the subscribers were not folded")
	}
}

// TestMarkdownTruncatesWhatFoldingCannotFit: 3,000 subscribers do not fit
// even folded: the last ones are left out and a line says how many, and how
// to see them all; the count is exact.
func TestMarkdownTruncatesWhatFoldingCannotFit(t *testing.T) {
	p := subscribersPlan(t, 3000)
	got := renderMarkdown(t, p, Options{MaxBytes: DefaultMarkdownMaxBytes})
	if len(got) > DefaultMarkdownMaxBytes {
		t.Fatalf("%d bytes, over %d", len(got), DefaultMarkdownMaxBytes)
	}
	shown := strings.Count(got, "\n- `+` create subscriber ")
	m := regexp.MustCompile(`\*\*(\d+) of 3000 operations are not shown\*\*: this plan is limited to 65000 bytes \(` + "`--max-bytes`" + `\)\. See them all with ` + "`cachetsync plan`").FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no truncation line:\n%s", got[len(got)-1500:])
	}
	if left, _ := strconv.Atoi(m[1]); left+shown != 3000 || shown < 1000 {
		t.Fatalf("%d shown + %s left out != 3000", shown, m[1])
	}
	if !strings.Contains(got, "</details>") || strings.Count(got, "<details>") != strings.Count(got, "</details>") {
		t.Fatal("the folded list is not closed")
	}
	// A tiny limit still yields the heading, the counts and the line.
	tiny := renderMarkdown(t, p, Options{MaxBytes: 100})
	if !strings.Contains(tiny, "**3000 of 3000 operations are not shown**") || !strings.Contains(tiny, "| 3000 | 0 | 0 |") {
		t.Fatalf("tiny limit:\n%s", tiny)
	}
}

// TestMarkdownUnderTheLimitIsUnchanged: a plan that fits renders exactly as
// without a limit.
func TestMarkdownUnderTheLimitIsUnchanged(t *testing.T) {
	p := subscribersPlan(t, 20)
	if a, b := renderMarkdown(t, p, Options{}), renderMarkdown(t, p, Options{MaxBytes: DefaultMarkdownMaxBytes}); a != b {
		t.Fatalf("a small plan changed under the limit:\n%s\n---\n%s", a, b)
	}
}

// TestMarkdownManyShortRuns: a plan whose actions alternate (many runs of
// one operation) still fits, every operation shown or counted as left out.
func TestMarkdownManyShortRuns(t *testing.T) {
	p := &plan.Plan{}
	for i := range 4000 {
		op := plan.Op{Step: plan.StepSubscribers, Kind: plan.KindSubscriber, Action: plan.Create, Key: fmt.Sprintf("s%04d@example.com", i),
			Changes: []plan.Change{{Field: "email", After: plan.Text(fmt.Sprintf("s%04d@example.com", i))}, {Field: "components", After: plan.List([]string{"API"})}}}
		if i%2 == 1 {
			op.Action, op.ID = plan.Update, i
			op.Changes = []plan.Change{{Field: "components", Before: plan.List([]string{"API"}), After: plan.List([]string{"API", "Web"})}}
		}
		p.Ops = append(p.Ops, op)
	}
	got := renderMarkdown(t, p, Options{MaxBytes: DefaultMarkdownMaxBytes})
	if len(got) > DefaultMarkdownMaxBytes {
		t.Fatalf("%d bytes", len(got))
	}
	shown := strings.Count(got, "\n### `") + strings.Count(got, "\n- `")
	m := regexp.MustCompile(`\*\*(\d+) of 4000 operations are not shown\*\*`).FindStringSubmatch(got)
	left := 0
	if m != nil {
		left, _ = strconv.Atoi(m[1])
	}
	if shown+left != 4000 {
		t.Fatalf("%d shown + %d left out != 4000", shown, left)
	}
}

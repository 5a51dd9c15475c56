package planfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// TestSavedPlanKeepsEveryPayload: what a saved plan sends is exactly what
// the plan computed, including zero values and a meta clear.
func TestSavedPlanKeepsEveryPayload(t *testing.T) {
	s := mustParse(t, `
groups:
  - name: New
    visible: false
    components:
      - name: In new
        status: unknown
        enabled: false
        tags: [a, b]
  - name: Old
    collapsed: open
    components:
      - name: Cleared
        meta: {}
        description: ""
        link: ""
components:
  - name: Ungrouped
subscribers:
  - email: fewer@example.com
    components: [Cleared]
  - email: more@example.com
    components: [Cleared, In new]
prune: {components: true, subscribers: true}
`)
	cleared := liveComp(10, "Cleared", 1, 1)
	cleared.Meta, cleared.Description, cleared.Link = map[string]any{"owner": "x"}, "d", "https://x.example"
	live := &plan.Live{Complete: true, Version: "2.4",
		Groups:      []plan.Group{{ID: 1, Name: "Old", Order: 1, Collapsed: page.CollapsedAlways, Visible: page.Public, HasVisibility: true}},
		Components:  []plan.Component{cleared, liveComp(11, "Ungrouped", 1, 3), liveComp(12, "Gone", 0, 1)},
		Subscribers: []plan.Subscriber{sub(5, "fewer@example.com", [2]int{50, 10}, [2]int{51, 11}), sub(6, "more@example.com", [2]int{60, 10}), sub(7, "gone@example.com")},
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := SaveFile(path, p, live, "https://status.example.com/api/v1"); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The payloads come back exactly, and the plan renders the same.
	if diff := cmp.Diff(p.Ops, saved.Plan.Ops, cmpopts.IgnoreFields(plan.Op{}, "Changes")); diff != "" {
		t.Fatalf("saved plan payloads differ (-computed +saved):\n%s", diff)
	}
	if a, b := renderText(t, p), renderText(t, saved.Plan); a != b {
		t.Fatalf("the saved plan renders differently:\n%s\n--- after the round trip:\n%s", a, b)
	}
	var actions []string
	for _, op := range saved.Plan.Ops {
		actions = append(actions, string(op.Action)+" "+op.Key)
	}
	for _, want := range []string{"create New", "update Old", "create In new", "update Cleared", "update Ungrouped",
		"update fewer@example.com", "replace more@example.com", "delete gone@example.com", "delete Gone"} {
		if !strings.Contains(strings.Join(actions, "\n"), want) {
			t.Errorf("saved plan lacks %q: %v", want, actions)
		}
	}
	if err := saved.Verify(live); err != nil {
		t.Fatalf("an unchanged page failed verification: %v", err)
	}
}

func renderText(t *testing.T, p *plan.Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := render.Text(&b, p, render.Options{ShowEmails: true}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSavedPlanValuesKeepTheirTypes: every kind of value renders the same
// after a round trip through the file (a list used to come back as
// "[a b]").
func TestSavedPlanValuesKeepTheirTypes(t *testing.T) {
	s := mustParse(t, "groups:\n  - name: G\n    visible: true\n    components:\n      - name: API\n        tags: [a, b]\n        meta: {n: 9007199254740991, s: x}\n        enabled: true\n")
	api := liveComp(1, "API", 0, 1)
	api.Tags, api.Enabled = []string{"old"}, false
	live := &plan.Live{Complete: true, Version: "2.4", SkippedSubscribers: true, Components: []plan.Component{api},
		Groups: []plan.Group{{ID: 3, Name: "G", Order: 1, Visible: page.LoggedInOnly, HasVisibility: true}}}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := SaveFile(path, p, live, "https://status.example.com/api/v1"); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, after := renderText(t, p), renderText(t, saved.Plan)
	if before != after {
		t.Fatalf("renders differently after the round trip:\n%s\n---\n%s", before, after)
	}
	for _, want := range []string{`tags:    ["old"] → ["a", "b"]`, `group:   (ungrouped) → "G"`, "enabled: false → true", `meta:    {} → {"n":9007199254740991,"s":"x"}`} {
		if !strings.Contains(after, want) {
			t.Errorf("missing %q in:\n%s", want, after)
		}
	}
}

// TestSavedPlanDependsOnlyOnWhatItTouches: churn the plan does not depend
// on (a public sign-up, a monitor changing the status of a component whose
// status the file does not manage, an unmanaged field of a pruned
// component's neighbour) passes; a change to an object the plan touches or
// matched on a field it manages, or a new object of a kind it creates in,
// refuses.
func TestSavedPlanDependsOnlyOnWhatItTouches(t *testing.T) {
	s := mustParse(t, `
components:
  - name: API
    description: new
  - name: Web
  - name: New
subscribers:
  - email: a@example.com
    components: [API]
prune: {components: true}
`)
	base := func() *plan.Live {
		return &plan.Live{Complete: true, Version: "2.4",
			Components:  []plan.Component{liveComp(1, "API", 0, 1), liveComp(2, "Web", 0, 2), liveComp(3, "Stray", 0, 3)},
			Subscribers: []plan.Subscriber{sub(5, "a@example.com", [2]int{50, 1}), sub(6, "other@example.com")}}
	}
	p, err := plan.Compute(s, base(), plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := SaveFile(path, p, base(), "https://status.example.com/api/v1"); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		edit   func(*plan.Live)
		refuse string // "" passes
	}{
		{"a public sign-up", func(l *plan.Live) { l.Subscribers = append(l.Subscribers, sub(7, "new@example.com")) }, ""},
		{"an unmanaged status changes", func(l *plan.Live) { l.Components[1].Status = page.StatusMajorOutage }, ""},
		{"an unmanaged field of a touched component", func(l *plan.Live) { l.Components[0].Link = "https://elsewhere.example" }, ""},
		{"an undeclared subscriber leaves", func(l *plan.Live) { l.Subscribers = l.Subscribers[:1] }, ""},
		{"a managed field of a touched component", func(l *plan.Live) { l.Components[0].Description = "edited" }, "component 1 changed"},
		{"a matched component is renamed", func(l *plan.Live) { l.Components[1].Name = "Www" }, "component 2 changed"},
		{"a pruned component is deleted", func(l *plan.Live) { l.Components = l.Components[:2] }, "component 3 was deleted"},
		{"a component is created", func(l *plan.Live) { l.Components = append(l.Components, liveComp(9, "New", 0, 4)) }, "the set of component ids"},
		{"a declared subscriber's subscriptions change", func(l *plan.Live) { l.Subscribers[0].Subscriptions = nil }, "subscriber a@example.com changed"},
		{"the page now runs another Cachet", func(l *plan.Live) { l.Caps = &plan.Capabilities{Server: "Cachet 3.x"} }, "made for Cachet 2.4 and the page now runs Cachet 3.x"},
		{"a global flag the plan depends on", func(l *plan.Live) {
			caps := plan.DefaultCapabilities
			caps.GlobalSubscribers = true
			l.Caps = &caps
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			live := base()
			tc.edit(live)
			err := saved.Verify(live)
			switch {
			case tc.refuse == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refuse != "" && (err == nil || !strings.Contains(err.Error(), tc.refuse)):
				t.Fatalf("err = %v, want it to name %q", err, tc.refuse)
			}
		})
	}
}

// TestOldSavedPlanSaysPlanAgain: a plan saved in the first format (a
// numeric format_version) is refused with a clear message.
func TestOldSavedPlanSaysPlanAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(`{"format_version": 1, "plan": {"operations": []}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), "saved by an older cachetsync (format 1); plan again") {
		t.Fatalf("err = %v", err)
	}
}

package plan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cachetsync/cachetsync/cachet"
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
	cleared.Meta, cleared.Description, cleared.Link = cachet.Meta{"owner": "x"}, "d", "https://x.example"
	live := &Live{Complete: true, Version: "2.4",
		Groups:      []cachet.ComponentGroup{{ID: 1, Name: "Old", Order: 1, Collapsed: cachet.GroupCollapsedAlways, Visible: cachet.GroupPublic, HasVisibility: true}},
		Components:  []cachet.Component{cleared, liveComp(11, "Ungrouped", 1, 3), liveComp(12, "Gone", 0, 1)},
		Subscribers: []cachet.Subscriber{sub(5, "fewer@example.com", [2]int{50, 10}, [2]int{51, 11}), sub(6, "more@example.com", [2]int{60, 10}), sub(7, "gone@example.com")},
	}
	p, err := Compute(s, live, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := SaveFile(path, p, live); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Change values are for people and pass through JSON's number type;
	// the payloads must come back exactly.
	if diff := cmp.Diff(p.Ops, saved.Plan.Ops, cmpopts.IgnoreFields(Op{}, "Changes")); diff != "" {
		t.Fatalf("saved plan payloads differ (-computed +saved):\n%s", diff)
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

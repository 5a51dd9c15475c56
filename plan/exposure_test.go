package plan_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// TestExposureWarnings: each way a plan can make public what was hidden
// says so in a warning line in every format, and names the components.
func TestExposureWarnings(t *testing.T) {
	disabled := func(c plan.Component) plan.Component { c.Enabled = false; return c }
	for _, tc := range []struct {
		name       string
		yaml       string
		live       *plan.Live
		warning    string
		exposes    []string
		refuseable bool // a hidden group delete: refused unless allowed
	}{
		{
			name: "pruning a hidden group with enabled components",
			yaml: "components:\n  - name: Kept\nprune: {groups: true}\n",
			live: &plan.Live{Groups: []plan.Group{liveGroup(1, "Internal", 1, false)},
				Components: []plan.Component{liveComp(1, "CI", 1, 1), disabled(liveComp(2, "Off", 1, 2)), liveComp(3, "Kept", 0, 1)}},
			warning:    "makes public what was hidden: the group is hidden, and Cachet ungroups its enabled components, which are then public: CI",
			exposes:    []string{"CI"},
			refuseable: true,
		},
		{
			name: "a hidden group turned visible",
			yaml: "groups:\n  - name: Internal\n    visible: true\n    components:\n      - name: CI\n",
			live: &plan.Live{Groups: []plan.Group{liveGroup(1, "Internal", 1, false)},
				Components: []plan.Component{liveComp(1, "CI", 1, 1)}},
			warning: "makes public what was hidden: the group becomes visible with its enabled components: CI",
			exposes: []string{"CI"},
		},
		{
			name:    "a disabled component enabled outside a hidden group",
			yaml:    "components:\n  - name: Beta\n    enabled: true\n",
			live:    &plan.Live{Components: []plan.Component{disabled(liveComp(1, "Beta", 0, 1))}},
			warning: "makes public what was hidden: enabled outside a hidden group: Beta",
			exposes: []string{"Beta"},
		},
		{
			name: "a component moved out of a hidden group",
			yaml: "groups:\n  - name: Internal\n    components: []\ncomponents:\n  - name: CI\n",
			live: &plan.Live{Groups: []plan.Group{liveGroup(1, "Internal", 1, false)},
				Components: []plan.Component{liveComp(1, "CI", 1, 1)}},
			warning: `makes public what was hidden: moved out of hidden group "Internal": CI`,
			exposes: []string{"CI"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.live.Complete, tc.live.Version, tc.live.SkippedSubscribers = true, "2.4", true
			p, err := plan.Compute(mustParse(t, tc.yaml), tc.live, plan.Policy{})
			if err != nil {
				t.Fatal(err)
			}
			var exposes []string
			for _, op := range p.Ops {
				exposes = append(exposes, op.Exposes...)
			}
			if strings.Join(exposes, ",") != strings.Join(tc.exposes, ",") {
				t.Errorf("exposes %v, want %v", exposes, tc.exposes)
			}
			if got := len(p.ExposingGroupDeletes()) > 0; got != tc.refuseable {
				t.Errorf("exposing group deletes: %v, want %v", got, tc.refuseable)
			}
			var text, md, js bytes.Buffer
			render.Text(&text, p, render.Options{})
			render.Markdown(&md, p, render.Options{})
			render.JSON(&js, p)
			quoted, _ := json.Marshal(tc.warning)
			for format, out := range map[string]string{"text": "        ! warning: " + tc.warning + "\n", "json": string(quoted)} {
				if !strings.Contains(map[string]string{"text": text.String(), "json": js.String()}[format], out) {
					t.Errorf("%s output lacks %q:\n%s%s", format, out, text.String(), js.String())
				}
			}
			if !strings.Contains(mdUnescape.ReplaceAllString(md.String(), "$1"), "**Warning:** "+tc.warning) {
				t.Errorf("markdown lacks the warning %q:\n%s", tc.warning, md.String())
			}
		})
	}
}

// TestNoExposureWhenNothingHiddenBecomesPublic: moving a component between
// hidden groups, enabling one inside a hidden group, or pruning a public
// group warns of nothing.
func TestNoExposureWhenNothingHiddenBecomesPublic(t *testing.T) {
	live := &plan.Live{Complete: true, Version: "2.4", SkippedSubscribers: true,
		Groups: []plan.Group{liveGroup(1, "A", 1, false), liveGroup(2, "B", 2, false), liveGroup(3, "Public", 3, true)},
		Components: []plan.Component{liveComp(1, "Moved", 1, 1), {ID: 2, Name: "Off", GroupID: 2, Order: 1, Meta: map[string]any{}},
			liveComp(3, "Left", 3, 1)}}
	p, err := plan.Compute(mustParse(t, `
groups:
  - name: A
    components: []
  - name: B
    components:
      - name: Off
        enabled: true
      - name: Moved
prune: {groups: true}
`), live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range p.Ops {
		if len(op.Exposes) > 0 {
			t.Errorf("%s %s exposes %v", op.Action, op.Key, op.Exposes)
		}
	}
}

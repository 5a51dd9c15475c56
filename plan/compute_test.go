package plan_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/internal/golden"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
	"github.com/cachetsync/cachetsync/spec"
)

func ptr[T any](v T) *T { return &v }

func mustParse(t *testing.T, yaml string) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s
}

func liveGroup(id int, name string, order int, visible bool) plan.Group {
	v := page.LoggedInOnly
	if visible {
		v = page.Public
	}
	return plan.Group{ID: id, Name: name, Order: order, Visible: v, HasVisibility: true}
}

func liveComp(id int, name string, group, order int) plan.Component {
	return plan.Component{ID: id, Name: name, GroupID: group, Order: order, Enabled: true, Status: page.StatusOperational, Meta: map[string]any{}}
}

func sub(id int, email string, subs ...[2]int) plan.Subscriber {
	s := plan.Subscriber{ID: id, Email: email}
	for _, x := range subs {
		s.Subscriptions = append(s.Subscriptions, plan.Subscription{ID: x[0], ComponentID: x[1]})
	}
	return s
}

func textOf(t *testing.T, p *plan.Plan) string {
	t.Helper()
	var buf bytes.Buffer
	if err := render.Text(&buf, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestCompute checks each planning rule by its rendered text plan, kept in
// testdata/compute/NAME.txt (go test ./plan -update rewrites them).
func TestCompute(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		live   plan.Live
		policy plan.Policy
	}{
		{
			name: "empty_page_creates_everything",
			yaml: `
groups:
  - name: Customer facing
    collapsed: collapsed-unless-incident
    components:
      - name: API
        description: Public REST API
        link: https://api.example.com
        tags: [production, eu-west]
        status: operational
        meta: {owner: platform}
      - name: Website
components:
  - name: Internal tools
    enabled: false
subscribers:
  - email: Oncall@Example.com
    components: [API]
  - email: all@example.com
`,
			live: plan.Live{Complete: true, Version: "2.4"},
		},
		{
			name: "no_changes_when_live_matches",
			yaml: `
groups:
  - name: G
    visible: true
    collapsed: open
    components:
      - name: A
        description: text
        tags: [x]
components:
  - name: B
subscribers:
  - email: a@example.com
    components: [A]
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Groups: []plan.Group{liveGroup(1, "G", 1, true)},
				Components: []plan.Component{
					func() plan.Component {
						c := liveComp(10, "A", 1, 1)
						c.Description = "text"
						c.Tags = []string{"x"}
						return c
					}(),
					liveComp(11, "B", 0, 1),
				},
				Subscribers: []plan.Subscriber{sub(5, "A@example.com", [2]int{50, 10})},
			},
		},
		{
			name: "rename_move_disable_and_reorder",
			yaml: `
groups:
  - name: Customer facing
    previously: [Public]
    components:
      - name: Checkout
      - name: API v2
        previously: [API]
        enabled: true
  - name: Internal
    visible: false
    components:
      - name: Website
        status: major-outage
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Groups: []plan.Group{liveGroup(1, "Public", 1, true), liveGroup(2, "Internal", 2, true)},
				Components: []plan.Component{
					func() plan.Component { c := liveComp(10, "API", 1, 1); c.Enabled = false; return c }(),
					liveComp(11, "Website", 1, 2),
					liveComp(12, "Checkout", 2, 1),
				},
			},
		},
		{
			name: "unmanaged_fields_are_not_compared",
			yaml: `
groups:
  - name: G
    components:
      - name: A
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Groups: []plan.Group{{ID: 1, Name: "G", Order: 1, Collapsed: page.CollapsedAlways, Visible: page.LoggedInOnly, HasVisibility: true}},
				Components: []plan.Component{func() plan.Component {
					c := liveComp(10, "A", 1, 1)
					c.Status, c.Enabled, c.Description, c.Link = page.StatusMajorOutage, false, "live text", "https://x.example"
					c.Tags, c.Meta = []string{"T"}, map[string]any{"k": "v"}
					return c
				}()},
			},
		},
		{
			name: "long_description_is_diffed_and_tags_cannot_be_cleared",
			yaml: `
components:
  - name: A
    description: |
      The public API serves every customer request.
      It is deployed in two regions.
    tags: []
  - name: B
    tags: [new, kept]
    meta: {owner: sre, tier: 1}
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Components: []plan.Component{
					func() plan.Component {
						c := liveComp(10, "A", 0, 1)
						c.Description = "The public API serves every customer request.\nIt is deployed in one region."
						c.Tags = []string{"old"}
						return c
					}(),
					func() plan.Component {
						c := liveComp(11, "B", 0, 2)
						c.Tags = []string{"kept"}
						c.Meta = map[string]any{"owner": "platform", "tier": float64(1)}
						return c
					}(),
				},
			},
		},
		{
			name: "prune_off_leaves_undeclared_objects",
			yaml: `
components:
  - name: A
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Groups:      []plan.Group{liveGroup(1, "Old group", 1, true)},
				Components:  []plan.Component{liveComp(10, "A", 0, 1), liveComp(11, "Stray", 1, 1)},
				Subscribers: []plan.Subscriber{sub(5, "x@example.com")},
			},
		},
		{
			name: "prune_deletes_and_orphans",
			yaml: `
groups:
  - name: Kept
    components:
      - name: Moved
components:
  - name: A
prune: {groups: true, components: true, subscribers: true}
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Groups: []plan.Group{liveGroup(1, "Old group", 1, true), liveGroup(2, "Kept", 1, true)},
				Components: []plan.Component{liveComp(10, "A", 0, 1), liveComp(11, "Stray", 0, 2), liveComp(12, "Moved", 1, 1),
					liveComp(13, "Orphan", 1, 2)},
				Subscribers: []plan.Subscriber{sub(5, "gone@example.com")},
			},
		},
		{
			name: "subscriptions_removed_by_id_or_subscriber_recreated",
			yaml: `
components:
  - name: A
  - name: B
  - name: New
subscribers:
  - email: fewer@example.com
    components: [A]
  - email: more@example.com
    components: [A, B]
  - email: newcomp@example.com
    components: [New]
  - email: everything@example.com
`,
			live: plan.Live{Complete: true, Version: "2.4",
				Components: []plan.Component{liveComp(10, "A", 0, 1), liveComp(11, "B", 0, 2)},
				Subscribers: []plan.Subscriber{
					sub(5, "fewer@example.com", [2]int{50, 10}, [2]int{51, 11}),
					sub(6, "more@example.com", [2]int{60, 10}),
					sub(7, "newcomp@example.com", [2]int{70, 10}),
					sub(8, "everything@example.com", [2]int{80, 10}),
				},
			},
		},
		{
			name: "status_change_is_silent_unless_notify",
			yaml: `
components:
  - name: A
    status: partial-outage
`,
			live:   plan.Live{Complete: true, Version: "2.4", Components: []plan.Component{liveComp(10, "A", 0, 1)}},
			policy: plan.Policy{Notify: true},
		},
		{
			name: "cachet_2_3_sends_status_and_enabled",
			yaml: `
groups:
  - name: G
    visible: false
    components:
      - name: A
        description: new
        meta: {k: v}
`,
			live: plan.Live{Complete: true, Version: "2.3", Caps: v1Caps("2.3"),
				Groups: []plan.Group{{ID: 1, Name: "G", Order: 1}},
				Components: []plan.Component{func() plan.Component {
					c := liveComp(10, "A", 1, 1)
					c.Meta, c.Status, c.Enabled = nil, page.StatusPartialOutage, false
					return c
				}()},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := plan.Compute(mustParse(t, tt.yaml), &tt.live, tt.policy)
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}
			got := textOf(t, p)
			golden.Check(t, filepath.Join("testdata", "compute", tt.name+".txt"), got)
		})
	}
}

func TestComputePayloads(t *testing.T) {
	s := mustParse(t, `
groups:
  - name: New group
    components:
      - name: In new group
  - name: Old
    collapsed: open
    components:
      - name: Status only
        status: major-outage
components:
  - name: Ungroup me
`)
	old := liveGroup(1, "Old", 5, false)
	old.Collapsed = page.CollapsedAlways
	live := &plan.Live{Complete: true, Version: "2.4",
		Groups:     []plan.Group{old},
		Components: []plan.Component{liveComp(10, "Status only", 1, 1), liveComp(11, "Ungroup me", 1, 2)},
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]plan.Op{}
	for _, op := range p.Ops {
		byKey[op.Key] = op
	}
	// A group update always carries all four fields, unmanaged ones from
	// live; the new group takes the free order before it.
	if got, want := byKey["Old"].Group, (&plan.GroupWrite{Name: "Old", Order: 5, Collapsed: page.Open, Visible: page.LoggedInOnly}); !cmp.Equal(got, want) {
		t.Errorf("group write = %+v, want %+v", got, want)
	}
	if got := byKey["New group"].Group.Order; got != 4 {
		t.Errorf("new group order = %d, want 4", got)
	}
	if w := byKey["In new group"].Component; w.Group != "New group" || w.GroupID != nil {
		t.Errorf("component in a new group: Group=%q GroupID=%v, want the group resolved at apply time", w.Group, w.GroupID)
	}
	w := byKey["Status only"].Component
	if w.Status == nil || *w.Status != page.StatusMajorOutage || !w.Silent || w.Name != nil || w.Enabled != nil {
		t.Errorf("status change payload = %+v, want only a silent status", w)
	}
	if w := byKey["Ungroup me"].Component; w.GroupID == nil || *w.GroupID != 0 {
		t.Errorf("ungroup payload = %+v, want group_id 0 sent", w)
	}
	if got := p.Summary(); got != (plan.Summary{Create: 2, Update: 3}) {
		t.Errorf("summary = %+v", got)
	}
}

func TestComputeErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		live       plan.Live
		want       string
		refused    bool
	}{
		{
			name: "ambiguous live duplicates name their ids",
			yaml: "components:\n  - name: API\n",
			live: plan.Live{Complete: true, Components: []plan.Component{liveComp(3, "API", 0, 1), liveComp(9, "API", 0, 2)}},
			want: `component "API" is ambiguous: the page has 2 components named "API" (ids 3, 9)`,
		},
		{
			name: "ambiguous groups",
			yaml: "groups:\n  - name: G\n",
			live: plan.Live{Complete: true, Groups: []plan.Group{liveGroup(1, "G", 1, true), liveGroup(2, "G", 2, true)}},
			want: `group "G" is ambiguous: the page has 2 groups named "G" (ids 1, 2)`,
		},
		{
			name: "pin to a missing id",
			yaml: "components:\n  - name: API\n    id: 42\n",
			live: plan.Live{Complete: true},
			want: `component "API" is pinned to id 42, which does not exist on the page`,
		},
		{
			name:    "deletes refused after an incomplete read",
			yaml:    "prune: {components: true}\n",
			live:    plan.Live{Complete: false, Incomplete: map[plan.Kind]string{plan.KindComponent: "read 1 objects but the server reported 2"}, Components: []plan.Component{liveComp(1, "X", 0, 1)}},
			want:    `cannot safely delete component "X"`,
			refused: true,
		},
		{
			name:    "creates refused after an incomplete read",
			yaml:    "components:\n  - name: Maybe missed\n",
			live:    plan.Live{Complete: false, Incomplete: map[plan.Kind]string{plan.KindComponent: "the total changed from 2 to 3 while reading"}},
			want:    `the live components were not read completely (the total changed from 2 to 3 while reading), so the plan cannot safely create component "Maybe missed"`,
			refused: true,
		},
		{
			name:    "subscriber changes refused after an incomplete subscriber read",
			yaml:    "subscribers:\n  - email: a@example.com\n",
			live:    plan.Live{Complete: false, Incomplete: map[plan.Kind]string{plan.KindSubscriber: "torn"}},
			want:    `cannot safely create subscriber "a@example.com"`,
			refused: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.Compute(mustParse(t, tt.yaml), &tt.live, plan.Policy{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			var refused *plan.RefusedError
			if errors.As(err, &refused) != tt.refused {
				t.Errorf("RefusedError = %v, want %v", !tt.refused, tt.refused)
			}
		})
	}
}

func TestPinnedIDWinsOverDuplicates(t *testing.T) {
	s := mustParse(t, "components:\n  - name: API\n    id: 9\n    description: pinned\n")
	live := &plan.Live{Complete: true, Components: []plan.Component{liveComp(3, "API", 0, 1), liveComp(9, "API", 0, 1)}}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ops) != 1 || p.Ops[0].ID != 9 {
		t.Fatalf("ops = %+v, want one update of id 9", p.Ops)
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{"oncall@example.com": "o***@example.com", "x@y.z": "x***@y.z", "bad": "***", "élodie@example.fr": "é***@example.fr"} {
		if got := plan.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLegacyUpdateSendsStatusAndEnabled(t *testing.T) {
	s := mustParse(t, "components:\n  - name: A\n    description: new\n")
	c := liveComp(10, "A", 0, 1)
	c.Meta, c.Status, c.Enabled = nil, page.StatusPartialOutage, false
	p, err := plan.Compute(s, &plan.Live{Complete: true, Version: "2.3", Caps: v1Caps("2.3"), Components: []plan.Component{c}}, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	w := p.Ops[0].Component
	if w.Status == nil || *w.Status != page.StatusPartialOutage || w.Enabled == nil || *w.Enabled {
		t.Fatalf("2.3 update payload = %+v, want the live status and enabled sent", w)
	}
	p, _ = plan.Compute(s, &plan.Live{Complete: true, Version: "2.4", Components: []plan.Component{c}}, plan.Policy{})
	if w := p.Ops[0].Component; w.Status != nil || w.Enabled != nil {
		t.Fatalf("2.4 update payload = %+v, want only the description", w)
	}
}

// TestOrderZeroPageNeedsNoWrites: a page made through the API has every
// order 0; a file listing it in page order plans nothing.
func TestOrderZeroPageNeedsNoWrites(t *testing.T) {
	s := mustParse(t, "groups:\n  - name: G\n    components:\n      - name: A\n      - name: B\n  - name: H\ncomponents:\n  - name: C\n  - name: D\n")
	live := &plan.Live{Complete: true, Version: "2.4",
		Groups:     []plan.Group{liveGroup(1, "G", 0, true), liveGroup(2, "H", 0, true)},
		Components: []plan.Component{liveComp(1, "A", 1, 0), liveComp(2, "B", 1, 0), liveComp(3, "C", 0, 0), liveComp(4, "D", 0, 0)},
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil || !p.Empty() {
		t.Fatalf("plan of an order-0 page (%v):\n%s", err, textOf(t, p))
	}
	// Swapping two entries in the file renumbers that list only.
	s = mustParse(t, "groups:\n  - name: G\n    components:\n      - name: B\n      - name: A\n  - name: H\ncomponents:\n  - name: C\n  - name: D\n")
	p, _ = plan.Compute(s, live, plan.Policy{})
	if got := textOf(t, p); !strings.Contains(got, "Plan: 0 to create, 2 to update, 0 to delete.") {
		t.Fatalf("swap:\n%s", got)
	}
}

// TestMatchingIgnoresFileOrder: a pin claims its object before any name
// match, wherever the entries stand in the file.
func TestMatchingIgnoresFileOrder(t *testing.T) {
	live := &plan.Live{Complete: true, Version: "2.4", Groups: []plan.Group{liveGroup(1, "G1", 1, true)}}
	for _, yaml := range []string{
		"groups:\n  - name: G1\n  - name: G2\n    id: 1\n",
		"groups:\n  - name: G2\n    id: 1\n  - name: G1\n",
	} {
		p, err := plan.Compute(mustParse(t, yaml), live, plan.Policy{})
		if err != nil {
			t.Fatalf("%s: %v", yaml, err)
		}
		got := textOf(t, p)
		if !strings.Contains(got, `~   group "G2" (id 1)`) || !strings.Contains(got, `+   group "G1"`) {
			t.Errorf("%s:\n%s", yaml, got)
		}
	}
}

func TestTagsCompareBySlug(t *testing.T) {
	c := liveComp(10, "A", 0, 1)
	c.Tags = []string{"EU West", "prod"}
	p, err := plan.Compute(mustParse(t, "components:\n  - name: A\n    tags: [Prod, eu west]\n"), &plan.Live{Complete: true, Components: []plan.Component{c}}, plan.Policy{})
	if err != nil || !p.Empty() {
		t.Fatalf("tags equal by slug planned a change (%v):\n%s", err, textOf(t, p))
	}
}

// TestTagZeroIsDroppedOn24: Cachet 2.4 filter()s the split tag pieces, so a
// tag "0" is never stored (UpdateComponentCommandHandler.php:61, 2.4); a plan
// that asked for it would show the same change forever. 2.3 keeps it
// (v2.3.18 ComponentController.php:128-133).
func TestTagZeroIsDroppedOn24(t *testing.T) {
	c := liveComp(10, "A", 0, 1)
	c.Tags = []string{"x"}
	file := mustParse(t, "components:\n  - name: A\n    tags: [x, \"0\"]\n")
	p, err := plan.Compute(file, &plan.Live{Complete: true, Components: []plan.Component{c}}, plan.Policy{})
	if err != nil || !p.Empty() {
		t.Fatalf("2.4: tag 0 planned a change (%v):\n%s", err, textOf(t, p))
	}
	p, err = plan.Compute(file, &plan.Live{Complete: true, Version: "2.3", Caps: v1Caps("2.3"), Components: []plan.Component{c}}, plan.Policy{})
	if err != nil || p.Empty() {
		t.Fatalf("2.3: tag 0 planned no change (%v)", err)
	}
}

// v1Caps are the capabilities the API v1 adapter reports for a Cachet
// generation, for a Live built by hand.
func v1Caps(version string) *plan.Capabilities {
	c := cachetv1.Capabilities(version)
	return &c
}

// TestComputeReadsCapabilitiesNotVersion: what the adapter says the server
// can do decides the plan, whatever the version label says.
func TestComputeReadsCapabilitiesNotVersion(t *testing.T) {
	s := mustParse(t, "groups:\n  - name: G\n    visible: false\ncomponents:\n  - name: A\n    description: new\n    meta: {k: v}\n")
	c := liveComp(10, "A", 0, 1)
	c.Meta = nil
	for _, tc := range []struct {
		label, caps string
		legacy      bool
	}{
		{"2.4", "2.3", true},
		{"2.3", "2.4", false},
	} {
		p, err := plan.Compute(s, &plan.Live{Complete: true, Version: tc.label, Caps: v1Caps(tc.caps), Components: []plan.Component{c}}, plan.Policy{})
		if err != nil {
			t.Fatal(err)
		}
		text := textOf(t, p)
		if got := strings.Contains(text, "Cachet 2.3 has no group visibility"); got != tc.legacy {
			t.Errorf("label %s, capabilities of %s: visibility warning %v, want %v:\n%s", tc.label, tc.caps, got, tc.legacy, text)
		}
		if got := strings.Contains(text, "Cachet 2.3 has no component meta"); got != tc.legacy {
			t.Errorf("label %s, capabilities of %s: meta warning %v, want %v:\n%s", tc.label, tc.caps, got, tc.legacy, text)
		}
		var update *plan.ComponentWrite
		for _, op := range p.Ops {
			if op.Kind == plan.KindComponent {
				update = op.Component
			}
		}
		if update == nil || (update.Status != nil) != tc.legacy {
			t.Errorf("label %s, capabilities of %s: update %+v, want status sent: %v", tc.label, tc.caps, update, tc.legacy)
		}
	}
}

// TestGlobalSubscriberIsMadeNonGlobalWhereTheServerCan: a global
// subscriber is notified of every component; where the server can clear
// the flag (GlobalSubscribers, Cachet 3.x) a file that lists its
// components plans the change even when the subscriptions already match.
// Where it cannot (Cachet 2.4 marks every API-created subscriber global,
// for good), nothing is planned.
func TestGlobalSubscriberIsMadeNonGlobalWhereTheServerCan(t *testing.T) {
	s := mustParse(t, "components:\n  - name: A\nsubscribers:\n  - email: a@example.com\n    components: [A]\n")
	live := func(caps plan.Capabilities) *plan.Live {
		sb := sub(5, "a@example.com", [2]int{0, 10})
		sb.Global = true
		return &plan.Live{Complete: true, Caps: &caps, Components: []plan.Component{liveComp(10, "A", 0, 1)}, Subscribers: []plan.Subscriber{sb}}
	}
	p, err := plan.Compute(s, live(plan.DefaultCapabilities), plan.Policy{})
	if err != nil || !p.Empty() {
		t.Fatalf("without GlobalSubscribers: %v\n%s", err, textOf(t, p))
	}
	caps := plan.DefaultCapabilities
	caps.SubscribersInPlace, caps.GlobalSubscribers = true, true
	p, err = plan.Compute(s, live(caps), plan.Policy{})
	if err != nil || len(p.Ops) != 1 {
		t.Fatalf("with GlobalSubscribers: %v, %d ops", err, len(p.Ops))
	}
	op := p.Ops[0]
	if op.Action != plan.Update || !op.Subscriber.InPlace || len(op.Changes) != 1 || op.Changes[0].Field != "global" {
		t.Errorf("op = %+v, want an in-place update of global alone", op)
	}
	found := false
	for _, d := range p.Depends {
		if d.Kind == plan.KindSubscriber && slices.Contains(d.Fields, "global") {
			found = true
		}
	}
	if !found {
		t.Errorf("the plan does not depend on the subscriber's global flag: %+v", p.Depends)
	}
}

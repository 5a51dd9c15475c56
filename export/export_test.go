package export_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
	"github.com/cachetsync/cachetsync/spec"
)

// seededPage seeds one emulated Cachet page.
type seededPage struct {
	name    string
	version string
	seed    func(e *cachettest.Emulator)
	// moves names components whose group no longer exists: Cachet hides
	// them, the export declares them ungrouped, so the one planned change
	// is to move each to group 0, where the page shows it.
	moves []string
}

func group(id int, name string, order int, visible bool, collapsed cachet.GroupCollapsed) cachet.ComponentGroup {
	v := cachet.GroupLoggedInOnly
	if visible {
		v = cachet.GroupPublic
	}
	return cachet.ComponentGroup{ID: id, Name: name, Order: order, Visible: v, Collapsed: collapsed}
}

func comp(id int, name string, groupID, order int) cachet.Component {
	return cachet.Component{ID: id, Name: name, GroupID: groupID, Order: order, Enabled: true, Status: cachet.StatusOperational}
}

func tags(names ...string) cachet.Tags {
	var t cachet.Tags
	for _, n := range names {
		t.Add(n)
	}
	return t
}

var pages = []seededPage{
	{
		name: "empty",
		seed: func(*cachettest.Emulator) {},
	},
	{
		name: "everything",
		seed: func(e *cachettest.Emulator) {
			e.SeedGroup(group(1, "Customer facing", 1, true, cachet.GroupOpen))
			e.SeedGroup(group(2, "Interne Dienste — Zürich", 2, false, cachet.GroupCollapsedUnlessIncident))
			e.SeedGroup(group(3, "true", 3, true, cachet.GroupCollapsedAlways))
			api := comp(1, "API", 1, 1)
			api.Description = "Public REST API.\nServed from eu-west and us-east.\n\n  Indented line.\nLast line"
			api.Link = "https://api.example.com/v1?x=1&y=2"
			api.Tags = tags("production", "EU West", "tier-1")
			api.Meta = cachet.Meta{"owner": "platform", "tier": 1.0, "ratio": 0.25, "oncall": []any{"a", "b"}, "nested": map[string]any{"k": true, "n": nil}}
			api.Status = cachet.StatusMajorOutage
			e.SeedComponent(api)
			web := comp(2, "Website: marketing & docs", 1, 2)
			web.Description = "- not a list, #not a comment"
			web.Enabled = false
			e.SeedComponent(web)
			e.SeedComponent(comp(3, "日本語のサービス 🚀", 1, 3))
			e.SeedComponent(comp(4, "123", 2, 1))
			quoted := comp(5, "'quoted' \"name\"", 2, 2)
			quoted.Description = "null"
			e.SeedComponent(quoted)
			e.SeedComponent(comp(6, "yes", 3, 1))
			ungrouped := comp(7, "Status page", 0, 1)
			ungrouped.Description = "@ the top: {braces} [brackets]"
			ungrouped.Status = cachet.StatusPartialOutage
			e.SeedComponent(ungrouped)
			e.SeedSubscriber("oncall@example.com")
			e.SeedSubscriber("Support@Example.com", 1, 2)
			e.SeedSubscriber("uni+tag@example.co.uk", 7)
		},
	},
	{
		// Cachet does not check group_id: a component may name a group
		// that does not exist (deleted while the id was kept elsewhere).
		name:  "component_in_a_deleted_group",
		moves: []string{"Orphan"},
		seed: func(e *cachettest.Emulator) {
			e.SeedGroup(group(1, "Ops", 1, true, cachet.GroupOpen))
			e.SeedComponent(comp(1, "DB", 1, 1))
			e.SeedComponent(comp(2, "Status page", 0, 1))
			e.SeedComponent(comp(3, "Orphan", 99, 2))
			e.SeedSubscriber("a@example.com", 3)
		},
	},
	{
		// Made through the API without orders: every order is 0 and
		// Cachet ranks by id. The export plans no renumbering.
		name: "every_order_0",
		seed: func(e *cachettest.Emulator) {
			e.SeedGroup(group(1, "Second made", 0, true, cachet.GroupOpen))
			e.SeedGroup(group(2, "First made", 0, true, cachet.GroupOpen))
			e.SeedComponent(comp(1, "B", 1, 0))
			e.SeedComponent(comp(2, "A", 1, 0))
			e.SeedComponent(comp(3, "C", 2, 0))
			e.SeedComponent(comp(4, "Loose 1", 0, 0))
			e.SeedComponent(comp(5, "Loose 2", 0, 0))
			e.SeedSubscriber("one@example.com", 3)
		},
	},
	{
		name: "page_order_is_not_id_order",
		seed: func(e *cachettest.Emulator) {
			e.SeedGroup(group(1, "Second", 2, true, cachet.GroupOpen))
			e.SeedGroup(group(2, "First", 1, true, cachet.GroupOpen))
			e.SeedComponent(comp(1, "B", 2, 2))
			e.SeedComponent(comp(2, "A", 2, 1))
			e.SeedComponent(comp(3, "C", 1, 1))
			e.SeedSubscriber("one@example.com", 3)
		},
	},
	{
		name:    "cachet_2.3",
		version: "2.3",
		seed: func(e *cachettest.Emulator) {
			e.SeedGroup(group(1, "Ops", 1, true, cachet.GroupCollapsedAlways))
			db := comp(1, "DB", 1, 1)
			db.Description = "Primary\ndatabase"
			db.Tags = tags("data")
			e.SeedComponent(db)
			e.SeedComponent(comp(2, "Queue", 0, 1))
			e.SeedSubscriber("a@example.com", 2)
		},
	},
}

func newServer(t *testing.T, p seededPage) *cachettest.Server {
	t.Helper()
	var opts []cachettest.Option
	if p.version != "" {
		opts = append(opts, cachettest.WithVersion(p.version))
	}
	srv := cachettest.NewServer(opts...)
	t.Cleanup(srv.Close)
	p.seed(srv.Emulator)
	return srv
}

func readLive(t *testing.T, srv *cachettest.Server, o cachetv1.ReadOptions) *plan.Live {
	t.Helper()
	c, err := cachet.New(srv.URL, srv.Token(), cachet.WithReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	live, err := cachetv1.ReadLive(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	return live
}

func write(t *testing.T, live *plan.Live, o export.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(&buf, live, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestRoundTrip: the export of a page, parsed as a spec and planned against
// the same page, plans nothing.
func TestRoundTrip(t *testing.T) {
	for _, p := range pages {
		for _, withSubs := range []bool{true, false} {
			name := p.name
			if !withSubs {
				name += "/no_subscribers"
			}
			t.Run(name, func(t *testing.T) {
				srv := newServer(t, p)
				live := readLive(t, srv, cachetv1.ReadOptions{SkipSubscribers: !withSubs})
				out := write(t, live, export.Options{Subscribers: withSubs})
				s, err := spec.Parse("export.yaml", []byte(out))
				if err != nil {
					t.Fatalf("the export does not parse: %v\n%s", err, out)
				}
				pl, err := plan.Compute(s, live, plan.Policy{})
				if err != nil {
					t.Fatalf("Compute: %v\n%s", err, out)
				}
				var moved []string
				for _, op := range pl.Ops {
					if op.Action == plan.Update && len(op.Changes) == 1 && op.Changes[0].Field == "group" && op.Changes[0].After.String() == plan.LabelUngrouped {
						moved = append(moved, op.Key)
					}
				}
				if len(moved) != len(pl.Ops) || !slices.Equal(moved, p.moves) {
					var txt bytes.Buffer
					_ = render.Text(&txt, pl, render.Options{ShowEmails: true})
					t.Errorf("the export plans changes:\n%s\nexport:\n%s", txt.String(), out)
				}
				if got, want := len(s.AllComponents()), len(live.Components); got != want {
					t.Errorf("the export declares %d components, the page has %d", got, want)
				}
				if got, want := len(s.Groups), len(live.Groups); got != want {
					t.Errorf("the export declares %d groups, the page has %d", got, want)
				}
				if withSubs && len(s.Subscribers) != len(live.Subscribers) {
					t.Errorf("the export declares %d subscribers, the page has %d", len(s.Subscribers), len(live.Subscribers))
				}
				if !withSubs && len(s.Subscribers) != 0 {
					t.Errorf("subscribers exported without Options.Subscribers")
				}
			})
		}
	}
}

// TestWriteFormat pins the exported text of a small page: header and
// modeline, page order, ungrouped and orphaned components, quoting, literal
// blocks, flow lists, meta, no status, subscriber component lists, prune.
func TestWriteFormat(t *testing.T) {
	live := &plan.Live{
		Complete: true, Version: "2.4",
		Groups: []plan.Group{
			{ID: 2, Name: "Internal", Order: 2, Visible: page.LoggedInOnly, HasVisibility: true, Collapsed: page.CollapsedUnlessIncident},
			{ID: 1, Name: "Public", Order: 1, Visible: page.Public, HasVisibility: true},
		},
		Components: []plan.Component{
			{ID: 1, Name: "API", GroupID: 1, Order: 2, Enabled: true, Status: page.StatusMajorOutage, Description: "REST API\nall regions",
				Link: "https://api.example.com", Tags: []string{"eu", "prod"}, Meta: map[string]any{"owner": "platform"}},
			{ID: 2, Name: "true", GroupID: 1, Order: 1, Enabled: false, Description: "", Meta: map[string]any{}},
			{ID: 3, Name: "CI", GroupID: 2, Order: 1, Enabled: true, Description: "Builds: all of them", Meta: map[string]any{}},
			{ID: 4, Name: "Status page", Order: 1, Enabled: true, Meta: map[string]any{}},
			{ID: 5, Name: "Orphan", GroupID: 42, Order: 2, Enabled: true, Meta: map[string]any{}},
		},
		Subscribers: []plan.Subscriber{
			{ID: 1, Email: "b@example.com", Subscriptions: []plan.Subscription{{ID: 1, ComponentID: 3}, {ID: 2, ComponentID: 1}, {ID: 3, ComponentID: 77}}},
			{ID: 2, Email: "a@example.com", Subscriptions: []plan.Subscription{
				{ID: 4, ComponentID: 1}, {ID: 5, ComponentID: 2}, {ID: 6, ComponentID: 3}, {ID: 7, ComponentID: 4}, {ID: 8, ComponentID: 5}}},
			{ID: 3, Email: "c@example.com", Subscriptions: []plan.Subscription{{ID: 9, ComponentID: 77}}},
		},
	}
	want := `# yaml-language-server: $schema=https://raw.githubusercontent.com/cachetsync/cachetsync/main/cachetsync.schema.json
#
# Exported from the live Cachet page by ` + "`cachetsync export`" + `.
# List position is the order on the page. A field left out is not managed.
# Component status is not exported: it is operational state that monitors
# and incidents change, not configuration. Add ` + "`status:`" + ` to manage it.
# prune is all false: nothing is deleted until you turn it on.
groups:
  - name: Public
    visible: true
    collapsed: open
    components:
      - name: "true"
        description: ""
        link: ""
        enabled: false
      - name: API
        description: |-
          REST API
          all regions
        link: https://api.example.com
        enabled: true
        tags: [eu, prod]
        meta:
          owner: platform
  - name: Internal
    visible: false
    collapsed: collapsed-unless-incident
    components:
      - name: CI
        description: 'Builds: all of them'
        link: ""
        enabled: true

components:
  - name: Status page
    description: ""
    link: ""
    enabled: true
  - name: Orphan # group_id 42: that group no longer exists
    description: ""
    link: ""
    enabled: true

subscribers:
  - email: a@example.com
  - email: b@example.com
    components: [API, CI]
  - email: c@example.com # subscribed to no component on the live page

prune:
  groups: false
  components: false
  subscribers: false
`
	got := write(t, live, export.Options{Subscribers: true, AllFields: true})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("export differs (-want +got):\n%s", diff)
	}
	// Without AllFields, fields holding Cachet's defaults are left out (and
	// so not managed): an empty description or link, enabled: true.
	wantLean := strings.NewReplacer(
		"        description: \"\"\n", "",
		"        link: \"\"\n", "",
		"        enabled: true\n", "",
		"    description: \"\"\n", "",
		"    link: \"\"\n", "",
		"    enabled: true\n", "",
	).Replace(want)
	if lean := write(t, live, export.Options{Subscribers: true}); lean != wantLean {
		t.Errorf("export without AllFields differs (-want +got):\n%s", cmp.Diff(wantLean, lean))
	}
	if lean := write(t, live, export.Options{}); strings.Contains(lean, "enabled: true") || strings.Contains(lean, `""`) || !strings.Contains(lean, "enabled: false") {
		t.Errorf("defaults written, or enabled: false left out:\n%s", lean)
	}
	if strings.Contains(got, " status:") || strings.Contains(got, "major-outage") {
		t.Error("status was exported")
	}
	if noSubs := write(t, live, export.Options{}); strings.Contains(noSubs, "subscribers:\n  -") || strings.Contains(noSubs, "@example.com") {
		t.Errorf("subscribers exported without Options.Subscribers:\n%s", noSubs)
	}
}

func TestWriteSubscribersAlone(t *testing.T) {
	live := &plan.Live{Complete: true, Version: "2.4",
		Components:  []plan.Component{{ID: 1, Name: "API", Enabled: true}, {ID: 2, Name: "Web", Enabled: true}},
		Subscribers: []plan.Subscriber{{ID: 1, Email: "b@example.com", Subscriptions: []plan.Subscription{{ID: 1, ComponentID: 1}}}}}
	var b bytes.Buffer
	if err := export.WriteSubscribers(&b, live); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.HasSuffix(got, "subscribers:\n  - email: b@example.com\n    components: [API]\n") || strings.Contains(got, "prune") || strings.Contains(got, "name: API") {
		t.Errorf("subscribers file:\n%s", got)
	}
}

func TestWriteQuotesYAML11Booleans(t *testing.T) {
	live := &plan.Live{Components: []plan.Component{{ID: 1, Name: "yes", Order: 1}, {ID: 2, Name: "Off", Order: 2}, {ID: 3, Name: "yesterday", Order: 3}}}
	got := write(t, live, export.Options{})
	for _, want := range []string{`- name: "yes"`, `- name: "Off"`, `- name: yesterday`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in:\n%s", want, got)
		}
	}
}

func TestWriteRefusesDuplicateNames(t *testing.T) {
	live := &plan.Live{Complete: true, Version: "2.4",
		Components: []plan.Component{{ID: 3, Name: "API"}, {ID: 9, Name: "API "}, {ID: 4, Name: "Web"}}}
	err := export.Write(&bytes.Buffer{}, live, export.Options{})
	if err == nil || !strings.Contains(err.Error(), `2 components are named "API" (ids 3, 9)`) {
		t.Fatalf("err = %v, want the duplicate named with its ids", err)
	}
}

package render

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/internal/golden"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// goldenPlan is a plan computed from plain values, rendered by every
// renderer into testdata/golden/NAME.{txt,color.txt,md,json}.
type goldenPlan struct {
	name string
	spec spec.Spec
	live plan.Live
}

func goldenPlans() []goldenPlan {
	apiBefore := "Public REST API.\nServed from eu-west and us-east.\nRate limited to 100 requests per second."
	apiAfter := "Public REST API.\nServed from eu-west, us-east and ap-south.\nRate limited to 100 requests per second.\nSee https://docs.example.com for the SLA."
	checkout := "Payments and billing.\nCard data never touches our servers: ```stripe``` does."
	odd := "Marketing | site with `code` and *stars*"
	return []goldenPlan{
		{
			// Every action: renames, moves, long description diffs, a
			// create with long text, subscriber create/update/replace/delete,
			// prune deletes, an operation warning and note.
			name: "mixed",
			spec: spec.Spec{
				Groups: []spec.Group{
					{
						Name: "Customer facing", Previously: []string{"Public"}, Visible: cachet.Ptr(true),
						Collapsed: cachet.Ptr(page.CollapsedUnlessIncident),
						Components: []spec.Component{
							{Name: "API", Description: &apiAfter, Link: cachet.Ptr("https://api.example.com"),
								Tags: []string{"production", "eu-west"}, Status: cachet.Ptr(page.StatusPartialOutage)},
							{Name: "Website", Description: &odd, Enabled: cachet.Ptr(false)},
							{Name: "Checkout", Description: &checkout, Enabled: cachet.Ptr(true), Meta: map[string]any{"owner": "payments"}},
						},
					},
					{
						Name: "Internal", Visible: cachet.Ptr(false),
						Components: []spec.Component{{Name: "CI runners"}},
					},
				},
				Components: []spec.Component{
					{Name: "Status page", Link: cachet.Ptr("https://status.example.com"), Tags: []string{}},
				},
				Subscribers: []spec.Subscriber{
					{Email: "oncall@example.com", Components: []string{"API"}},
					{Email: "support@example.com", Components: []string{"API", "Website"}},
					{Email: "New.Person@example.com", Components: []string{"Checkout"}},
					{Email: "everyone@example.com"},
				},
				Prune: spec.Prune{Groups: true, Components: true, Subscribers: true},
			},
			live: plan.Live{
				Complete: true, Version: "2.4",
				Groups: []plan.Group{
					{ID: 1, Name: "Public", Order: 1, Visible: page.Public, HasVisibility: true},
					{ID: 2, Name: "Legacy", Order: 2, Visible: page.Public, HasVisibility: true},
				},
				Components: []plan.Component{
					{ID: 1, Name: "API", GroupID: 1, Order: 1, Enabled: true, Status: page.StatusOperational, Description: apiBefore,
						Link: "https://old.example.com", Tags: []string{"production"}, Meta: map[string]any{}},
					{ID: 2, Name: "Website", GroupID: 1, Order: 2, Enabled: true, Status: page.StatusOperational, Description: "Marketing site", Meta: map[string]any{}},
					{ID: 3, Name: "Old thing", GroupID: 2, Order: 1, Enabled: true, Meta: map[string]any{}},
					{ID: 4, Name: "Status page", Order: 1, Enabled: true, Tags: []string{"internal"}, Meta: map[string]any{}},
				},
				Subscribers: []plan.Subscriber{
					{ID: 1, Email: "oncall@example.com", Subscriptions: []plan.Subscription{{ID: 11, ComponentID: 1}, {ID: 12, ComponentID: 2}}},
					{ID: 2, Email: "support@example.com", Subscriptions: []plan.Subscription{{ID: 21, ComponentID: 1}}},
					{ID: 3, Email: "gone@example.com"},
					{ID: 4, Email: "everyone@example.com"},
				},
			},
		},
		{
			// Cachet 2.3: meta is not sent (a plan warning and an operation
			// warning), a group delete orphans a component (an operation
			// note), and what is not pruned is noted.
			name: "legacy_notes",
			spec: spec.Spec{
				Groups: []spec.Group{{Name: "Ops", Components: []spec.Component{
					{Name: "DB", Meta: map[string]any{"owner": "data"}},
				}}},
				Components: []spec.Component{{Name: "Cache", Meta: map[string]any{"owner": "data"}}},
				Prune:      spec.Prune{Groups: true},
			},
			live: plan.Live{
				Complete: true, Version: "2.3", Caps: v1Caps("2.3"),
				Groups: []plan.Group{
					{ID: 1, Name: "Ops", Order: 1, Visible: page.Public},
					{ID: 2, Name: "Retired", Order: 2, Visible: page.Public},
				},
				Components: []plan.Component{
					{ID: 1, Name: "DB", GroupID: 1, Order: 1, Enabled: true},
					{ID: 2, Name: "Queue", GroupID: 2, Order: 1, Enabled: true},
				},
				Subscribers: []plan.Subscriber{{ID: 1, Email: "someone@example.com"}},
			},
		},
		{
			name: "no_changes",
			spec: spec.Spec{
				Groups: []spec.Group{{Name: "Ops", Visible: cachet.Ptr(true), Components: []spec.Component{
					{Name: "DB", Description: cachet.Ptr("Primary database"), Enabled: cachet.Ptr(true)},
				}}},
			},
			live: plan.Live{
				Complete: true, Version: "2.4",
				Groups: []plan.Group{{ID: 1, Name: "Ops", Order: 1, Visible: page.Public, HasVisibility: true}},
				Components: []plan.Component{
					{ID: 1, Name: "DB", GroupID: 1, Order: 1, Enabled: true, Description: "Primary database", Meta: map[string]any{}},
				},
			},
		},
	}
}

func computeGolden(t *testing.T, g goldenPlan) *plan.Plan {
	t.Helper()
	p, err := plan.Compute(&g.spec, &g.live, plan.Policy{})
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}

// TestGoldenRenderers checks the text (plain and coloured), Markdown and
// JSON renderings of a few plans against testdata/golden (go test ./render
// -update rewrites them).
func TestGoldenRenderers(t *testing.T) {
	renderers := []struct {
		ext    string
		render func(*bytes.Buffer, *plan.Plan) error
	}{
		{".txt", func(b *bytes.Buffer, p *plan.Plan) error { return Text(b, p, Options{}) }},
		{".color.txt", func(b *bytes.Buffer, p *plan.Plan) error { return Text(b, p, Options{Color: true}) }},
		{".md", func(b *bytes.Buffer, p *plan.Plan) error { return Markdown(b, p, Options{}) }},
		{".json", func(b *bytes.Buffer, p *plan.Plan) error { return JSON(b, p) }},
	}
	for _, g := range goldenPlans() {
		p := computeGolden(t, g)
		for _, r := range renderers {
			t.Run(g.name+r.ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := r.render(&buf, p); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("testdata", "golden", g.name+r.ext), buf.String())
			})
		}
	}
}

// v1Caps are the capabilities the API v1 adapter reports for a Cachet
// generation, for a Live built by hand.
func v1Caps(version string) *plan.Capabilities {
	c := cachetv1.Capabilities(version)
	return &c
}

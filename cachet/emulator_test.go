package cachet_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/google/go-cmp/cmp"
)

func newEmulator(t *testing.T, opts ...cachettest.Option) (*cachettest.Server, *cachet.Client) {
	t.Helper()
	srv := cachettest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := cachet.New(srv.URL, srv.Token(), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func collectAll[T any](t *testing.T, seq func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestSystemEndpoints(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	if ok, err := c.Ping(ctx); !ok || err != nil {
		t.Errorf("Ping = %v, %v", ok, err)
	}
	v := must[cachet.Version](t)(c.Version(ctx))
	// Cachet compares "2.4.1" with the tag "v2.4.1", which PHP ranks lower.
	if v.Value != "2.4.1" || v.Latest != "v2.4.1" || !v.OnLatest {
		t.Errorf("Version = %+v", v)
	}
	st := must[cachet.SystemStatus](t)(c.Status(ctx))
	if st.Status != "success" || st.Message == "" {
		t.Errorf("Status = %+v", st)
	}
	if sv := must[string](t)(c.ServerVersion(ctx)); sv != "2.4" {
		t.Errorf("ServerVersion = %q", sv)
	}
	if err := c.CheckToken(ctx); err != nil {
		t.Errorf("CheckToken with the right token: %v", err)
	}
	bad, _ := cachet.New(srv.URL, "wrong-token")
	if err := bad.CheckToken(ctx); !errors.Is(err, cachet.ErrUnauthorized) {
		t.Errorf("CheckToken with a wrong token: %v", err)
	}
	none, _ := cachet.New(srv.URL, "")
	if err := none.CheckToken(ctx); !errors.Is(err, cachet.ErrUnauthorized) {
		t.Errorf("CheckToken without a token: %v", err)
	}

	old, c23 := newEmulator(t, cachettest.WithVersion("2.3"))
	_ = old
	if sv := must[string](t)(c23.ServerVersion(ctx)); sv != "2.3" {
		t.Errorf("ServerVersion on 2.3 = %q", sv)
	}
}

func TestBadEndpointErrors(t *testing.T) {
	srv, _ := newEmulator(t)
	ctx := context.Background()
	// Right host, wrong prefix: every call is a 404 from the server.
	wrong, err := cachet.New(srv.BaseURL()+"/status/api/v1", srv.Token(), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrong.Ping(ctx); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Ping under a wrong prefix: %v", err)
	}
	// Nothing listening.
	gone := newClient(t, refusedEndpoint(t))
	if _, err := gone.Ping(ctx); err == nil {
		t.Error("Ping to a closed port succeeded")
	}
}

func TestComponentsCRUD(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	g := srv.SeedGroup(cachet.ComponentGroup{Name: "G", Visible: cachet.GroupPublic})

	created := must[cachet.Component](t)(c.Components.Create(ctx, cachet.ComponentParams{
		Name: cachet.Ptr("API"), Description: cachet.Ptr("REST"), Link: cachet.Ptr("https://api.example.com"),
		Status: cachet.Ptr(cachet.StatusPartialOutage), GroupID: cachet.Ptr(g.ID), Order: cachet.Ptr(2),
		Meta: cachet.Meta{"owner": "sre"}, Tags: []string{"Production", "EU West"},
	}))
	want := cachet.Component{Name: "API", Description: "REST", Link: "https://api.example.com",
		Status: cachet.StatusPartialOutage, StatusName: "Partial Outage", Order: 2, GroupID: g.ID, Enabled: true,
		Meta: cachet.Meta{"owner": "sre"}, Tags: cachet.Tags{"production": "Production", "eu-west": "EU West"}}
	ignore := cmp.FilterPath(func(p cmp.Path) bool {
		n := p.Last().String()
		return n == ".ID" || n == ".CreatedAt" || n == ".UpdatedAt"
	}, cmp.Ignore())
	if diff := cmp.Diff(want, created, ignore); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if created.ID == 0 || created.CreatedAt.IsZero() {
		t.Errorf("Create: id %d, created_at %v", created.ID, created.CreatedAt)
	}
	got := must[cachet.Component](t)(c.Components.Get(ctx, created.ID))
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get (-create +get):\n%s", diff)
	}

	// Update sends only what is set: status, tags and meta stay.
	upd := must[cachet.Component](t)(c.Components.Update(ctx, created.ID, cachet.ComponentParams{Name: cachet.Ptr("Public API")}))
	if upd.Name != "Public API" || upd.Status != cachet.StatusPartialOutage || !upd.Tags.Has("production") || upd.Meta["owner"] != "sre" {
		t.Errorf("partial Update = %+v", upd)
	}

	if err := c.Components.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.Get(ctx, created.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if err := c.Components.Delete(ctx, created.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
	_, err := c.Components.Create(ctx, cachet.ComponentParams{})
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !slices.Contains(apiErr.Details, "The name field is required.") {
		t.Errorf("Create without name: %v", err)
	}
}

func TestComponentZeroValuesAreSent(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	g := srv.SeedGroup(cachet.ComponentGroup{Name: "G"})
	comp := srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusMajorOutage, Enabled: true, GroupID: g.ID, Order: 5})
	_, err := c.Components.Update(ctx, comp.ID, cachet.ComponentParams{
		Enabled: cachet.Ptr(false), GroupID: cachet.Ptr(0), Order: cachet.Ptr(0),
		Status: cachet.Ptr(cachet.StatusUnknown), Description: cachet.Ptr(""), Silent: cachet.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	live := srv.Components()
	if len(live) != 1 {
		t.Fatalf("%d components", len(live))
	}
	if l := live[0]; l.Enabled || l.GroupID != 0 || l.Order != 0 || l.Status != cachet.StatusUnknown {
		t.Errorf("after Update: enabled %v group %d order %d status %v; want all zero", l.Enabled, l.GroupID, l.Order, l.Status)
	}
	// A disabled component is visible with the token.
	if n := must[int](t)(c.Components.Count(ctx)); n != 1 {
		t.Errorf("Count = %d", n)
	}
}

func TestComponentsPaging(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	var ids []int
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		ids = append(ids, srv.SeedComponent(cachet.Component{Name: name, Enabled: true}).ID)
	}
	srv.SeedComponent(cachet.Component{Name: "b", Enabled: false, Status: cachet.StatusMajorOutage})

	p := must[cachet.Page[cachet.Component]](t)(c.Components.List(ctx, cachet.ListOptions{Page: 2, PerPage: 2}))
	if p.Pagination.Total != 6 || p.Pagination.TotalPages != 3 || p.Pagination.CurrentPage != 2 || len(p.Items) != 2 {
		t.Errorf("List page 2: %+v, %d items", p.Pagination, len(p.Items))
	}
	// sort=id is DESC in Cachet: page 2 of 2 holds ids 4 and 3.
	if p.Items[0].ID != ids[3] || p.Items[1].ID != ids[2] {
		t.Errorf("List page 2 ids %d,%d", p.Items[0].ID, p.Items[1].ID)
	}
	all := collectAll(t, c.Components.All(ctx, cachet.ListOptions{PerPage: 2}))
	if len(all) != 6 {
		t.Errorf("All: %d components", len(all))
	}
	seen := map[int]bool{}
	for _, comp := range all {
		seen[comp.ID] = true
	}
	if len(seen) != 6 {
		t.Errorf("All repeated components: %v", seen)
	}
	if n := len(collectAll(t, c.Components.All(ctx, cachet.ListOptions{}))); n != 6 {
		t.Errorf("All with default page size: %d", n)
	}
	if n := must[int](t)(c.Components.Count(ctx)); n != 6 {
		t.Errorf("Count = %d", n)
	}
	// Early break stops the iteration.
	n := 0
	for range c.Components.All(ctx, cachet.ListOptions{PerPage: 1}) {
		n++
		if n == 2 {
			break
		}
	}

	// Filters: one page, never a page parameter (Cachet would answer 500).
	found := must[[]cachet.Component](t)(c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("b")}))
	if len(found) != 2 {
		t.Errorf("Find name=b: %d components", len(found))
	}
	found = must[[]cachet.Component](t)(c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("b"), Enabled: cachet.Ptr(true)}))
	if len(found) != 1 || !found[0].Enabled {
		t.Errorf("Find name=b enabled=1: %+v", found)
	}
}

func TestGroupsCRUD(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	g := must[cachet.ComponentGroup](t)(c.Groups.Create(ctx, cachet.GroupParams{
		Name: cachet.Ptr("Customer facing"), Order: cachet.Ptr(3), Collapsed: cachet.Ptr(cachet.GroupCollapsedUnlessIncident), Visible: cachet.Ptr(cachet.GroupPublic),
	}))
	if g.Name != "Customer facing" || g.Order != 3 || g.Collapsed != cachet.GroupCollapsedUnlessIncident || g.Visible != cachet.GroupPublic || !g.HasVisibility {
		t.Errorf("Create = %+v", g)
	}
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true, GroupID: g.ID, Status: cachet.StatusPartialOutage})
	got := must[cachet.ComponentGroup](t)(c.Groups.Get(ctx, g.ID))
	if len(got.EnabledComponents) != 1 || got.EnabledComponents[0].ID != comp.ID || got.IsOperational() || !got.IsCollapsed() {
		t.Errorf("Get = %+v", got)
	}

	// A rename alone keeps order, collapsed and visibility.
	must[cachet.ComponentGroup](t)(c.Groups.Update(ctx, g.ID, cachet.GroupParams{Name: cachet.Ptr("Customers")}))
	live := srv.Groups()
	if l := live[0]; l.Name != "Customers" || l.Order != 3 || l.Visible != cachet.GroupPublic || l.Collapsed != cachet.GroupCollapsedUnlessIncident {
		t.Errorf("after rename: %+v", l)
	}
	// Zero values go out when set.
	must[cachet.ComponentGroup](t)(c.Groups.Update(ctx, g.ID, cachet.GroupParams{Order: cachet.Ptr(0), Collapsed: cachet.Ptr(cachet.GroupOpen), Visible: cachet.Ptr(cachet.GroupLoggedInOnly)}))
	if l := srv.Groups()[0]; l.Order != 0 || l.Visible != cachet.GroupLoggedInOnly || l.Collapsed != cachet.GroupOpen {
		t.Errorf("after zero update: %+v", l)
	}

	srv.SeedGroup(cachet.ComponentGroup{Name: "Other", Visible: cachet.GroupPublic})
	if n := must[int](t)(c.Groups.Count(ctx)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.Groups.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d groups", n)
	}
	p := must[cachet.Page[cachet.ComponentGroup]](t)(c.Groups.List(ctx, cachet.ListOptions{PerPage: 1}))
	if len(p.Items) != 1 || p.Pagination.Total != 2 {
		t.Errorf("List = %+v", p)
	}
	found := must[[]cachet.ComponentGroup](t)(c.Groups.Find(ctx, cachet.GroupFilter{Name: cachet.Ptr("Other")}))
	if len(found) != 1 || found[0].Name != "Other" {
		t.Errorf("Find = %+v", found)
	}

	if err := c.Groups.Delete(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if comps := srv.Components(); comps[0].GroupID != 0 {
		t.Errorf("member not orphaned: %+v", comps[0])
	}
	if _, err := c.Groups.Get(ctx, g.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

func TestCachet23Shapes(t *testing.T) {
	srv, c := newEmulator(t, cachettest.WithVersion("2.3"))
	ctx := context.Background()
	srv.SeedGroup(cachet.ComponentGroup{Name: "G"})
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true, Status: cachet.StatusOperational})
	got := must[cachet.Component](t)(c.Components.Get(ctx, comp.ID))
	if got.Meta != nil {
		t.Errorf("2.3 component meta = %#v, want nil", got.Meta)
	}
	groups := collectAll(t, c.Groups.All(ctx, cachet.ListOptions{}))
	if len(groups) != 1 || groups[0].HasVisibility {
		t.Errorf("2.3 groups = %+v", groups)
	}
	if _, err := c.Schedules.Count(ctx); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("2.3 schedules: %v", err)
	}
}

func TestIncidents(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	comp := srv.SeedComponent(cachet.Component{Name: "Checkout", Enabled: true, Status: cachet.StatusOperational})
	occurred := time.Date(2024, 5, 3, 8, 55, 0, 0, time.UTC)
	in := must[cachet.Incident](t)(c.Incidents.Create(ctx, cachet.IncidentParams{
		Name: cachet.Ptr("Checkout errors"), Message: cachet.Ptr("Investigating."), Status: cachet.Ptr(cachet.IncidentInvestigating),
		Visible: cachet.Ptr(false), Stickied: cachet.Ptr(true), Notify: cachet.Ptr(false),
		ComponentID: cachet.Ptr(comp.ID), ComponentStatus: cachet.Ptr(cachet.StatusMajorOutage),
		OccurredAt: &occurred, Meta: cachet.Meta{"ticket": "OPS-42"},
	}))
	if in.Name != "Checkout errors" || in.Visible || !in.Stickied || in.ComponentID != comp.ID || !in.OccurredAt.Equal(occurred) ||
		in.Meta["ticket"] != "OPS-42" || in.Status != cachet.IncidentInvestigating {
		t.Errorf("Create = %+v", in)
	}
	if st := srv.Components()[0].Status; st != cachet.StatusMajorOutage {
		t.Errorf("component status = %v, want major outage", st)
	}

	// Update of the name only keeps visible and stickied (Cachet would reset them).
	upd := must[cachet.Incident](t)(c.Incidents.Update(ctx, in.ID, cachet.IncidentParams{Name: cachet.Ptr("Checkout down")}))
	if upd.Name != "Checkout down" || upd.Visible || !upd.Stickied {
		t.Errorf("Update = %+v", upd)
	}
	upd = must[cachet.Incident](t)(c.Incidents.Update(ctx, in.ID, cachet.IncidentParams{
		Visible: cachet.Ptr(true), Stickied: cachet.Ptr(false), Status: cachet.Ptr(cachet.IncidentFixed),
	}))
	if !upd.Visible || upd.Stickied || upd.Status != cachet.IncidentFixed {
		t.Errorf("explicit Update = %+v", upd)
	}

	// Templates with vars.
	srv.SeedIncidentTemplate("Outage", "outage", "Name: {{ name }}, Message: {{ message }}")
	tpl := must[cachet.Incident](t)(c.Incidents.Create(ctx, cachet.IncidentParams{
		Name: cachet.Ptr("Foo"), Status: cachet.Ptr(cachet.IncidentIdentified), Template: cachet.Ptr("outage"),
		Vars: map[string]any{"name": "Foo", "message": "Hello"},
	}))
	// The trailing space is Cachet's sandbox wrapper
	// (CreateIncidentCommandHandler.php:160, 2.4).
	if tpl.Message != "Name: Foo, Message: Hello " {
		t.Errorf("templated message = %q", tpl.Message)
	}

	got := must[cachet.Incident](t)(c.Incidents.Get(ctx, in.ID))
	if got.ID != in.ID || got.Name != "Checkout down" {
		t.Errorf("Get = %+v", got)
	}
	if n := must[int](t)(c.Incidents.Count(ctx)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.Incidents.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d", n)
	}
	p := must[cachet.Page[cachet.Incident]](t)(c.Incidents.List(ctx, cachet.ListOptions{}))
	if len(p.Items) != 2 || p.Items[0].ID != tpl.ID {
		t.Errorf("List = %+v", p.Items)
	}
	found := must[[]cachet.Incident](t)(c.Incidents.Find(ctx, cachet.IncidentFilter{Name: cachet.Ptr("Foo")}))
	if len(found) != 1 || found[0].ID != tpl.ID {
		t.Errorf("Find = %+v", found)
	}
	if err := c.Incidents.Delete(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Incidents.Get(ctx, in.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

func TestIncidentUpdatesAndTemplates(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	in := must[cachet.Incident](t)(c.Incidents.Create(ctx, cachet.IncidentParams{
		Name: cachet.Ptr("X"), Message: cachet.Ptr("m"), Status: cachet.Ptr(cachet.IncidentInvestigating),
	}))
	u := must[cachet.IncidentUpdate](t)(c.IncidentUpdates.Create(ctx, in.ID, cachet.IncidentUpdateParams{
		Status: cachet.Ptr(cachet.IncidentIdentified), Message: cachet.Ptr("Found it"),
	}))
	if u.IncidentID != in.ID || u.Status != cachet.IncidentIdentified || u.Message != "Found it" {
		t.Errorf("Create = %+v", u)
	}
	if st := must[cachet.Incident](t)(c.Incidents.Get(ctx, in.ID)); st.Status != cachet.IncidentIdentified || len(st.Updates) != 1 {
		t.Errorf("incident after update: %+v", st)
	}
	u2 := must[cachet.IncidentUpdate](t)(c.IncidentUpdates.Update(ctx, in.ID, u.ID, cachet.IncidentUpdateParams{Message: cachet.Ptr("Fixed it")}))
	if u2.Message != "Fixed it" || u2.Status != cachet.IncidentIdentified {
		t.Errorf("Update = %+v", u2)
	}
	if g := must[cachet.IncidentUpdate](t)(c.IncidentUpdates.Get(ctx, in.ID, u.ID)); g.Message != "Fixed it" {
		t.Errorf("Get = %+v", g)
	}
	must[cachet.IncidentUpdate](t)(c.IncidentUpdates.Create(ctx, in.ID, cachet.IncidentUpdateParams{
		Status: cachet.Ptr(cachet.IncidentFixed), Message: cachet.Ptr("Done"),
	}))
	if n := must[int](t)(c.IncidentUpdates.Count(ctx, in.ID)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.IncidentUpdates.All(ctx, in.ID, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d", n)
	}
	if p := must[cachet.Page[cachet.IncidentUpdate]](t)(c.IncidentUpdates.List(ctx, in.ID, cachet.ListOptions{PerPage: 1})); len(p.Items) != 1 || p.Pagination.Total != 2 {
		t.Errorf("List = %+v", p)
	}
	if err := c.IncidentUpdates.Delete(ctx, in.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IncidentUpdates.Get(ctx, in.ID, u.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}

	// Templates are read-only, and are listed without sort (Cachet: 500).
	id := srv.SeedIncidentTemplate("Outage", "outage", "{{ name }} is down")
	srv.SeedIncidentTemplate("Fixed", "fixed", "{{ name }} is back")
	tpl := must[cachet.IncidentTemplate](t)(c.IncidentTemplates.Get(ctx, id))
	if tpl.Name != "Outage" || tpl.Slug != "outage" || tpl.Template != "{{ name }} is down" {
		t.Errorf("template = %+v", tpl)
	}
	if n := must[int](t)(c.IncidentTemplates.Count(ctx)); n != 2 {
		t.Errorf("template Count = %d", n)
	}
	if n := len(collectAll(t, c.IncidentTemplates.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("template All = %d", n)
	}
	if p := must[cachet.Page[cachet.IncidentTemplate]](t)(c.IncidentTemplates.List(ctx, cachet.ListOptions{Sort: "name"})); len(p.Items) != 2 {
		t.Errorf("template List = %+v", p)
	}
	if _, err := c.IncidentTemplates.Get(ctx, 999); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("unknown template: %v", err)
	}
}

func TestMetricsAndPoints(t *testing.T) {
	_, c := newEmulator(t)
	ctx := context.Background()
	m := must[cachet.Metric](t)(c.Metrics.Create(ctx, cachet.MetricParams{
		Name: cachet.Ptr("Latency"), Suffix: cachet.Ptr("ms"), Description: cachet.Ptr("p95"),
		DefaultValue: cachet.Ptr(0), DisplayChart: cachet.Ptr(false), Places: cachet.Ptr(0), Threshold: cachet.Ptr(5),
	}))
	if m.Name != "Latency" || m.Suffix != "ms" || m.DisplayChart || m.Places != 0 || m.Threshold != 5 {
		t.Errorf("Create = %+v", m)
	}
	m2 := must[cachet.Metric](t)(c.Metrics.Update(ctx, m.ID, cachet.MetricParams{DefaultView: cachet.Ptr(cachet.ViewWeek), Order: cachet.Ptr(0)}))
	if m2.DefaultView != 2 || m2.Name != "Latency" {
		t.Errorf("Update = %+v", m2)
	}
	if g := must[cachet.Metric](t)(c.Metrics.Get(ctx, m.ID)); g.DefaultView != 2 {
		t.Errorf("Get = %+v", g)
	}
	must[cachet.Metric](t)(c.Metrics.Create(ctx, cachet.MetricParams{Name: cachet.Ptr("Errors"), Suffix: cachet.Ptr("/s"), Description: cachet.Ptr(""), DefaultValue: cachet.Ptr(0)}))
	if n := must[int](t)(c.Metrics.Count(ctx)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.Metrics.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d", n)
	}
	if p := must[cachet.Page[cachet.Metric]](t)(c.Metrics.List(ctx, cachet.ListOptions{})); len(p.Items) != 2 {
		t.Errorf("List = %+v", p)
	}

	ts := time.Now().Add(-time.Hour).Truncate(time.Minute)
	p1 := must[cachet.MetricPoint](t)(c.MetricPoints.Create(ctx, m.ID, cachet.MetricPointParams{Value: cachet.Ptr(12.5), Timestamp: &ts}))
	if p1.Value != 12.5 || p1.MetricID != m.ID || !p1.CreatedAt.Equal(ts.UTC()) {
		t.Errorf("point Create = %+v (want created_at %v)", p1, ts.UTC())
	}
	must[cachet.MetricPoint](t)(c.MetricPoints.Create(ctx, m.ID, cachet.MetricPointParams{Value: cachet.Ptr(0.0)}))
	p1u := must[cachet.MetricPoint](t)(c.MetricPoints.Update(ctx, m.ID, p1.ID, cachet.MetricPointParams{Value: cachet.Ptr(999.0)}))
	if p1u.Value != 999 {
		t.Errorf("point Update = %+v", p1u)
	}
	if n := must[int](t)(c.MetricPoints.Count(ctx, m.ID)); n != 2 {
		t.Errorf("point Count = %d", n)
	}
	if n := len(collectAll(t, c.MetricPoints.All(ctx, m.ID, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("point All = %d", n)
	}
	pts := must[cachet.Page[cachet.MetricPoint]](t)(c.MetricPoints.List(ctx, m.ID, cachet.ListOptions{}))
	if len(pts.Items) != 2 || pts.Items[1].ID != p1.ID {
		t.Errorf("point List (newest first) = %+v", pts.Items)
	}
	if err := c.MetricPoints.Delete(ctx, m.ID, p1.ID); err != nil {
		t.Fatal(err)
	}
	if n := must[int](t)(c.MetricPoints.Count(ctx, m.ID)); n != 1 {
		t.Errorf("point Count after Delete = %d", n)
	}
	if err := c.Metrics.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Metrics.Get(ctx, m.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

func TestSubscribersAndSubscriptions(t *testing.T) {
	srv, c := newEmulator(t)
	ctx := context.Background()
	a := srv.SeedComponent(cachet.Component{Name: "A", Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "B", Enabled: true})
	cc := srv.SeedComponent(cachet.Component{Name: "C", Enabled: true})

	s := must[cachet.Subscriber](t)(c.Subscribers.Create(ctx, cachet.SubscriberParams{
		Email: "oncall@example.com", Components: []int{a.ID, cc.ID},
	}))
	if s.Email != "oncall@example.com" || !cmp.Equal(s.ComponentIDs(), []int{a.ID, cc.ID}) || s.VerifiedAt.IsZero() || !s.Verified {
		t.Errorf("Create = %+v", s)
	}
	all := must[cachet.Subscriber](t)(c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "all@example.com"}))
	if len(all.Subscriptions) != 3 {
		t.Errorf("subscriber without components has %d subscriptions, want 3", len(all.Subscriptions))
	}
	if n := must[int](t)(c.Subscribers.Count(ctx)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.Subscribers.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d", n)
	}
	if p := must[cachet.Page[cachet.Subscriber]](t)(c.Subscribers.List(ctx, cachet.ListOptions{PerPage: 1, Page: 2})); len(p.Items) != 1 || p.Pagination.CurrentPage != 2 {
		t.Errorf("List = %+v", p)
	}

	if err := c.Subscriptions.Delete(ctx, s.Subscriptions[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, live := range srv.Subscribers() {
		if live.ID == s.ID && !cmp.Equal(live.ComponentIDs(), []int{cc.ID}) {
			t.Errorf("after subscription delete: %v", live.ComponentIDs())
		}
	}
	if err := c.Subscribers.Delete(ctx, all.ID); err != nil {
		t.Fatal(err)
	}
	if live := srv.Subscribers(); len(live) != 1 || live[0].ID != s.ID {
		t.Errorf("after subscriber delete: %+v", live)
	}

	guest, _ := cachet.New(srv.URL, "")
	if _, err := guest.Subscribers.Count(ctx); !errors.Is(err, cachet.ErrUnauthorized) {
		t.Errorf("guest Count: %v", err)
	}
}

func TestSchedules(t *testing.T) {
	_, c := newEmulator(t)
	ctx := context.Background()
	at := time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	s := must[cachet.Schedule](t)(c.Schedules.Create(ctx, cachet.ScheduleParams{
		Name: cachet.Ptr("DB upgrade"), Message: cachet.Ptr("Short downtime"), Status: cachet.Ptr(cachet.ScheduleUpcoming),
		ScheduledAt: &at, Notify: cachet.Ptr(false),
	}))
	if s.Name != "DB upgrade" || s.Status != cachet.ScheduleUpcoming || !s.ScheduledAt.Equal(at) {
		t.Errorf("Create = %+v", s)
	}
	done := at.Add(time.Hour)
	u := must[cachet.Schedule](t)(c.Schedules.Update(ctx, s.ID, cachet.ScheduleParams{Status: cachet.Ptr(cachet.ScheduleComplete), CompletedAt: &done}))
	if u.Status != cachet.ScheduleComplete || !u.CompletedAt.Equal(done) || u.Name != "DB upgrade" {
		t.Errorf("Update = %+v", u)
	}
	// Status 0 is sent when set.
	u = must[cachet.Schedule](t)(c.Schedules.Update(ctx, s.ID, cachet.ScheduleParams{Status: cachet.Ptr(cachet.ScheduleUpcoming)}))
	if u.Status != cachet.ScheduleUpcoming {
		t.Errorf("Update to 0 = %+v", u)
	}
	if g := must[cachet.Schedule](t)(c.Schedules.Get(ctx, s.ID)); g.ID != s.ID {
		t.Errorf("Get = %+v", g)
	}
	must[cachet.Schedule](t)(c.Schedules.Create(ctx, cachet.ScheduleParams{Name: cachet.Ptr("B"), Status: cachet.Ptr(cachet.ScheduleInProgress), ScheduledAt: &at}))
	if n := must[int](t)(c.Schedules.Count(ctx)); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if n := len(collectAll(t, c.Schedules.All(ctx, cachet.ListOptions{PerPage: 1}))); n != 2 {
		t.Errorf("All = %d", n)
	}
	if p := must[cachet.Page[cachet.Schedule]](t)(c.Schedules.List(ctx, cachet.ListOptions{})); len(p.Items) != 2 {
		t.Errorf("List = %+v", p)
	}
	if err := c.Schedules.Delete(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Schedules.Get(ctx, s.ID); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

func TestReadOnlySendsNoWrite(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true})
	g := srv.SeedGroup(cachet.ComponentGroup{Name: "G"})
	c, err := cachet.New(srv.URL, srv.Token(), cachet.WithReadOnly(), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv.ResetStats()
	writes := map[string]func() error{
		"POST component": func() error {
			_, err := c.Components.Create(ctx, cachet.ComponentParams{Name: cachet.Ptr("x")})
			return err
		},
		"PUT component": func() error {
			_, err := c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Enabled: cachet.Ptr(false)})
			return err
		},
		"DELETE component": func() error { return c.Components.Delete(ctx, comp.ID) },
		"PUT group": func() error {
			_, err := c.Groups.Update(ctx, g.ID, cachet.GroupParams{Name: cachet.Ptr("y"), Order: cachet.Ptr(0), Visible: cachet.Ptr(cachet.GroupPublic)})
			return err
		},
		"POST subscriber": func() error {
			_, err := c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "a@example.com"})
			return err
		},
		"DELETE subscription": func() error { return c.Subscriptions.Delete(ctx, 1) },
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, cachet.ErrReadOnly) || cachet.IsAmbiguous(err) {
			t.Errorf("%s: err = %v, want ErrReadOnly", name, err)
		}
	}
	s := srv.Stats()
	if s.Requests["POST"]+s.Requests["PUT"]+s.Requests["DELETE"] != 0 {
		t.Errorf("writes reached the server: %v", s.Requests)
	}
	if comps := srv.Components(); len(comps) != 1 || !comps[0].Enabled {
		t.Errorf("store changed: %+v", comps)
	}
	// Reads work.
	if n := must[int](t)(c.Components.Count(ctx)); n != 1 {
		t.Errorf("Count = %d", n)
	}
	if got := srv.Stats().Requests["GET"]; got != 1 {
		t.Errorf("GET count = %d", got)
	}
}

func TestSurvivesInjectedFaults(t *testing.T) {
	srv, _ := newEmulator(t, cachettest.WithFaults(0.3), cachettest.WithSeed(7), cachettest.WithRetryAfter(0))
	for i := range 30 {
		srv.SeedComponent(cachet.Component{Name: string(rune('a' + i%26)), Enabled: true})
	}
	c, err := cachet.New(srv.URL, srv.Token(), cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 8, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Injected 500s are not retried (only 429, 502-504 and connection
	// errors are), so a full read may fail on one; every other fault is
	// absorbed by retries.
	complete := 0
	for range 10 {
		var got []cachet.Component
		var err error
		for comp, e := range c.Components.All(ctx, cachet.ListOptions{PerPage: 4}) {
			if e != nil {
				err = e
				break
			}
			got = append(got, comp)
		}
		var apiErr *cachet.APIError
		switch {
		case err == nil && len(got) == 30:
			complete++
		case errors.As(err, &apiErr) && apiErr.StatusCode == 500:
		default:
			t.Errorf("All under faults: %d components, err %v", len(got), err)
		}
	}
	if complete == 0 {
		t.Error("no complete read under faults")
	}
	// Idempotent writes succeed; an ambiguous one is reported as such.
	for _, comp := range srv.Components()[:10] {
		_, err := c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Order: cachet.Ptr(9)})
		if err != nil && !cachet.IsAmbiguous(err) {
			t.Errorf("PUT under faults: %v", err)
		}
	}
	if srv.Stats().Requests["GET"] <= 8*complete {
		t.Error("no fault was injected; the test proves nothing")
	}
}

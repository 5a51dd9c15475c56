package cachet_test

// Tests of the traps a Go user fell into with earlier versions of this
// package: each would fail (or not compile) against them.

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// TestFindNeverMatchesEverything: a filter cannot name a column Cachet does
// not search (the struct has no such field), an empty one is refused before
// any request, booleans go out as 1/0, and an answer the server did not
// filter is filtered by the client.
func TestFindNeverMatchesEverything(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	api := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true, Status: cachet.StatusOperational})
	srv.SeedComponent(cachet.Component{Name: "Web", Enabled: false, Status: cachet.StatusOperational})
	srv.SeedComponent(cachet.Component{Name: "Mail", Enabled: true, Status: cachet.StatusMajorOutage})

	if _, err := c.Components.Find(ctx, cachet.ComponentFilter{}); !errors.Is(err, cachet.ErrEmptyFilter) {
		t.Errorf("empty filter: %v, want ErrEmptyFilter", err)
	}
	if _, err := c.Groups.Find(ctx, cachet.GroupFilter{}); !errors.Is(err, cachet.ErrEmptyFilter) {
		t.Errorf("empty group filter: %v", err)
	}
	if _, err := c.Incidents.Find(ctx, cachet.IncidentFilter{}); !errors.Is(err, cachet.ErrEmptyFilter) {
		t.Errorf("empty incident filter: %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("a refused filter sent %d requests", n)
	}

	got := must[[]cachet.Component](t)(c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("api")}))
	if len(got) != 1 || got[0].ID != api.ID {
		t.Errorf("Find name=api: %+v", got)
	}
	got = must[[]cachet.Component](t)(c.Components.Find(ctx, cachet.ComponentFilter{Enabled: cachet.Ptr(true)}))
	if len(got) != 2 {
		t.Errorf("Find enabled: %d components, want 2", len(got))
	}
	q, _ := url.ParseQuery(srv.Requests()[len(srv.Requests())-1].Query)
	if q.Get("enabled") != "1" || q.Has("page") {
		t.Errorf("query %v: want enabled=1 and no page", q)
	}
	got = must[[]cachet.Component](t)(c.Components.Find(ctx, cachet.ComponentFilter{Enabled: cachet.Ptr(false)}))
	if len(got) != 1 || got[0].Name != "Web" {
		t.Errorf("Find disabled: %+v", got)
	}

	// A server that ignores the filter (Cachet does for a column it does
	// not search, e.g. stickied on 2.3) returns everything: Find does not.
	ignoring := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"meta":{"pagination":{"total":2,"count":2,"per_page":100000,"current_page":1,"total_pages":1}},"data":[`+
			`{"id":1,"name":"Outage","status":1,"visible":1,"stickied":false},{"id":2,"name":"Pinned","status":1,"visible":1,"stickied":true}]}`)
	})
	fc := newClient(t, ignoring.endpoint())
	ins := must[[]cachet.Incident](t)(fc.Incidents.Find(ctx, cachet.IncidentFilter{Stickied: cachet.Ptr(true)}))
	if len(ins) != 1 || ins[0].Name != "Pinned" {
		t.Errorf("Find stickied from a server that ignored it: %+v", ins)
	}
}

// TestIncidentFilterOn23: Cachet 2.3 does not search stickied
// (app/Models/Incident.php:73 (v2.3.18) lists id, component_id, name,
// status, visible), so it answers with every incident; Find returns none,
// as no 2.3 incident is stickied.
func TestIncidentFilterOn23(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("2.3"))
	c := srv.Client()
	srv.SeedIncident(cachet.Incident{Name: "a", Status: cachet.IncidentFixed, Visible: true})
	b := srv.SeedIncident(cachet.Incident{Name: "b", Status: cachet.IncidentFixed, Visible: true})
	got := must[[]cachet.Incident](t)(c.Incidents.Find(context.Background(), cachet.IncidentFilter{Stickied: cachet.Ptr(true)}))
	if len(got) != 0 {
		t.Errorf("Find stickied on 2.3: %+v", got)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Status != 200 {
		t.Errorf("requests %v", r)
	}
	got = must[[]cachet.Incident](t)(c.Incidents.Find(context.Background(), cachet.IncidentFilter{Name: cachet.Ptr("B")}))
	if len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("Find name on 2.3: %+v", got)
	}
}

// TestGroupUpdateKeepsUnsetFields: a rename keeps order, collapsed and
// visibility on both versions, though Cachet resets order (2.3, 2.4) and
// visible (2.4) when a PUT omits them
// (app/Bus/Commands/ComponentGroup/UpdateComponentGroupCommand.php:85,87
// (2.4) and :76 (2.3) cast them to int).
func TestGroupUpdateKeepsUnsetFields(t *testing.T) {
	for _, v := range []string{"2.4", "2.3"} {
		t.Run(v, func(t *testing.T) {
			srv := cachettest.Start(t, cachettest.WithVersion(v))
			c := srv.Client()
			g := srv.SeedGroup(cachet.ComponentGroup{Name: "G", Order: 5, Collapsed: cachet.GroupCollapsedUnlessIncident, Visible: cachet.GroupPublic})
			got := must[cachet.ComponentGroup](t)(c.Groups.Update(context.Background(), g.ID, cachet.GroupParams{Name: cachet.Ptr("G2")}))
			live := srv.Groups()[0]
			for _, x := range []cachet.ComponentGroup{got, live} {
				if x.Name != "G2" || x.Order != 5 || x.Collapsed != cachet.GroupCollapsedUnlessIncident || x.Visible != cachet.GroupPublic {
					t.Errorf("after a rename: %+v", x)
				}
			}
			// The trap is real: a PUT with the name alone resets order (and
			// on 2.4 visibility).
			raw, _ := c.NewRequest("PUT", fmt.Sprintf("/components/groups/%d", g.ID), map[string]any{"name": "G2"})
			if _, err := c.Do(context.Background(), raw, nil); err != nil {
				t.Fatal(err)
			}
			if l := srv.Groups()[0]; l.Order != 0 || (v == "2.4" && l.Visible != cachet.GroupLoggedInOnly) {
				t.Errorf("a bare PUT kept order %d visible %v: the emulator no longer resets them", l.Order, l.Visible)
			}
			// With every field set, no read is needed.
			srv.ResetRequests()
			must[cachet.ComponentGroup](t)(c.Groups.Update(context.Background(), g.ID, cachet.GroupParams{
				Name: cachet.Ptr("G3"), Order: cachet.Ptr(1), Collapsed: cachet.Ptr(cachet.GroupOpen), Visible: cachet.Ptr(cachet.GroupPublic)}))
			if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Method != "PUT" {
				t.Errorf("full update sent %v", reqs)
			}
		})
	}
}

// TestComponentUpdateOn23KeepsEnabledAndStatus: on 2.3 a status change of a
// disabled component leaves it disabled, though Cachet 2.3 re-enables it
// (app/Http/Controllers/Api/ComponentController.php:121 (v2.3.18) reads
// enabled with a default of true) and resets an omitted status to 0
// (app/Bus/Commands/Component/UpdateComponentCommand.php:108 casts it).
func TestComponentUpdateOn23KeepsEnabledAndStatus(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("2.3"))
	c := srv.Client()
	ctx := context.Background()
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: false, Status: cachet.StatusPartialOutage})
	must[cachet.Component](t)(c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage)}))
	if live := srv.Components()[0]; live.Enabled || live.Status != cachet.StatusMajorOutage {
		t.Errorf("after a status change: enabled %v status %v, want disabled major-outage", live.Enabled, live.Status)
	}
	must[cachet.Component](t)(c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Name: cachet.Ptr("API v2")}))
	if live := srv.Components()[0]; live.Enabled || live.Status != cachet.StatusMajorOutage || live.Name != "API v2" {
		t.Errorf("after a rename: %+v", live)
	}
	// The trap is real: a bare PUT of a name re-enables it and resets its status.
	raw, _ := c.NewRequest("PUT", fmt.Sprintf("/components/%d", comp.ID), map[string]any{"name": "API v3"})
	if _, err := c.Do(ctx, raw, nil); err != nil {
		t.Fatal(err)
	}
	if live := srv.Components()[0]; !live.Enabled || live.Status != cachet.StatusUnknown {
		t.Errorf("a bare PUT kept enabled %v status %v: the emulator no longer resets them", live.Enabled, live.Status)
	}
}

// TestComponentUpdateOn24ReadsNothing: 2.4 keeps omitted fields, so an
// update sends one PUT (after one version probe per client, or none when a
// read already showed the version).
func TestComponentUpdateOn24ReadsNothing(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: false, Status: cachet.StatusOperational})
	for range 2 {
		must[cachet.Component](t)(c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage)}))
	}
	if got := len(srv.RequestsTo("GET", "")); got != 1 {
		t.Errorf("%d GETs for two updates, want the one probe", got)
	}
	if live := srv.Components()[0]; live.Enabled {
		t.Error("the update enabled the component")
	}
	c2 := srv.Client()
	must[cachet.Component](t)(c2.Components.Get(ctx, comp.ID)) // shows a 2.4 component
	srv.ResetRequests()
	must[cachet.Component](t)(c2.Components.Update(ctx, comp.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusOperational)}))
	if reqs := srv.Requests(); len(reqs) != 1 {
		t.Errorf("update after a read sent %v", reqs)
	}
}

// TestSubscriberCreatedVerifiedByDefault: no verification e-mail unless
// asked for, and Verified tells the two apart despite Cachet's verified_at
// of "now" for unverified subscribers.
func TestSubscriberCreatedVerifiedByDefault(t *testing.T) {
	// Verified tells the two apart by the time of day (midnight for a
	// verified date), so the clock is pinned away from midnight.
	srv := cachettest.Start(t, cachettest.WithClock(notMidnight))
	c := srv.Client()
	ctx := context.Background()
	s := must[cachet.Subscriber](t)(c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "a@example.com"}))
	if !s.Verified || s.VerifiedAt.IsZero() {
		t.Errorf("default create: Verified %v VerifiedAt %v", s.Verified, s.VerifiedAt)
	}
	if body := string(srv.Requests()[0].Body); !strings.Contains(body, `"verify":true`) {
		t.Errorf("body %s does not ask for a verified subscriber", body)
	}
	u := must[cachet.Subscriber](t)(c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "b@example.com", Verify: cachet.Ptr(false)}))
	if u.Verified || !u.VerifiedAt.IsZero() {
		t.Errorf("unverified create: Verified %v VerifiedAt %v", u.Verified, u.VerifiedAt)
	}
	for s, err := range c.Subscribers.All(ctx, cachet.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := s.Email == "a@example.com"; s.Verified != want {
			t.Errorf("listed %s: Verified %v", s.Email, s.Verified)
		}
	}
}

// TestBodyOverLimitIsAnError: a response larger than the limit fails with
// an error that says so and what to do, instead of being cut.
func TestBodyOverLimitIsAnError(t *testing.T) {
	srv := cachettest.Start(t)
	for i := range 50 {
		srv.SeedSubscriber(fmt.Sprintf("s%d@example.com", i))
	}
	c := srv.Client(cachet.WithMaxBodyBytes(4 << 10))
	var err error
	for _, e := range c.Subscribers.All(context.Background(), cachet.ListOptions{PerPage: 50}) {
		if e != nil {
			err = e
			break
		}
	}
	if !errors.Is(err, cachet.ErrBodyTooLarge) {
		t.Fatalf("All over the limit: %v, want ErrBodyTooLarge", err)
	}
	for _, want := range []string{"GET /api/v1/subscribers?", "4 KiB", "smaller pages", "WithMaxBodyBytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// Smaller pages fit.
	if n := len(collectAll(t, c.Subscribers.All(context.Background(), cachet.ListOptions{PerPage: 5}))); n != 50 {
		t.Errorf("small pages: %d subscribers", n)
	}
	if _, err := cachet.New(srv.URL, srv.Token(), cachet.WithMaxBodyBytes(0)); err == nil {
		t.Error("a limit of 0 was accepted")
	}
}

// TestRedactionReplacesWholeTokensOnly: a token inside a longer word is left
// alone, a whole one is hidden, and a token too short to redact safely is
// refused.
func TestRedactionReplacesWholeTokensOnly(t *testing.T) {
	const tok = "Tok3nTok3nTok3n"
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeError(w, 400, "got "+tok+" and x"+tok+"y, in /components")
	})
	c, err := cachet.New(f.endpoint(), tok, fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Components.Get(context.Background(), 1)
	msg := err.Error()
	if !strings.Contains(msg, "got [redacted] and x"+tok+"y") || !strings.Contains(msg, "GET /api/v1/components/1") {
		t.Errorf("message %q", msg)
	}
	if _, err := cachet.New(f.endpoint(), "t"); err == nil || !strings.Contains(err.Error(), "shorter than 8") {
		t.Errorf("a one-letter token: %v", err)
	}
}

// TestErrorPathsHaveOneForm: a decode error and an HTTP error name the
// request the same way (full path and query).
func TestErrorPathsHaveOneForm(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 200, `{"data":[{"id":"x"}]`)
			return
		}
		writeError(w, 404, "gone")
	})
	c := newClient(t, f.endpoint())
	_, decodeErr := c.Subscribers.List(context.Background(), cachet.ListOptions{PerPage: 3})
	_, httpErr := c.Subscribers.List(context.Background(), cachet.ListOptions{PerPage: 3})
	const want = "cachet: GET /api/v1/subscribers?per_page=3: "
	for _, err := range []error{decodeErr, httpErr} {
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %v, want prefix %q", err, want)
		}
	}
}

// TestSwappedIdsDoNotCompile type-checks calls with the incident and update
// ids (or metric and point ids) swapped: they must not compile.
func TestSwappedIdsDoNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the package from source")
	}
	src := `package p
import ("context"; "github.com/cachetsync/cachetsync/cachet")
func f(ctx context.Context, c *cachet.Client, in cachet.Incident, u cachet.IncidentUpdate, m cachet.Metric, pt cachet.MetricPoint) {
	c.IncidentUpdates.Get(ctx, in.ID, u.ID)  // right
	c.IncidentUpdates.Get(ctx, u.ID, in.ID)  // swapped
	c.MetricPoints.Delete(ctx, m.ID, pt.ID)  // right
	c.MetricPoints.Delete(ctx, pt.ID, m.ID)  // swapped
}`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(err error) { errs = append(errs, err.Error()) }}
	conf.Check("p", fset, []*ast.File{file}, nil)
	lines := map[int]bool{}
	for _, e := range errs {
		var line int
		fmt.Sscanf(strings.TrimPrefix(e, "p.go:"), "%d", &line)
		lines[line] = true
	}
	if lines[4] || lines[6] || !lines[5] || !lines[7] {
		t.Errorf("type errors on lines %v, want 5 and 7 only:\n%s", lines, strings.Join(errs, "\n"))
	}
}

// TestRawRequestKeepsClientBehaviour: Do sends with the token, decodes
// data and meta, returns *APIError, retries a 503 and refuses writes when
// read-only.
func TestRawRequestKeepsClientBehaviour(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithRetryAfter(0))
	c := srv.Client()
	ctx := context.Background()
	req, err := c.NewRequest("POST", "/components", map[string]any{"name": "Raw", "status": 1})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(cachettest.Fault{Method: "GET", Path: "/components", Status: 503})
	var created struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	resp, err := c.Do(ctx, req, &created)
	if err != nil || resp.StatusCode != 200 || created.Name != "Raw" {
		t.Fatalf("POST: %+v %+v %v", resp, created, err)
	}
	list, _ := c.NewRequest("GET", "components?per_page=1", nil)
	var items []map[string]any
	resp, err = c.Do(ctx, list, &items)
	if err != nil || len(items) != 1 || !strings.Contains(string(resp.Meta), `"total":1`) {
		t.Fatalf("GET after a 503: %+v %v %v", resp, items, err)
	}
	if n := len(srv.RequestsTo("GET", "/components")); n != 2 {
		t.Errorf("%d GETs, want a retry after the 503", n)
	}
	missing, _ := c.NewRequest("GET", "/components/99", nil)
	_, err = c.Do(ctx, missing, nil)
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("404: %v", err)
	}
	ro := srv.Client(cachet.WithReadOnly())
	if _, err := ro.Do(ctx, req, nil); !errors.Is(err, cachet.ErrReadOnly) {
		t.Errorf("read-only POST: %v", err)
	}
	for _, bad := range []string{"/api/v1/components", "https://elsewhere/x", "/components/../../x"} {
		if _, err := c.NewRequest("GET", bad, nil); err == nil {
			t.Errorf("NewRequest(%q) accepted", bad)
		}
	}
	if _, err := c.NewRequest("TRACE", "/ping", nil); err == nil {
		t.Error("TRACE accepted")
	}
}

// TestAllWithOptions: All starts at opts.Page and sends the sort.
func TestAllWithOptions(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	for i := range 5 {
		srv.SeedGroup(cachet.ComponentGroup{Name: fmt.Sprintf("g%d", i), Order: 5 - i})
	}
	var names []string
	for g, err := range c.Groups.All(context.Background(), cachet.ListOptions{PerPage: 2, Page: 2, Sort: "order", Order: cachet.OrderAsc}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, g.Name)
	}
	if strings.Join(names, ",") != "g2,g1,g0" {
		t.Errorf("from page 2 by order: %v", names)
	}
	if _, err := c.Groups.List(context.Background(), cachet.ListOptions{Order: "up"}); err == nil {
		t.Error("order \"up\" accepted")
	}
}

// TestMetricEnumsAndFind: metric fields are typed, and Find by name works
// though Cachet's metric list ignores filters.
func TestMetricEnumsAndFind(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	m := must[cachet.Metric](t)(c.Metrics.Create(ctx, cachet.MetricParams{Name: cachet.Ptr("Latency"), Suffix: cachet.Ptr("ms"),
		DefaultValue: cachet.Ptr(0), CalcType: cachet.Ptr(cachet.MetricAverage), DefaultView: cachet.Ptr(cachet.ViewToday), Visible: cachet.Ptr(cachet.MetricHidden)}))
	srv.SeedMetric(cachet.Metric{Name: "Errors", Suffix: "/min"})
	if m.CalcType != cachet.MetricAverage || m.DefaultView != cachet.ViewToday || m.Visible != cachet.MetricHidden {
		t.Errorf("Create = %+v", m)
	}
	if s := fmt.Sprint(m.CalcType, " ", m.DefaultView, " ", m.Visible); s != "average today hidden" {
		t.Errorf("names %q", s)
	}
	got := must[[]cachet.Metric](t)(c.Metrics.Find(ctx, "latency"))
	if len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("Find latency: %+v", got)
	}
	if got := must[[]cachet.Metric](t)(c.Metrics.Find(ctx, "nope")); len(got) != 0 {
		t.Errorf("Find nope: %+v", got)
	}
}

// TestDocCommentsStandAlone: no comment in the code of the package or its
// emulator sends the reader to a document that is not in the repository.
func TestDocCommentsStandAlone(t *testing.T) {
	banned := []string{"cachet-api" + ".md", "cachet3-api" + ".md", "contract " + "\u00a7", "\u00a7"}
	for _, dir := range []string{".", "cachettest"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					for _, b := range banned {
						if strings.Contains(c.Text, b) {
							t.Errorf("%s refers to %q: %s", fset.Position(c.Pos()), b, c.Text)
						}
					}
				}
			}
		}
	}
}

// TestGroupVisibleFilterOn23 is refused before the request once the client
// knows the server runs 2.3, where the column does not exist.
func TestGroupVisibleFilterOn23(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("2.3"))
	c := srv.Client(cachet.WithServerVersion("2.3"))
	_, err := c.Groups.Find(context.Background(), cachet.GroupFilter{Visible: cachet.Ptr(cachet.GroupPublic)})
	if err == nil || !strings.Contains(err.Error(), "2.3") || len(srv.Requests()) != 0 {
		t.Errorf("visible filter on 2.3: %v, %d requests", err, len(srv.Requests()))
	}
}

// notMidnight is a fixed emulator clock whose time of day is not 00:00:00,
// the one instant at which Cachet's "now" for an unverified subscriber
// looks like a verification date.
func notMidnight() time.Time { return time.Date(2026, 3, 4, 12, 34, 56, 0, time.UTC) }

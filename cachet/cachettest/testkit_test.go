package cachettest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// fakeTB records a Fatal instead of stopping the test.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper()        {}
func (f *fakeTB) Cleanup(func()) {}
func (f *fakeTB) Fatal(a ...any) { f.fatal = fmt.Sprint(a...) }

func errString(x any) string {
	if e, ok := x.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(x)
}

// TestOptionsAreValidated: a version Cachet never had, or a fault rate
// above 1, is refused with a message naming the option, by Start (a test
// failure) and by New and NewServer (a panic).
func TestOptionsAreValidated(t *testing.T) {
	for _, tc := range []struct {
		opt  cachettest.Option
		want string
	}{
		{cachettest.WithVersion("v2.3"), `WithVersion("v2.3"): want "2.4", "2.3"`},
		{cachettest.WithVersion("2.3.18"), `WithVersion("2.3.18")`},
		{cachettest.WithFaults(2), "WithFaults(2): the rate is a fraction from 0 to 1"},
		{cachettest.WithFaults(-0.1), "WithFaults(-0.1)"},
		{cachettest.WithLatency(-time.Second, 0), "WithLatency(-1s, 0s)"},
		{cachettest.WithRetryAfter(-1), "WithRetryAfter(-1)"},
	} {
		tb := &fakeTB{TB: t}
		if srv := cachettest.Start(tb, tc.opt); srv != nil {
			t.Errorf("Start returned a server despite %q", tc.want)
			srv.Close()
		}
		if !strings.Contains(tb.fatal, tc.want) {
			t.Errorf("Start: failure %q, want %q", tb.fatal, tc.want)
		}
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(errString(r), tc.want) {
					t.Errorf("New: panic %v, want %q", r, tc.want)
				}
			}()
			cachettest.New(tc.opt)
		}()
	}
	srv := cachettest.Start(t, cachettest.WithVersion("2.3"), cachettest.WithFaults(1), cachettest.WithFaults(0))
	if v, err := srv.Client().ServerVersion(context.Background()); v != "2.3" {
		t.Errorf("WithVersion(\"2.3\") serves %q (%v)", v, err)
	}
}

// TestStartGivesAReadyClient: one line to a server and a client, closed
// when the test ends.
func TestStartGivesAReadyClient(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := cachettest.Start(t)
		url = srv.URL
		if err := srv.Client().CheckToken(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	c, _ := cachet.New(url, cachettest.DefaultToken, cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1}))
	if _, err := c.Ping(context.Background()); err == nil {
		t.Error("the server outlived its test")
	}
}

// TestRequestRecord: method, path, query, body and status of each request,
// in order; seeding and inspection are not recorded.
func TestRequestRecord(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true})
	in, err := c.Incidents.Create(ctx, cachet.IncidentParams{Name: cachet.Ptr("Down"), Message: cachet.Ptr("x"),
		Status: cachet.Ptr(cachet.IncidentInvestigating), ComponentID: cachet.Ptr(comp.ID), ComponentStatus: cachet.Ptr(cachet.StatusMajorOutage)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Incidents.Get(ctx, in.ID+100); !errors.Is(err, cachet.ErrNotFound) {
		t.Fatal(err)
	}
	srv.Incidents()
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("recorded %v", reqs)
	}
	if r := reqs[0]; r.Method != "POST" || r.Path != "/api/v1/incidents" || r.Status != 200 ||
		!strings.Contains(string(r.Body), `"component_status":4`) {
		t.Errorf("first request %v body %s", r, r.Body)
	}
	if r := reqs[1]; r.Method != "GET" || r.Status != 404 || r.Body != nil {
		t.Errorf("second request %v", r)
	}
	if n := len(srv.RequestsTo("POST", "/incidents")); n != 1 {
		t.Errorf("RequestsTo POST /incidents: %d", n)
	}
	srv.ResetRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

// TestTargetedFaults: the Nth matching request fails, with a status or a
// dropped connection, before or after it is applied; others are untouched.
func TestTargetedFaults(t *testing.T) {
	ctx := context.Background()
	noRetry := cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1})

	t.Run("second POST to updates, before apply", func(t *testing.T) {
		srv := cachettest.Start(t)
		c := srv.Client(noRetry)
		in := srv.SeedIncident(cachet.Incident{Name: "x", Status: cachet.IncidentInvestigating, Visible: true})
		srv.AddFault(cachettest.Fault{Method: "POST", Path: "/incidents/*/updates", Nth: 2, Status: 500})
		p := cachet.IncidentUpdateParams{Status: cachet.Ptr(cachet.IncidentIdentified), Message: cachet.Ptr("m")}
		if _, err := c.IncidentUpdates.Create(ctx, in.ID, p); err != nil {
			t.Fatalf("first POST: %v", err)
		}
		_, err := c.IncidentUpdates.Create(ctx, in.ID, p)
		var apiErr *cachet.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
			t.Fatalf("second POST: %v", err)
		}
		if _, err := c.IncidentUpdates.Create(ctx, in.ID, p); err != nil {
			t.Fatalf("third POST: %v", err)
		}
		if n := len(srv.IncidentUpdates(in.ID)); n != 2 {
			t.Errorf("%d updates stored, want 2 (the failed one not applied)", n)
		}
	})

	t.Run("dropped after apply", func(t *testing.T) {
		srv := cachettest.Start(t)
		c := srv.Client(noRetry)
		comp := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true, Status: cachet.StatusOperational})
		srv.AddFault(cachettest.Fault{Method: "PUT", Drop: true, AfterApply: true})
		_, err := c.Components.Update(ctx, comp.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage), Enabled: cachet.Ptr(true)})
		if !cachet.IsAmbiguous(err) {
			t.Fatalf("dropped PUT: %v, want an ambiguous error", err)
		}
		if got := srv.Components()[0].Status; got != cachet.StatusMajorOutage {
			t.Errorf("status %v: the write should have landed", got)
		}
		if r := srv.Requests(); len(r) != 1 || r[0].Status != 0 {
			t.Errorf("record %v: a dropped answer has status 0", r)
		}
	})

	t.Run("status after apply, retried", func(t *testing.T) {
		srv := cachettest.Start(t, cachettest.WithRetryAfter(0))
		c := srv.Client()
		srv.AddFault(cachettest.Fault{Method: "GET", Path: "/api/v1/components", Status: 503, Times: 2})
		if _, err := c.Components.List(ctx, cachet.ListOptions{}); err != nil {
			t.Fatalf("List after two 503s: %v", err)
		}
		var statuses []int
		for _, r := range srv.Requests() {
			statuses = append(statuses, r.Status)
		}
		if len(statuses) != 3 || statuses[0] != 503 || statuses[1] != 503 || statuses[2] != 200 {
			t.Errorf("statuses %v", statuses)
		}
	})

	for _, bad := range []cachettest.Fault{{}, {Status: 200}, {Status: 500, Drop: true}, {Status: 500, Nth: -1}, {Status: 500, Path: "[x"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddFault(%+v) accepted", bad)
				}
			}()
			cachettest.New().AddFault(bad)
		}()
	}
}

// TestSeedAndInspectEveryKind: incidents, updates, metrics, points and
// schedules can be seeded and read back as the API shows them.
func TestSeedAndInspectEveryKind(t *testing.T) {
	srv := cachettest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	hidden := srv.SeedIncident(cachet.Incident{Name: "Hidden", Status: cachet.IncidentFixed, Message: "m", OccurredAt: at, Meta: cachet.Meta{"k": "v"}})
	if hidden.ID == 0 || hidden.Visible || !hidden.IsResolved || !hidden.OccurredAt.Equal(at) || hidden.Meta["k"] != "v" {
		t.Errorf("SeedIncident = %+v", hidden)
	}
	upd := srv.SeedIncidentUpdate(cachet.IncidentUpdate{IncidentID: hidden.ID, Status: cachet.IncidentWatching, Message: "better"})
	if upd.ID == 0 || upd.IncidentID != hidden.ID || upd.Message != "better" {
		t.Errorf("SeedIncidentUpdate = %+v", upd)
	}
	if got := srv.IncidentUpdates(hidden.ID); len(got) != 1 || got[0].ID != upd.ID {
		t.Errorf("IncidentUpdates = %+v", got)
	}
	if got := srv.Incidents(); len(got) != 1 || got[0].LatestUpdateID != upd.ID {
		t.Errorf("Incidents = %+v", got)
	}
	// The API agrees with the inspection.
	if got, err := c.Incidents.Get(ctx, hidden.ID); err != nil || got.Name != "Hidden" {
		t.Errorf("GET the seeded incident: %+v %v", got, err)
	}

	m := srv.SeedMetric(cachet.Metric{Name: "Latency", Suffix: "ms", CalcType: cachet.MetricAverage, Visible: cachet.MetricPublic})
	if m.ID == 0 || m.CalcType != cachet.MetricAverage || m.Threshold != 5 {
		t.Errorf("SeedMetric = %+v", m)
	}
	p := srv.SeedMetricPoint(cachet.MetricPoint{MetricID: m.ID, Value: 42, CreatedAt: at})
	if p.Value != 42 || p.Counter != 1 || !p.CreatedAt.Equal(at) {
		t.Errorf("SeedMetricPoint = %+v", p)
	}
	if _, err := c.MetricPoints.Create(ctx, m.ID, cachet.MetricPointParams{Value: cachet.Ptr(7.0)}); err != nil {
		t.Fatal(err)
	}
	if got := srv.MetricPoints(m.ID); len(got) != 2 || got[0].ID != p.ID || got[1].Value != 7 {
		t.Errorf("MetricPoints = %+v", got)
	}
	if got := srv.Metrics(); len(got) != 1 || got[0].Name != "Latency" {
		t.Errorf("Metrics = %+v", got)
	}

	s := srv.SeedSchedule(cachet.Schedule{Name: "Upgrade", Status: cachet.ScheduleUpcoming, ScheduledAt: at})
	if s.ID == 0 || !s.ScheduledAt.Equal(at.Truncate(time.Minute)) && !s.ScheduledAt.Equal(at) {
		t.Errorf("SeedSchedule = %+v", s)
	}
	if got := srv.Schedules(); len(got) != 1 || got[0].Name != "Upgrade" {
		t.Errorf("Schedules = %+v", got)
	}
	srv.SeedIncidentTemplate("Outage", "outage", "{{ name }} is down")
	if got := srv.IncidentTemplates(); len(got) != 1 || got[0].Slug != "outage" {
		t.Errorf("IncidentTemplates = %+v", got)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("seeding and inspection recorded requests: %v", srv.Requests())
	}
}

// TestSeedUnverifiedSubscriber: the API shows it unverified (verified_at is
// "now"), and the client reads it so.
func TestSeedUnverifiedSubscriber(t *testing.T) {
	// Pinned away from midnight, the one instant at which "now" looks like
	// a verification date.
	srv := cachettest.Start(t, cachettest.WithClock(func() time.Time { return time.Date(2026, 3, 4, 12, 34, 56, 0, time.UTC) }))
	srv.SeedSubscriber("v@example.com")
	srv.SeedUnverifiedSubscriber("u@example.com")
	for s, err := range srv.Client().Subscribers.All(context.Background(), cachet.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := s.Email == "v@example.com"; s.Verified != want {
			t.Errorf("%s: Verified %v", s.Email, s.Verified)
		}
	}
	if got := srv.Subscribers()[1]; got.Verified || !got.VerifiedAt.IsZero() {
		t.Errorf("inspection of the unverified one: %+v", got)
	}
}

package cachet_test

import (
	"context"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// The client reads the shapes the emulator serves after its audit against
// Cachet's source: keys absent from POST answers, null messages, Cachet
// 2.3's own incident, metrics without visible.

func TestClientIncident2_3(t *testing.T) {
	at := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
	_, c := newEmulator(t, cachettest.WithVersion("2.3"), cachettest.WithClock(func() time.Time { return at }))
	ctx := context.Background()
	in := must[cachet.Incident](t)(c.Incidents.Create(ctx, cachet.IncidentParams{
		Name: cachet.Ptr("Maintenance"), Message: cachet.Ptr("m"), Status: cachet.Ptr(cachet.IncidentStatus(0)),
	}))
	if in.HumanStatus != "Scheduled" || !in.ScheduledAt.Equal(at) || !in.OccurredAt.IsZero() || in.ComponentID != 0 {
		t.Errorf("2.3 create = %+v", in)
	}
	got := must[cachet.Incident](t)(c.Incidents.Get(ctx, in.ID))
	if got.Name != "Maintenance" || !got.ScheduledAt.Equal(at) || got.Meta == nil {
		t.Errorf("2.3 Get = %+v", got)
	}
}

func TestClientScheduleWithoutMessage(t *testing.T) {
	_, c := newEmulator(t)
	ctx := context.Background()
	when := time.Date(2030, 1, 2, 3, 4, 59, 0, time.UTC)
	s := must[cachet.Schedule](t)(c.Schedules.Create(ctx, cachet.ScheduleParams{
		Name: cachet.Ptr("Upgrade"), Status: cachet.Ptr(cachet.ScheduleStatus(0)), ScheduledAt: &when,
	}))
	// No message key on the POST answer, message null on GET; seconds are
	// dropped by the "Y-m-d H:i" input.
	if s.Message != "" || !cachet.SameMinute(s.ScheduledAt, when) || s.ScheduledAt.Equal(when) {
		t.Errorf("Create = %+v", s)
	}
	if g := must[cachet.Schedule](t)(c.Schedules.Get(ctx, s.ID)); g.Message != "" || g.Name != "Upgrade" {
		t.Errorf("Get = %+v", g)
	}
}

func TestClientMetricsAndPointsFidelity(t *testing.T) {
	for _, version := range []string{"2.4", "2.3"} {
		_, c := newEmulator(t, cachettest.WithVersion(version))
		ctx := context.Background()
		// Create without a description works: the client sends "".
		m := must[cachet.Metric](t)(c.Metrics.Create(ctx, cachet.MetricParams{Name: cachet.Ptr("Latency"), Suffix: cachet.Ptr("ms"), DefaultValue: cachet.Ptr(0)}))
		ts := time.Unix(1434369116, 0)
		p := must[cachet.MetricPoint](t)(c.MetricPoints.Create(ctx, m.ID, cachet.MetricPointParams{Value: cachet.Ptr(1.5), Timestamp: &ts}))
		// The update sends the timestamp as a string, which Cachet 2.4 requires.
		u := must[cachet.MetricPoint](t)(c.MetricPoints.Update(ctx, m.ID, p.ID, cachet.MetricPointParams{Value: cachet.Ptr(2.0), Timestamp: &ts}))
		want := time.Unix(1434369120, 0).UTC() // rounded to 30 s
		if version == "2.3" {
			want = ts.UTC()
		}
		if u.Value != 2 || !u.CreatedAt.Equal(want) {
			t.Errorf("%s Update = %+v, want created %s", version, u, want)
		}
	}
}

func TestSameMinute(t *testing.T) {
	a := time.Date(2030, 1, 1, 10, 0, 37, 0, time.UTC)
	for _, tc := range []struct {
		b    time.Time
		want bool
	}{
		{time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC), true},
		{time.Date(2030, 1, 1, 11, 0, 59, 0, time.FixedZone("CET", 3600)), true},
		{time.Date(2030, 1, 1, 10, 1, 0, 0, time.UTC), false},
	} {
		if got := cachet.SameMinute(a, tc.b); got != tc.want {
			t.Errorf("SameMinute(%s, %s) = %v", a, tc.b, got)
		}
	}
}

// TestEmptyListOn2_3: Cachet 2.3 says total_pages 0 for an empty list
// (Laravel 5.2.39 LengthAwarePaginator.php:49 has no "at least 1"); walking
// it is an empty result, not a pagination error.
func TestEmptyListOn2_3(t *testing.T) {
	_, c := newEmulator(t, cachettest.WithVersion("2.3"))
	ctx := context.Background()
	for comp, err := range c.Components.All(ctx, cachet.ListOptions{}) {
		t.Fatalf("empty 2.3 list yielded %+v, %v", comp, err)
	}
	for g, err := range c.Groups.All(ctx, cachet.ListOptions{PerPage: 3}) {
		t.Fatalf("empty 2.3 list yielded %+v, %v", g, err)
	}
}

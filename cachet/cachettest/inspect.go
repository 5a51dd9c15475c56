package cachettest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"

	"github.com/cachetsync/cachetsync/cachet"
)

// inspector reads the store the way the API shows it, by handling GET
// requests in process: no HTTP, no stats, no record, no faults, and every
// object visible whatever the token.
type inspector struct {
	e    *Emulator
	once sync.Once
	c    *cachet.Client
}

type inspectKey struct{}

// inspecting reports whether r comes from the inspector (which sees hidden
// objects without a token).
func inspecting(r *http.Request) bool { return r.Context().Value(inspectKey{}) != nil }

func (in *inspector) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.WithContext(context.WithValue(r.Context(), inspectKey{}, true))
	rec := httptest.NewRecorder()
	in.e.serveAPI(rec, r)
	return rec.Result(), nil
}

func (in *inspector) client() *cachet.Client {
	in.once.Do(func() {
		c, err := cachet.New("http://cachettest.invalid/api/v1", "",
			cachet.WithHTTPClient(&http.Client{Transport: in}),
			cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1}),
			cachet.WithMaxBodyBytes(1<<40))
		if err != nil {
			panic(err)
		}
		in.c = c
	})
	return in.c
}

// collect gathers an inspection read; the store answers every read.
func collectInspected[T any](seq func(func(T, error) bool)) []T {
	var out []T
	for v, err := range seq {
		if err != nil {
			panic("cachettest: inspection: " + err.Error())
		}
		out = append(out, v)
	}
	return out
}

var bigPage = cachet.ListOptions{PerPage: 1000}

// Incidents returns every incident (hidden ones included) with its updates,
// id ascending, as the API shows it.
func (e *Emulator) Incidents() []cachet.Incident {
	out := collectInspected(e.inspector.client().Incidents.All(context.Background(), bigPage))
	slices.SortFunc(out, func(a, b cachet.Incident) int { return int(a.ID - b.ID) })
	return out
}

// Incident returns one incident as the API shows it, and false when there
// is none with that id.
func (e *Emulator) Incident(id cachet.IncidentID) (cachet.Incident, bool) {
	in, err := e.inspector.client().Incidents.Get(context.Background(), id)
	return in, err == nil
}

// IncidentUpdates returns the updates of an incident, id ascending (none on
// Cachet 2.3, which has no updates).
func (e *Emulator) IncidentUpdates(incidentID cachet.IncidentID) []cachet.IncidentUpdate {
	if e.v23 {
		return nil
	}
	if _, ok := e.Incident(incidentID); !ok {
		return nil
	}
	out := collectInspected(e.inspector.client().IncidentUpdates.All(context.Background(), incidentID, bigPage))
	slices.SortFunc(out, func(a, b cachet.IncidentUpdate) int { return a.ID - b.ID })
	return out
}

// Metrics returns every metric, id ascending.
func (e *Emulator) Metrics() []cachet.Metric {
	out := collectInspected(e.inspector.client().Metrics.All(context.Background(), bigPage))
	slices.SortFunc(out, func(a, b cachet.Metric) int { return int(a.ID - b.ID) })
	return out
}

// MetricPoints returns the points of a metric, id ascending.
func (e *Emulator) MetricPoints(metricID cachet.MetricID) []cachet.MetricPoint {
	if _, err := e.inspector.client().Metrics.Get(context.Background(), metricID); err != nil {
		return nil
	}
	out := collectInspected(e.inspector.client().MetricPoints.All(context.Background(), metricID, bigPage))
	slices.SortFunc(out, func(a, b cachet.MetricPoint) int { return a.ID - b.ID })
	return out
}

// Schedules returns every maintenance schedule, id ascending (none on 2.3).
func (e *Emulator) Schedules() []cachet.Schedule {
	if e.v23 {
		return nil
	}
	out := collectInspected(e.inspector.client().Schedules.All(context.Background(), bigPage))
	slices.SortFunc(out, func(a, b cachet.Schedule) int { return a.ID - b.ID })
	return out
}

// IncidentTemplates returns every incident template, id ascending (none on
// 2.3).
func (e *Emulator) IncidentTemplates() []cachet.IncidentTemplate {
	if e.v23 {
		return nil
	}
	out := collectInspected(e.inspector.client().IncidentTemplates.All(context.Background(), bigPage))
	slices.SortFunc(out, func(a, b cachet.IncidentTemplate) int { return a.ID - b.ID })
	return out
}

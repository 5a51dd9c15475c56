package cachet3_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet3"
)

// fixtureServer answers every request with the response of one fixture
// (derived from core's resource classes, shared with the emulator's tests).
func fixtureServer(t *testing.T, name string, exchange int) *cachet3.Client {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "cachet", "cachettest", "testdata", "cachet3", name))
	if err != nil {
		t.Fatal(err)
	}
	type response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	}
	var f struct {
		Response  *response `json:"response"`
		Exchanges []struct {
			Response response `json:"response"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	resp := f.Response
	if resp == nil {
		resp = &f.Exchanges[exchange].Response
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.Status)
		_, _ = w.Write(resp.Body)
	}))
	t.Cleanup(srv.Close)
	c, err := cachet3.New(srv.URL+"/api", "3|token", cachet3.WithRetry(cachet3.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDecodeFixtures(t *testing.T) {
	ctx := context.Background()

	comp, err := fixtureServer(t, "component_show.json", 0).Components.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantTime := time.Date(2026, 8, 1, 9, 5, 0, 0, time.UTC)
	if comp.ID != 1 || comp.Name != "API" || comp.Status != cachet3.StatusOperational || comp.LatestStatus != cachet3.StatusPartialOutage ||
		comp.Order == nil || *comp.Order != 0 || !comp.Enabled || !comp.CreatedAt.Equal(wantTime) || comp.Meta != nil {
		t.Fatalf("component_show: %+v", comp)
	}

	list, next, err := fixtureServer(t, "components_index.json", 0).Components.List(ctx, cachet3.ListOptions{}, 1, 2)
	if err != nil || !next || len(list) != 2 || list[0].GroupID != 1 || list[1].GroupID != 0 || list[1].Description != "" {
		t.Fatalf("components_index: %+v next=%v %v", list, next, err)
	}

	g, err := fixtureServer(t, "component_group_create.json", 0).Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Payments")})
	if err != nil || g.ID != 3 || g.Order != 0 || g.Collapsed != 1 || g.Visible != cachet3.VisibleAuthenticated || g.OrderColumn != "" {
		t.Fatalf("component_group_create (nulls read as the DB defaults): %+v %v", g, err)
	}

	in, err := fixtureServer(t, "incident_create.json", 0).Incidents.Create(ctx, cachet3.IncidentParams{Name: cachet3.Ptr("x")})
	if err != nil || in.Visible != 1 || !in.Notifications || len(in.Components) != 1 || in.Components[0] != (cachet3.Impact{ID: 7, Status: cachet3.StatusPartialOutage}) || in.OccurredAt != nil {
		t.Fatalf("incident_create: %+v %v", in, err)
	}

	sub, created, err := fixtureServer(t, "subscriber_create.json", 0).Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("ops@example.com")})
	if err != nil || !created || sub.Verified || sub.VerifiedAt != nil || sub.Global {
		t.Fatalf("subscriber_create: %+v %v %v", sub, created, err)
	}

	_, err = fixtureServer(t, "error_validation_422.json", 0).Components.Create(ctx, cachet3.ComponentParams{})
	var ae *cachet3.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 422 || len(ae.Fields) != 4 || ae.Fields["component_group_id"][0] != "The selected component group id is invalid." {
		t.Fatalf("error_validation_422: %v", err)
	}

	err = fixtureServer(t, "error_auth.json", 1).Components.Delete(ctx, 7)
	if !errors.As(err, &ae) || ae.Ability != "components.delete" || ae.Message != "Invalid ability provided." {
		t.Fatalf("error_auth 403: %v", err)
	}

	_, err = fixtureServer(t, "error_429.json", 0).Ping(ctx)
	if !errors.Is(err, cachet3.ErrRateLimited) || !errors.As(err, &ae) || ae.RetryAfter != 37*time.Second {
		t.Fatalf("error_429: %v", err)
	}
}

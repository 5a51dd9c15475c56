package cachetv3_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv3"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/page"
)

// TestReadLive: every group, component (a disabled one and one of unknown
// status included) and subscriber is read and converted.
func TestReadLive(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	c, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Core"), Visible: cachet3.Ptr(true), Collapsed: cachet3.Ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	on, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("API"), GroupID: cachet3.Ptr(g.ID),
		Meta: cachet3.Meta{"owner": "platform"}}) // no status: 5, unknown
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("Legacy"), Enabled: cachet3.Ptr(false),
		Status: cachet3.Ptr(cachet3.StatusMajorOutage)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("a@example.com"), Components: &[]int{on.ID}}); err != nil {
		t.Fatal(err)
	}
	live, err := cachetv3.New(c).ReadLive(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Groups) != 1 || live.Groups[0].Name != "Core" || live.Groups[0].Visible != page.Public ||
		live.Groups[0].Collapsed != page.CollapsedUnlessIncident || !live.Groups[0].HasVisibility {
		t.Errorf("groups: %+v", live.Groups)
	}
	if len(live.Components) != 2 {
		t.Fatalf("components: %+v", live.Components)
	}
	api, legacy := live.Components[0], live.Components[1]
	if api.Status != 0 || api.GroupID != g.ID || !api.Enabled || api.Meta["owner"] != "platform" || api.Tags != nil {
		t.Errorf("API: %+v", api)
	}
	if legacy.Enabled || legacy.Status != page.Status(4) || legacy.GroupID != 0 || legacy.Meta == nil {
		t.Errorf("Legacy (disabled): %+v", legacy)
	}
	if len(live.Subscribers) != 1 || live.Subscribers[0].Email != "a@example.com" || len(live.Subscribers[0].ComponentIDs()) != 1 ||
		live.Subscribers[0].ComponentIDs()[0] != on.ID {
		t.Errorf("subscribers: %+v", live.Subscribers)
	}
	if caps := live.Capabilities(); !caps.NoTags || live.Version != "3" || !live.Complete {
		t.Errorf("caps %+v, version %q, complete %v", caps, live.Version, live.Complete)
	}
}

// TestReadLiveChecksTheTokenFirst: a token the server does not know would
// read the guest view, so it fails before any list is read.
func TestReadLiveChecksTheTokenFirst(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	var lists atomic.Int64
	srv.OnRequest(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/components") || strings.HasSuffix(r.URL.Path, "/component-groups") {
			lists.Add(1)
		}
	})
	c, err := cachet3.New(srv.URL, "9|unknown")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cachetv3.New(c).ReadLive(context.Background(), true)
	if !errors.Is(err, cachet3.ErrUnauthorized) || !strings.Contains(err.Error(), "checking the API token") {
		t.Fatalf("err = %v", err)
	}
	if n := lists.Load(); n != 0 {
		t.Errorf("%d list reads before the token was known good", n)
	}
}

// The adapter carries out plans: it is an apply.Executor that can update
// subscribers in place.
var (
	_ apply.Executor          = (*cachetv3.API)(nil)
	_ apply.SubscriberUpdater = (*cachetv3.API)(nil)
)

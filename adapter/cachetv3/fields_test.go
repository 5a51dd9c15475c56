package cachetv3_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv3"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
)

// TestReadLiveAsksOnlyTheSubscriberAttributesItUses: subscriber pages ask
// for id, email, global and verified only (no timestamps), and the live
// subscribers still carry all four and their components.
func TestReadLiveAsksOnlyTheSubscriberAttributesItUses(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	comps := srv.SeedComponents3(2)
	srv.SeedSubscribers3(cachettest.Subscriber3{Email: "a@example.com", Verified: true, Components: comps},
		cachettest.Subscriber3{Email: "b@example.com", Global: true})
	var mu sync.Mutex
	var pages []string
	srv.OnRequest(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/subscribers") && strings.Contains(r.URL.RawQuery, "per_page=100") {
			mu.Lock()
			pages = append(pages, r.URL.RawQuery)
			mu.Unlock()
		}
	})
	c, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	live, err := cachetv3.New(c).ReadLive(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || !strings.Contains(pages[0], "fields[subscribers]=id,email,global,verified") {
		t.Fatalf("subscriber pages %v", pages)
	}
	if len(live.Subscribers) != 2 {
		t.Fatalf("subscribers %+v", live.Subscribers)
	}
	a, b := live.Subscribers[0], live.Subscribers[1]
	if a.ID != 1 || a.Email != "a@example.com" || !a.Verified || a.Global || len(a.Subscriptions) != 2 || a.Subscriptions[1].ComponentID != comps[1] {
		t.Errorf("a: %+v", a)
	}
	if b.ID != 2 || b.Email != "b@example.com" || b.Verified || !b.Global || len(b.Subscriptions) != 0 {
		t.Errorf("b: %+v", b)
	}
}

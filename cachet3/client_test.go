package cachet3_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
)

var fastRetry = cachet3.WithRetry(cachet3.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

func start(t testing.TB, opts ...cachettest.Option) *cachettest.Server {
	t.Helper()
	return cachettest.Start(t, append([]cachettest.Option{cachettest.WithVersion("3")}, opts...)...)
}

func client(t testing.TB, srv *cachettest.Server, token string, opts ...cachet3.Option) *cachet3.Client {
	t.Helper()
	c, err := cachet3.New(srv.URL, token, append([]cachet3.Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seedSubscribers(srv *cachettest.Server, n int) []int {
	subs := make([]cachettest.Subscriber3, n)
	for i := range subs {
		subs[i] = cachettest.Subscriber3{Email: fmt.Sprintf("s%05d@example.com", i), Global: true}
	}
	return srv.SeedSubscribers3(subs...)
}

func TestNewRejectsV1AndBadEndpoints(t *testing.T) {
	for _, ep := range []string{"https://status.example.com/api/v1", "https://status.example.com/", "ftp://x/api", "https://x/api?x=1"} {
		if _, err := cachet3.New(ep, ""); err == nil {
			t.Errorf("New(%q) accepted", ep)
		}
	}
	if _, err := cachet3.New("https://status.example.com/status/api/", ""); err != nil {
		t.Errorf("a CACHET_PATH prefix must be accepted: %v", err)
	}
}

// Pagination asks for page=N+1 itself with per_page=100 and the filters,
// never the links.next URL (which drops both, cachet3-api.md §5).
func TestAllPagesByNumberKeepingPerPageAndFilters(t *testing.T) {
	srv := start(t)
	seedSubscribers(srv, 250)
	c := client(t, srv, srv.Token())
	subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{Filters: map[string]string{"email": "@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 250 || rep.Pages != 3 || rep.Checks != 0 || rep.Attempts != 1 {
		t.Fatalf("got %d subscribers, report %+v", len(subs), rep)
	}
	pages := map[string]bool{}
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.Query)
		if q.Get("sort") == "-id" && q.Get("per_page") == "1" && q.Get("page") == "1" {
			continue // the highest id, which bounds the pages
		}
		if q.Get("filter[email]") != "@example.com" || q.Get("sort") != "id" {
			t.Fatalf("request without the filter or sort: %s", r)
		}
		if q.Get("per_page") == "100" {
			pages[q.Get("page")] = true
		}
	}
	for _, p := range []string{"1", "2", "3"} {
		if !pages[p] {
			t.Fatalf("page %s not read with per_page=100: %v", p, srv.Requests())
		}
	}
	for i, s := range subs {
		if s.ID != i+1 {
			t.Fatalf("item %d has id %d: out of order or duplicated", i, s.ID)
		}
	}
}

// Disabled components are hidden even from tokens unless filter[enabled]
// is sent; All sends 0,1.
func TestComponentsAllIncludesDisabled(t *testing.T) {
	srv := start(t)
	c := client(t, srv, srv.Token())
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr(fmt.Sprint("c", i)), Enabled: cachet3.Ptr(i != 1)}); err != nil {
			t.Fatal(err)
		}
	}
	all, _, err := c.Components.All(ctx, cachet3.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[1].Enabled {
		t.Fatalf("All = %+v, want 3 with the disabled one", all)
	}
}

func TestTypedErrors(t *testing.T) {
	srv := start(t)
	srv.AddToken("2|manage-only", "components.manage")
	ctx := context.Background()

	guest := client(t, srv, "")
	_, err := guest.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("x")})
	if !errors.Is(err, cachet3.ErrUnauthorized) {
		t.Fatalf("guest create: %v", err)
	}

	manager := client(t, srv, "2|manage-only")
	comp, err := manager.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("x")})
	if err != nil {
		t.Fatal(err)
	}
	err = manager.Components.Delete(ctx, comp.ID)
	var ae *cachet3.APIError
	if !errors.Is(err, cachet3.ErrForbidden) || !errors.As(err, &ae) || ae.Ability != "components.delete" ||
		!strings.Contains(err.Error(), "components.delete") {
		t.Fatalf("403 should name the missing ability: %v", err)
	}

	_, err = manager.Components.Update(ctx, 999, cachet3.ComponentParams{Name: cachet3.Ptr("y")})
	if !errors.Is(err, cachet3.ErrNotFound) {
		t.Fatalf("update of a missing id: %v", err)
	}

	_, err = manager.Components.Create(ctx, cachet3.ComponentParams{Link: cachet3.Ptr("javascript:alert(1)")})
	if !errors.Is(err, cachet3.ErrValidation) || !errors.As(err, &ae) {
		t.Fatalf("422: %v", err)
	}
	if ae.Fields["name"][0] != "The name field is required." || ae.Fields["link"][0] != "The link field must be a valid URL." {
		t.Fatalf("422 fields %v", ae.Fields)
	}
	if !strings.Contains(err.Error(), "link: The link field must be a valid URL.") {
		t.Fatalf("422 message lacks the field messages: %v", err)
	}

	bad := client(t, srv, "9|unknown")
	if err := bad.CheckToken(ctx); !errors.Is(err, cachet3.ErrUnauthorized) {
		t.Fatalf("CheckToken with a bad token: %v", err)
	}
	if err := manager.CheckToken(ctx); err != nil {
		t.Fatalf("CheckToken with a token lacking subscribers.manage: %v", err)
	}
	if err := client(t, srv, srv.Token()).CheckToken(ctx); err != nil {
		t.Fatalf("CheckToken: %v", err)
	}
}

// A 429 is retried after its Retry-After, for a write too (the throttle
// answers before the controller runs).
func TestRetryAfterHonoured(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"Too Many Attempts."}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"data":{"id":"1","type":"components","attributes":{"id":1,"name":"x","status":{"human":"Unknown","value":5},"latest_status":{"human":"Unknown","value":5},"enabled":true}}}`)
	}))
	defer srv.Close()
	c, err := cachet3.New(srv.URL+"/api", "1|t", fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	comp, err := c.Components.Create(context.Background(), cachet3.ComponentParams{Name: cachet3.Ptr("x")})
	if err != nil || comp.ID != 1 {
		t.Fatalf("create after a 429: %+v %v", comp, err)
	}
	if len(times) != 2 {
		t.Fatalf("%d attempts, want 2", len(times))
	}
	if gap := times[1].Sub(times[0]); gap < time.Second {
		t.Fatalf("retried after %v, before the Retry-After of 1s", gap)
	}
}

// WithReadOnly refuses writes in the transport: nothing reaches the server.
func TestReadOnlyRefusesWrites(t *testing.T) {
	srv := start(t)
	c := client(t, srv, srv.Token(), cachet3.WithReadOnly())
	ctx := context.Background()
	if _, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("x")}); !errors.Is(err, cachet3.ErrReadOnly) {
		t.Fatalf("create: %v", err)
	}
	if err := c.Subscribers.Delete(ctx, 1); !errors.Is(err, cachet3.ErrReadOnly) {
		t.Fatalf("delete: %v", err)
	}
	if _, _, err := c.Components.All(ctx, cachet3.ListOptions{}); err != nil {
		t.Fatalf("reads must work: %v", err)
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Fatalf("a write reached the server: %s", r)
		}
	}
}

// The limiter lets at most n requests start per span: the next one waits
// (here past the context's deadline) instead of reaching the server.
func TestRateLimiterStaysUnderTheLimit(t *testing.T) {
	srv := start(t)
	c := client(t, srv, "", cachet3.WithRateLimit(3, time.Hour))
	for range 3 {
		if _, err := c.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("4th ping: %v, want the limiter to wait past the deadline", err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Fatalf("%d requests reached the server, want 3", n)
	}
}

// Meta: nil leaves it, an empty map clears it (replace semantics).
func TestMetaReplaceAndClear(t *testing.T) {
	srv := start(t)
	c := client(t, srv, srv.Token())
	ctx := context.Background()
	comp, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("x"), Meta: cachet3.Meta{"a": "1", "b": 2.0}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.Update(ctx, comp.ID, cachet3.ComponentParams{Name: cachet3.Ptr("y")}); err != nil {
		t.Fatal(err)
	}
	got, _ := c.Components.Get(ctx, comp.ID)
	if len(got.Meta) != 2 {
		t.Fatalf("meta after an update without meta: %v", got.Meta)
	}
	if _, err := c.Components.Update(ctx, comp.ID, cachet3.ComponentParams{Meta: cachet3.Meta{}}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.Components.Get(ctx, comp.ID)
	if got.Meta == nil || len(got.Meta) != 0 {
		t.Fatalf("meta after clearing: %#v", got.Meta)
	}
}

// Subscribers are updated in place (no delete and re-create); a re-POST of
// an existing e-mail reports created=false.
func TestSubscribersInPlace(t *testing.T) {
	srv := start(t)
	c := client(t, srv, srv.Token())
	ctx := context.Background()
	comp, _ := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("x")})
	sub, created, err := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("a@example.com"), Verified: cachet3.Ptr(true)})
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	if _, created, _ := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("a@example.com")}); created {
		t.Fatal("re-POST reported a creation")
	}
	up, err := c.Subscribers.Update(ctx, sub.ID, cachet3.SubscriberParams{Components: cachet3.Ptr([]int{comp.ID}), Global: cachet3.Ptr(false)})
	if err != nil || up.ID != sub.ID {
		t.Fatalf("update: %+v %v", up, err)
	}
	got, _ := c.Subscribers.Get(ctx, sub.ID)
	if !slices.Equal(got.Components, []int{comp.ID}) || got.Global || !got.Verified {
		t.Fatalf("after update: %+v", got)
	}
}

// Item 5 of issue 12: a list that changes during the read. The emulator's
// hook deletes rows before the read cursor and adds rows at the end when
// the request for page 5 arrives. Every subscriber that exists during the
// whole read must come back exactly once, whatever the order the
// concurrent requests are served in.
func TestAllNothingMissedOrDuplicatedWhenTheListChanges(t *testing.T) {
	for _, ahead := range []int{1, 3, 8} {
		t.Run(fmt.Sprint("readahead=", ahead), func(t *testing.T) {
			srv := start(t)
			ids := seedSubscribers(srv, 1000)
			deleted := map[int]bool{}
			for id := 50; id < 60; id++ {
				deleted[id] = true
			}
			var fired atomic.Bool
			srv.OnRequest(func(r *http.Request) {
				q := r.URL.Query()
				if q.Get("page") != "5" || q.Get("per_page") != "100" || !fired.CompareAndSwap(false, true) {
					return
				}
				for id := range deleted {
					srv.DeleteSubscriber3(id)
				}
				srv.SeedSubscribers3(cachettest.Subscriber3{Email: "late1@example.com"}, cachettest.Subscriber3{Email: "late2@example.com"})
			})
			c := client(t, srv, srv.Token(), cachet3.WithReadAhead(ahead))
			subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !fired.Load() {
				t.Fatal("the hook never fired")
			}
			seen := map[int]int{}
			for _, s := range subs {
				seen[s.ID]++
			}
			for id, n := range seen {
				if n > 1 {
					t.Fatalf("subscriber %d returned %d times", id, n)
				}
			}
			for _, id := range ids {
				if !deleted[id] && seen[id] != 1 {
					t.Fatalf("subscriber %d, present throughout, missed (report %+v)", id, rep)
				}
			}
			if ahead == 1 && rep.Attempts != 2 {
				// Read one request at a time, page 5 is served after the
				// delete and pages 1-4 before it: the boundary check after
				// page 5 must see the tear and read again.
				t.Fatalf("sequential read: %d attempts, want 2 (the tear detected)", rep.Attempts)
			}
		})
	}
}

// The highest id (one request, sort=-id, with the list's filters) bounds
// the pages: with dense ids no page past the end is asked for, at any
// read-ahead; a list that grows during the read past the bound is still
// read whole; with gaps, pages are read ahead up to the bound and stop at
// the first short page.
func TestAllReadsNoPagePastTheHighestID(t *testing.T) {
	for _, ahead := range []int{1, 8, 32} {
		t.Run(fmt.Sprint("readahead=", ahead), func(t *testing.T) {
			srv := start(t)
			seedSubscribers(srv, 1000)
			c := client(t, srv, srv.Token(), cachet3.WithReadAhead(ahead))
			subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{Filters: map[string]string{"email": "@example.com"}})
			if err != nil || len(subs) != 1000 {
				t.Fatalf("%d subscribers, %v", len(subs), err)
			}
			var bounds, pages int
			for _, r := range srv.Requests() {
				q, _ := url.ParseQuery(r.Query)
				switch {
				case q.Get("sort") == "-id":
					bounds++
					if q.Get("per_page") != "1" || q.Get("filter[email]") != "@example.com" {
						t.Errorf("bound request %s", r)
					}
				case q.Get("per_page") == "100":
					pages++
				}
			}
			if bounds != 1 || pages != 10 || rep.Requests != 11 {
				t.Fatalf("%d bound requests, %d pages, report %+v; want 1, exactly 10, 11", bounds, pages, rep)
			}
		})
	}
	t.Run("grows", func(t *testing.T) {
		srv := start(t)
		seedSubscribers(srv, 300)
		var fired atomic.Bool
		srv.OnRequest(func(r *http.Request) {
			if r.URL.Query().Get("page") == "2" && fired.CompareAndSwap(false, true) {
				for i := range 150 {
					srv.SeedSubscribers3(cachettest.Subscriber3{Email: fmt.Sprintf("late%d@example.com", i)})
				}
			}
		})
		// One request at a time: the bound (300 rows, 3 pages) is known
		// before page 2 is served, and page 3 then has a next page.
		c := client(t, srv, srv.Token(), cachet3.WithReadAhead(1))
		subs, _, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
		if err != nil || len(subs) != 450 {
			t.Fatalf("a list grown past the bound: %d subscribers, %v", len(subs), err)
		}
	})
	t.Run("gaps", func(t *testing.T) {
		srv := start(t)
		ids := seedSubscribers(srv, 1000)
		for _, id := range ids[:500] {
			srv.DeleteSubscriber3(id) // ids 501..1000 remain: the bound is exact again
		}
		for _, id := range ids[600:800] {
			srv.DeleteSubscriber3(id) // 300 rows over ids 501..1000: bound 5 pages, 3 real
		}
		c := client(t, srv, srv.Token(), cachet3.WithReadAhead(32))
		subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
		if err != nil || len(subs) != 300 {
			t.Fatalf("%d subscribers, %v", len(subs), err)
		}
		pages := 0
		for _, r := range srv.Requests() {
			if q, _ := url.ParseQuery(r.Query); q.Get("per_page") == "100" {
				pages++
			}
		}
		if pages > 5 {
			t.Fatalf("%d pages asked for, more than the bound of 5 (report %+v)", pages, rep)
		}
	})
}

// Where ids do not run on across a page boundary (rows were deleted), a
// one-item check verifies the boundary; where they do, none is needed.
func TestAllChecksBoundariesWithIDGaps(t *testing.T) {
	srv := start(t)
	seedSubscribers(srv, 300)
	srv.DeleteSubscriber3(101) // page 2 now starts at 102: boundary 1 has a gap
	c := client(t, srv, srv.Token())
	subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil || len(subs) != 299 {
		t.Fatalf("%d %v", len(subs), err)
	}
	if rep.Checks != 1 || rep.Attempts != 1 {
		t.Fatalf("report %+v, want exactly one check (boundary 1)", rep)
	}
	checks := 0
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.Query)
		if q.Get("per_page") == "1" && q.Get("sort") != "-id" {
			checks++
			if q.Get("page") != "100" || q.Get("sort") != "id" {
				t.Fatalf("check request %s, want the row at offset 99", r)
			}
		}
	}
	if checks != 1 {
		t.Fatalf("%d check requests", checks)
	}
}

// Pages past the end are read speculatively but never returned; an empty
// list is one page.
func TestAllStopsAtTheFirstShortPage(t *testing.T) {
	srv := start(t)
	c := client(t, srv, srv.Token())
	subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil || len(subs) != 0 || rep.Pages != 1 {
		t.Fatalf("empty list: %d %+v %v", len(subs), rep, err)
	}
	seedSubscribers(srv, 200) // exactly two full pages: the third is empty
	subs, rep, err = c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil || len(subs) != 200 || rep.Pages != 2 {
		t.Fatalf("two full pages: %d %+v %v", len(subs), rep, err)
	}
}

// Under the emulator's random faults (500, 502, 503, 429, dropped
// connections; seeded, so the same run every time) All still returns every
// subscriber exactly once: GETs are retried.
func TestAllUnderFaults(t *testing.T) {
	srv := start(t, cachettest.WithFaults(0.25), cachettest.WithSeed(11), cachettest.WithRetryAfter(0))
	seedSubscribers(srv, 1000)
	c := client(t, srv, srv.Token(), cachet3.WithRetry(cachet3.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	subs, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1000 {
		t.Fatalf("%d subscribers", len(subs))
	}
	for i, s := range subs {
		if s.ID != i+1 {
			t.Fatalf("item %d has id %d", i, s.ID)
		}
	}
	if n := len(srv.Requests()); n <= rep.Requests {
		t.Fatalf("the server saw %d requests for %d sent: no fault was retried", n, rep.Requests)
	}
}

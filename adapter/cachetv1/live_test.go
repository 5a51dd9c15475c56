package cachetv1_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/binput"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
)

func seedComponents(e *cachettest.Emulator, n int) {
	for i := 0; i < n; i++ {
		e.SeedComponent(cachet.Component{Name: fmt.Sprintf("C%03d", i), Enabled: i%2 == 0})
	}
}

func TestReadLiveRequestsAreTokenCheckPlusPages(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedComponents(srv.Emulator, 7)
	g := srv.SeedGroup(cachet.ComponentGroup{Name: "Hidden", Visible: cachet.GroupLoggedInOnly})
	for i := 0; i < 4; i++ {
		srv.SeedSubscriber(fmt.Sprintf("s%d@example.com", i))
	}
	c, _ := cachet.New(srv.URL, srv.Token(), cachet.WithReadOnly())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	// groups (1 page) + components (3 pages) + subscribers (2 pages, the
	// first of which is the token check)
	if got := srv.Stats().Requests["GET"]; got != 6 {
		t.Fatalf("%d GET requests, want 6", got)
	}
	if len(live.Components) != 7 || len(live.Subscribers) != 4 || len(live.Groups) != 1 || !live.Complete || live.Version != "2.4" {
		t.Fatalf("live = %d components, %d subscribers, %d groups, complete %v, version %q",
			len(live.Components), len(live.Subscribers), len(live.Groups), live.Complete, live.Version)
	}
	// A token read sees disabled components and hidden groups.
	if live.Groups[0].ID != g.ID {
		t.Fatalf("hidden group not read")
	}
}

func TestReadLiveDetectsCachet23(t *testing.T) {
	for _, n := range []int{2, 0} { // from the payload, and by probing an empty page
		srv := cachettest.NewServer(cachettest.WithVersion("2.3"))
		seedComponents(srv.Emulator, n)
		c, _ := cachet.New(srv.URL, srv.Token())
		live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if live.Version != "2.3" {
			t.Fatalf("%d components: version %q, want 2.3", n, live.Version)
		}
		if live.Caps == nil || *live.Caps != cachetv1.Capabilities("2.3") {
			t.Fatalf("%d components: capabilities %+v, want those of 2.3", n, live.Caps)
		}
	}
}

// TestCapabilitiesOfV1: what the adapter reports for 2.3 and 2.4, and that
// a Live built by hand is planned as for 2.4.
func TestCapabilitiesOfV1(t *testing.T) {
	v23, v24 := cachetv1.Capabilities("2.3"), cachetv1.Capabilities("2.4")
	if v23.GroupVisibility || v23.ComponentMeta || !v23.UpdateResetsOmitted || v23.DropsTagZero || v23.Input != binput.V23 {
		t.Errorf("2.3 = %+v", v23)
	}
	if !v24.GroupVisibility || !v24.ComponentMeta || v24.UpdateResetsOmitted || !v24.DropsTagZero || v24.Input != binput.V24 {
		t.Errorf("2.4 = %+v", v24)
	}
	if v24 != plan.DefaultCapabilities {
		t.Errorf("plan.DefaultCapabilities = %+v, want those of 2.4 %+v", plan.DefaultCapabilities, v24)
	}
}

func TestReadLiveRejectsBadToken(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedComponents(srv.Emulator, 2)
	c, _ := cachet.New(srv.URL, "wrong-token-0000")
	for _, skip := range []bool{false, true} {
		live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{SkipSubscribers: skip})
		if !errors.Is(err, cachet.ErrUnauthorized) || live != nil || !strings.Contains(err.Error(), "token") {
			t.Fatalf("skip subscribers %v: live %v, err = %v, want ErrUnauthorized and nothing read", skip, live, err)
		}
	}
}

func TestReadLiveWithoutSubscribersChecksTokenFirst(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, _ := cachet.New(srv.URL, srv.Token())
	if _, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{SkipSubscribers: true}); err != nil {
		t.Fatal(err)
	}
	// the token check, groups, components, and (the page is empty) the
	// version probe
	if got := srv.Stats().Requests["GET"]; got != 4 {
		t.Fatalf("%d GETs, want 4", got)
	}
}

// tearing creates a component on the server while page 2 of the
// components is being read, the first `times` times.
func tearing(e *cachettest.Emulator, times int64) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/components") && r.URL.Query().Get("page") == "2" {
			if k := n.Add(1); k <= times {
				e.SeedComponent(cachet.Component{Name: fmt.Sprintf("Concurrent %d", k), Enabled: true})
			}
		}
		e.ServeHTTP(w, r)
	})
}

func TestTornReadIsReadAgain(t *testing.T) {
	emu := cachettest.New()
	seedComponents(emu, 7)
	ts := httptest.NewServer(tearing(emu, 1))
	defer ts.Close()
	c, _ := cachet.New(ts.URL+"/api/v1", emu.Token())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !live.Complete || len(live.Components) != 8 {
		t.Fatalf("complete %v with %d components, want a clean second read of 8", live.Complete, len(live.Components))
	}
}

// TestTornReadIsRefused: a list torn on every attempt is an error, never a
// plan: a missed object would be created again, and an empty plan would
// print "No changes" over objects that went unread.
func TestTornReadIsRefused(t *testing.T) {
	emu := cachettest.New()
	seedComponents(emu, 7)
	ts := httptest.NewServer(tearing(emu, 100))
	defer ts.Close()
	c, _ := cachet.New(ts.URL+"/api/v1", emu.Token())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{PageSize: 3})
	var incomplete *cachetv1.IncompleteError
	if !errors.As(err, &incomplete) || incomplete.Kind != plan.KindComponent || live != nil {
		t.Fatalf("err = %v, want the components reported incomplete", err)
	}
}

// TestReadLiveRejectsBrokenPagination: an answer without Cachet's
// pagination meta (a proxy, another API) is an error, never a crash.
func TestReadLiveRejectsBrokenPagination(t *testing.T) {
	for name, body := range map[string]string{
		"no meta":        `{"data":[]}`,
		"negative total": `{"meta":{"pagination":{"total":-5,"count":0,"per_page":500,"current_page":1,"total_pages":1}},"data":[]}`,
		"huge pages":     `{"meta":{"pagination":{"total":3,"count":0,"per_page":500,"current_page":1,"total_pages":99999999}},"data":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			emu := cachettest.New()
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/components") {
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(body))
					return
				}
				emu.ServeHTTP(w, r)
			}))
			defer ts.Close()
			c, _ := cachet.New(ts.URL+"/api/v1", emu.Token())
			_, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
			if err == nil || !strings.Contains(err.Error(), "pagination") {
				t.Fatalf("err = %v, want a pagination error", err)
			}
		})
	}
}

// TestHeavySubscribersAreReadInSmallerPages: subscribers bring their
// subscriptions along, so when the first page shows many per subscriber,
// the other pages are made smaller to keep each PHP response in budget.
func TestHeavySubscribersAreReadInSmallerPages(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedComponents(srv.Emulator, 100)
	for i := 0; i < 30; i++ {
		srv.SeedSubscriber(fmt.Sprintf("s%02d@example.com", i)) // every component: 100 subscriptions each
	}
	var subscriberPages []string
	var mu sync.Mutex
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/subscribers") {
			mu.Lock()
			subscriberPages = append(subscriberPages, r.URL.Query().Get("page")+"x"+r.URL.Query().Get("per_page"))
			mu.Unlock()
		}
		srv.Emulator.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c, _ := cachet.New(ts.URL+"/api/v1", srv.Token())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{PageSize: 20, RowBudget: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Subscribers) != 30 || !live.Complete {
		t.Fatalf("read %d subscribers, complete %v", len(live.Subscribers), live.Complete)
	}
	// 101 rows per subscriber: pages of 4 fit 500 rows; the first page of
	// 20 covers pages 1-5 of 4, so pages 6, 7 and 8 of 4 are left.
	slices.Sort(subscriberPages)
	if want := []string{"1x20", "6x4", "7x4", "8x4"}; !slices.Equal(subscriberPages, want) {
		t.Fatalf("subscriber pages = %v, want %v", subscriberPages, want)
	}
}

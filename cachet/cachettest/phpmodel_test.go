package cachettest

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

// waitFor spins until cond holds; it does not measure time, it only keeps
// a broken test from hanging forever.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		runtime.Gosched()
	}
}

// The cost charged for a list is the fixed cost plus one per row returned
// and one per subscription loaded with it (Subscriber's $with =
// ['subscriptions']: app/Models/Subscriber.php:79 (2.4)).
func TestPHPModelChargesRowsAndRelatedRows(t *testing.T) {
	m := PHPModel{PerRequest: 7 * time.Millisecond, PerRow: 100 * time.Microsecond, PerRelated: 3 * time.Microsecond, Workers: 2}
	var mu sync.Mutex
	var charged []time.Duration
	srv := Start(t, WithPHPModel(m), WithSleeper(func(_ context.Context, d time.Duration) {
		mu.Lock()
		charged = append(charged, d)
		mu.Unlock()
	}))
	a := srv.SeedComponent(cachet.Component{Name: "A", Enabled: true})
	b := srv.SeedComponent(cachet.Component{Name: "B", Enabled: true})
	srv.SeedSubscriber("one@example.com", a.ID, b.ID)
	srv.SeedSubscriber("two@example.com", b.ID)
	srv.SeedSubscriber("three@example.com", b.ID)
	c := srv.Client()
	ctx := context.Background()
	if _, err := c.Subscribers.List(ctx, cachet.ListOptions{Page: 1, PerPage: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.List(ctx, cachet.ListOptions{Page: 1, PerPage: 50}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{
		7*time.Millisecond + 2*100*time.Microsecond + 3*3*time.Microsecond, // 2 subscribers, 3 subscriptions
		7*time.Millisecond + 2*100*time.Microsecond,                        // 2 components
	}
	mu.Lock()
	defer mu.Unlock()
	if len(charged) != len(want) || charged[0] != want[0] || charged[1] != want[1] {
		t.Errorf("charged %v, want %v", charged, want)
	}
	if got := srv.PHPStats().Work; got != want[0]+want[1] {
		t.Errorf("Work = %v, want %v", got, want[0]+want[1])
	}
}

// No more requests are served at once than there are workers; the others
// queue, and are served as workers free up.
func TestPHPModelQueuesBeyondItsWorkers(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	inside, most := 0, 0
	srv := Start(t, WithPHPModel(PHPModel{PerRequest: time.Millisecond, Workers: 2}), WithSleeper(func(context.Context, time.Duration) {
		mu.Lock()
		inside++
		most = max(most, inside)
		mu.Unlock()
		<-release
		mu.Lock()
		inside--
		mu.Unlock()
	}))
	const n = 5
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/components", nil)
			req.Header.Set("Accept", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
	}
	// sleeping reports how many requests hold a worker and spend its time.
	sleeping := func() int { mu.Lock(); defer mu.Unlock(); return inside }
	waitFor(t, "2 busy (both spending their time) and 3 queued", func() bool {
		s := srv.PHPStats()
		return s.Busy == 2 && s.Queued == 3 && sleeping() == 2
	})
	release <- struct{}{} // one finishes: one queued request takes its worker
	waitFor(t, "2 busy and 2 queued", func() bool {
		s := srv.PHPStats()
		return s.Busy == 2 && s.Queued == 2 && sleeping() == 2
	})
	close(release)
	wg.Wait()
	s := srv.PHPStats()
	if most != 2 || s.MaxQueued != 3 || s.Busy != 0 || s.Queued != 0 {
		t.Errorf("at most %d served at once, stats %+v; want 2 at once, MaxQueued 3, none left", most, s)
	}
	if got := srv.Stats().Requests["GET"]; got != n {
		t.Errorf("GET = %d, want %d", got, n)
	}
}

func TestPHPModelRefusesNoWorkers(t *testing.T) {
	if _, err := newOptions([]Option{WithPHPModel(PHPModel{Workers: 0})}); err == nil {
		t.Error("a model without workers was accepted")
	}
	if got := DefaultPHPModel.Cost(500, 1000); got != 10*time.Millisecond+500*40*time.Microsecond+1000*15*time.Microsecond {
		t.Errorf("DefaultPHPModel.Cost(500, 1000) = %v", got)
	}
}

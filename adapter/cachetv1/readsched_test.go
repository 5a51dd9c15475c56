package cachetv1_test

import (
	"container/heap"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// listLoad is one list ReadLive reads: its objects and the related rows
// each loads (a subscriber's subscriptions).
type listLoad struct {
	objects    int
	relatedPer float64
}

// serverModel is how long a server takes to answer: a fixed latency on top
// of a cost per request, with a bounded number of workers (0: unbounded).
type serverModel struct {
	latency time.Duration
	php     *cachettest.PHPModel
}

type simRequest struct {
	list, items int
	done        time.Duration
}

type simEvents []simRequest

func (e simEvents) Len() int           { return len(e) }
func (e simEvents) Less(i, j int) bool { return e[i].done < e[j].done }
func (e simEvents) Swap(i, j int)      { e[i], e[j] = e[j], e[i] }
func (e *simEvents) Push(x any)        { *e = append(*e, x.(simRequest)) }
func (e *simEvents) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

// simulateRead replays ReadLive's schedule (the first page of every list
// at once, then each list's other pages conc at a time) against a server
// model, without a clock: it returns when the last page would arrive. The
// CPU of this side is left out.
func simulateRead(lists []listLoad, pageSize, conc int, m serverModel) time.Duration {
	workers := 1 << 30
	if m.php != nil {
		workers = m.php.Workers
	}
	var events simEvents
	var waiting []simRequest // at the server, for a worker
	busy := 0
	service := func(r simRequest) time.Duration {
		if m.php == nil {
			return 0
		}
		return m.php.Cost(r.items, int(float64(r.items)*lists[r.list].relatedPer+0.5))
	}
	start := func(r simRequest, now time.Duration) {
		busy++
		r.done = now + m.latency + service(r)
		heap.Push(&events, r)
	}
	send := func(r simRequest, now time.Duration) {
		if busy < workers {
			start(r, now)
		} else {
			waiting = append(waiting, r)
		}
	}
	type listState struct{ next, pages, inFlight int }
	state := make([]listState, len(lists))
	page := func(l, p int) simRequest {
		return simRequest{list: l, items: min(pageSize, lists[l].objects-(p-1)*pageSize)}
	}
	for l, ll := range lists {
		state[l] = listState{next: 2, pages: max(1, (ll.objects+pageSize-1)/pageSize), inFlight: 1}
		send(page(l, 1), 0)
	}
	var now time.Duration
	for events.Len() > 0 {
		r := heap.Pop(&events).(simRequest)
		now = r.done
		busy--
		for busy < workers && len(waiting) > 0 {
			start(waiting[0], now)
			waiting = waiting[1:]
		}
		s := &state[r.list]
		s.inFlight--
		for s.inFlight < conc && s.next <= s.pages {
			send(page(r.list, s.next), now)
			s.next++
			s.inFlight++
		}
	}
	return now
}

// readLists is the page of BenchmarkPlanCLI with n subscribers, each
// subscribed to two components on average.
func readLists(subscribers int) []listLoad {
	groups, comps := 50, 500
	switch {
	case subscribers > 20_000:
		groups, comps = 250, 5000
	case subscribers > 5_000:
		groups, comps = 100, 2000
	}
	return []listLoad{{objects: groups}, {objects: comps}, {objects: subscribers, relatedPer: 2}}
}

// TestDefaultReadSettingsNearBest replays ReadLive's schedule, without a
// clock, over page sizes and read concurrencies on both server models
// (10 ms of latency on an instant server; cachettest.DefaultPHPModel)
// for 5,000, 20,000 and 100,000 subscribers, and requires the defaults to
// be within 1.5× of the best setting of the grid on the PHP model. On pure
// latency the largest pages always win; there the reads are a small part
// of a plan's time (BenchmarkPlanCLI), so the table is only logged
// (go test -v -run TestDefaultReadSettingsNearBest ./plan).
func TestDefaultReadSettingsNearBest(t *testing.T) {
	php := cachettest.DefaultPHPModel
	models := []struct {
		name string
		m    serverModel
	}{{"latency10ms", serverModel{latency: 10 * time.Millisecond}}, {"php", serverModel{php: &php}}}
	sizes := []int{100, 250, 500, 1000, 2000, 5000}
	concs := []int{1, 2, 4, 8, 16}
	for _, model := range models {
		for _, subs := range []int{5_000, 20_000, 100_000} {
			lists := readLists(subs)
			var table strings.Builder
			fmt.Fprintf(&table, "%s, %d subscribers (ms; rows: page size, columns: concurrency %v)\n", model.name, subs, concs)
			best := time.Duration(1 << 62)
			bestAt := ""
			for _, size := range sizes {
				fmt.Fprintf(&table, "%6d", size)
				for _, conc := range concs {
					d := simulateRead(lists, size, conc, model.m)
					fmt.Fprintf(&table, " %7.0f", float64(d.Microseconds())/1000)
					if d < best {
						best, bestAt = d, fmt.Sprintf("page %d, concurrency %d", size, conc)
					}
				}
				table.WriteString("\n")
			}
			def := simulateRead(lists, cachetv1.DefaultPageSize, cachetv1.DefaultReadConcurrency, model.m)
			t.Logf("%sdefaults (page %d, concurrency %d): %v; best %v at %s (x%.2f)", table.String(),
				cachetv1.DefaultPageSize, cachetv1.DefaultReadConcurrency, def, best, bestAt, float64(def)/float64(best))
			if model.m.php != nil && float64(def) > 1.5*float64(best) {
				t.Errorf("%s, %d subscribers: the defaults read in %v, more than 1.5× the best %v (%s)", model.name, subs, def, best, bestAt)
			}
		}
	}
}

// The simulation itself: one list of three pages, two workers, requests
// of 10 ms: the first page alone, then two at once: 20 ms.
func TestSimulateReadSchedule(t *testing.T) {
	m := cachettest.PHPModel{PerRequest: 10 * time.Millisecond, Workers: 2}
	if got := simulateRead([]listLoad{{objects: 3}}, 1, 4, serverModel{php: &m}); got != 20*time.Millisecond {
		t.Errorf("got %v, want 20ms", got)
	}
	// One worker: the three pages one after another.
	m.Workers = 1
	if got := simulateRead([]listLoad{{objects: 3}}, 1, 4, serverModel{php: &m}); got != 30*time.Millisecond {
		t.Errorf("got %v, want 30ms", got)
	}
	// Latency only: first page, then the other two at once.
	if got := simulateRead([]listLoad{{objects: 3}}, 1, 4, serverModel{latency: 10 * time.Millisecond}); got != 20*time.Millisecond {
		t.Errorf("got %v, want 20ms", got)
	}
}

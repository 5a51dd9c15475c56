package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
)

// gate orders the requests around a deterministic fault at a chosen
// request: the first write that matches trigger is held until every other
// slot of the apply holds a write too (so the scheduler has as many
// operations in flight as it may), then it goes on to the emulator, whose
// fault hook (AddFault) fails it, or the apply is cancelled; the held
// writes are released only once the apply has recorded the failure. Every
// write that reaches the server after that moment is logged: the scheduler
// must not have admitted it.
type gate struct {
	emu     *cachettest.Emulator
	trigger func(*http.Request) bool
	hold    int            // other writes to wait for before failing
	cancel  func()         // set: interrupt instead of failing
	subs    map[int]string // subscriber id -> e-mail, to tell re-creates

	mu        sync.Mutex
	fired     bool
	held      int
	allHeld   chan struct{}
	recorded  chan struct{} // closed once the failure (or interrupt) is recorded
	deletedAt map[string]bool
	late      []string // writes that arrived after recorded
}

func newGate(emu *cachettest.Emulator, trigger func(*http.Request) bool, hold int) *gate {
	g := &gate{emu: emu, trigger: trigger, hold: hold, allHeld: make(chan struct{}), recorded: make(chan struct{}),
		deletedAt: map[string]bool{}, subs: map[int]string{}}
	for _, s := range emu.Subscribers() {
		g.subs[s.ID] = strings.ToLower(s.Email)
	}
	if hold == 0 {
		close(g.allHeld)
	}
	return g
}

func (g *gate) record() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.recorded:
	default:
		close(g.recorded)
	}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		g.emu.ServeHTTP(w, r)
		return
	}
	g.mu.Lock()
	select {
	case <-g.recorded:
		what := r.Method + " " + r.URL.Path
		// The second half of a replace admitted before the failure: its
		// subscriber was deleted before, and must be created again.
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/subscribers") {
			email := postedEmail(r)
			if g.deletedAt[email] {
				g.mu.Unlock()
				g.emu.ServeHTTP(w, r)
				return
			}
			what += " " + email
		}
		if r.Method == http.MethodDelete || r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/subscribers") {
			g.late = append(g.late, what)
		}
		g.mu.Unlock()
		g.emu.ServeHTTP(w, r)
		return
	default:
	}
	if r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/subscribers/") {
		id, _ := strconv.Atoi(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
		g.deletedAt[g.subs[id]] = true
	}
	if !g.fired && g.trigger(r) {
		g.fired = true
		g.mu.Unlock()
		<-g.allHeld // every other slot now holds a write in the server
		if g.cancel != nil {
			g.cancel()
			g.record()
		}
		g.emu.ServeHTTP(w, r) // the first matching request the emulator sees: its fault fires
		return
	}
	if g.fired || g.trigger(r) {
		g.held++
		if g.held == g.hold {
			close(g.allHeld)
		}
		g.mu.Unlock()
		<-g.recorded // in flight when the failure lands
		g.emu.ServeHTTP(w, r)
		return
	}
	g.mu.Unlock()
	g.emu.ServeHTTP(w, r)
}

// postedEmail reads the e-mail of a subscriber create and leaves the body
// for the emulator.
func postedEmail(r *http.Request) string {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var v struct {
		Email string `json:"email"`
	}
	json.Unmarshal(body, &v)
	return strings.ToLower(v.Email)
}

// recordOnFailure closes the gate when the apply prints a failed operation.
type recordOnFailure struct{ g *gate }

func (p recordOnFailure) Write(b []byte) (int, error) {
	if strings.Contains(string(b), ": failed: ") {
		p.g.record()
	}
	return len(b), nil
}

// TestNothingDestructiveLeavesAfterAFailureOrInterrupt: with a fault at a
// chosen request (a failed answer, or an interrupt, while every slot holds
// a call), no DELETE and no re-create POST reaches the server afterwards,
// at every parallelism; calls that were in flight finish.
func TestNothingDestructiveLeavesAfterAFailureOrInterrupt(t *testing.T) {
	isSubscriberDelete := func(r *http.Request) bool {
		return r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/subscribers/")
	}
	isComponentCreate := func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/components")
	}
	for _, fault := range []string{"fail a delete", "fail a create", "interrupt at a delete"} {
		for _, par := range []int{1, 2, 4, 16, 64} {
			t.Run(fmt.Sprintf("%s/parallelism %d", fault, par), func(t *testing.T) {
				emu := cachettest.New()
				a := emu.SeedComponent(cachet.Component{Name: "A", Enabled: true})
				emu.SeedComponent(cachet.Component{Name: "B", Enabled: true})
				n := par + 2 // more operations than slots, in every step that matters
				var y strings.Builder
				y.WriteString("components:\n  - name: A\n  - name: B\n")
				for i := 0; i < n; i++ {
					emu.SeedComponent(cachet.Component{Name: fmt.Sprintf("stray %d", i), Enabled: true})
					emu.SeedGroup(cachet.ComponentGroup{Name: fmt.Sprintf("stray group %d", i), Visible: cachet.GroupPublic})
					emu.SeedSubscriber(fmt.Sprintf("gone%d@example.com", i))
					fmt.Fprintf(&y, "  - name: new %d\n", i)
				}
				y.WriteString("subscribers:\n")
				for i := 0; i < n; i++ {
					emu.SeedSubscriber(fmt.Sprintf("r%d@example.com", i), a.ID)
					fmt.Fprintf(&y, "  - email: r%d@example.com\n    components: [A, B]\n", i)
				}
				y.WriteString("prune: {groups: true, components: true, subscribers: true}\n")

				trigger, hold := isSubscriberDelete, min(par, 2*n)-1
				injected := cachettest.Fault{Method: http.MethodDelete, Path: "/subscribers/*", Status: http.StatusUnprocessableEntity}
				if fault == "fail a create" {
					trigger, hold = isComponentCreate, min(par, n)-1
					injected = cachettest.Fault{Method: http.MethodPost, Path: "/components", Status: http.StatusUnprocessableEntity}
				}
				if !strings.HasPrefix(fault, "interrupt") {
					emu.AddFault(injected) // the first match the emulator sees fails
				}
				g := newGate(emu, trigger, hold)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if strings.HasPrefix(fault, "interrupt") {
					g.cancel = cancel
				}
				ts := httptest.NewServer(g)
				defer ts.Close()
				c := fastClient(t, ts.URL+"/api/v1", emu.Token())
				live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				p, err := plan.Compute(parse(t, y.String()), live, plan.Policy{})
				if err != nil {
					t.Fatal(err)
				}
				res := apply.Run(ctx, cachetv1.New(c, cachetv1.ReadOptions{}), p, apply.Options{Parallelism: par, Progress: recordOnFailure{g}})
				if len(g.late) > 0 {
					t.Fatalf("%d destructive calls left after the fault was recorded: %v", len(g.late), g.late)
				}
				if !g.fired {
					t.Fatal("the fault was never injected")
				}
				if res.NotAttempted == 0 {
					t.Fatalf("result %+v: nothing was stopped", res)
				}
				if g.cancel == nil && res.Failed != 1 {
					t.Fatalf("result %+v, want exactly the injected failure", res)
				}
				// Nothing in flight was lost: each replaced subscriber exists.
				have := map[string]bool{}
				for _, s := range emu.Subscribers() {
					have[strings.ToLower(s.Email)] = true
				}
				for i := 0; i < n; i++ {
					if e := fmt.Sprintf("r%d@example.com", i); !have[e] {
						t.Errorf("%s was deleted and not created again", e)
					}
				}
			})
		}
	}
}

// TestStopsAfterConsecutiveServerFailures: when the server goes down in the
// middle of an apply, apply stops starting operations after
// Options.StopAfter consecutive failures that say so, and the summary says
// why and how many were not attempted.
func TestStopsAfterConsecutiveServerFailures(t *testing.T) {
	for _, down := range []string{"5xx", "timeouts"} {
		t.Run(down, func(t *testing.T) {
			emu := cachettest.New()
			var y strings.Builder
			y.WriteString("components:\n")
			for i := 0; i < 40; i++ {
				fmt.Fprintf(&y, "  - name: C%d\n", i)
			}
			release := make(chan struct{})
			var mu sync.Mutex
			writes := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				isDown := r.Method != http.MethodGet || writes > 0
				if r.Method != http.MethodGet {
					writes++
				}
				mu.Unlock()
				switch {
				case !isDown:
					emu.ServeHTTP(w, r)
				case down == "5xx":
					w.WriteHeader(http.StatusServiceUnavailable)
				default:
					<-release // never answers before the client gives up
				}
			}))
			defer ts.Close()
			defer close(release)
			c, err := cachet.New(ts.URL+"/api/v1", emu.Token(), cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1}),
				cachet.WithTimeout(map[string]time.Duration{"5xx": 5 * time.Second, "timeouts": 500 * time.Millisecond}[down])) // generous for the healthy reads of a loaded machine
			if err != nil {
				t.Fatal(err)
			}
			// The page is read by a patient client; only the apply's calls time out.
			live, err := cachetv1.ReadLive(context.Background(), fastClient(t, ts.URL+"/api/v1", emu.Token()), cachetv1.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p, err := plan.Compute(parse(t, y.String()), live, plan.Policy{})
			if err != nil {
				t.Fatal(err)
			}
			res := apply.Run(context.Background(), cachetv1.New(c, cachetv1.ReadOptions{}), p, apply.Options{Parallelism: 1})
			kind := map[string]string{"5xx": "server errors (5xx)", "timeouts": "timeouts"}[down]
			if res.Failed != 5 || res.NotAttempted != 35 || res.Stopped != "stopped after 5 consecutive "+kind {
				t.Fatalf("result %+v", res)
			}
			if want := "Apply stopped after 5 consecutive " + kind + " (the server looks down); 35 not attempted."; !strings.Contains(res.Summary(), want) {
				t.Fatalf("summary %q, want it to contain %q", res.Summary(), want)
			}
			mu.Lock()
			defer mu.Unlock()
			if writes != 5 {
				t.Fatalf("%d writes reached the server, want 5", writes)
			}
		})
	}
}

// TestConsecutiveCountResetsOnSuccess: failures that a success interrupts
// do not add up to a stop, and answers of a working server (4xx) never
// count.
func TestConsecutiveCountResetsOnSuccess(t *testing.T) {
	emu := cachettest.New()
	var y strings.Builder
	y.WriteString("components:\n")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&y, "  - name: C%d\n", i)
	}
	var mu sync.Mutex
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			n++
			k := n
			mu.Unlock()
			switch {
			case k%4 == 0: // every fourth create succeeds
			case k > 8:
				w.WriteHeader(http.StatusUnprocessableEntity)
				return
			default:
				w.WriteHeader(http.StatusBadGateway)
				return
			}
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c, err := cachet.New(ts.URL+"/api/v1", emu.Token(), cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := planAndApply(context.Background(), t, c, parse(t, y.String()), apply.Options{Parallelism: 1, StopAfter: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "" || res.NotAttempted != 0 {
		t.Fatalf("result %+v: stopped although no 4 server failures were consecutive", res)
	}
}

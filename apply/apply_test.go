package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

const pageYAML = `
groups:
  - name: Customer facing
    components:
      - name: API
        description: Public REST API
        tags: [production]
      - name: Website
        enabled: false
  - name: Internal
    visible: false
    components:
      - name: CI
components:
  - name: Status page
subscribers:
  - email: a@example.com
    components: [API]
  - email: b@example.com
prune: {groups: true, components: true}
`

func fastClient(t *testing.T, url, token string) *cachet.Client {
	t.Helper()
	c, err := cachet.New(url, token, cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
		cachet.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func parse(t *testing.T, y string) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("page.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// planAndApply reads, plans and applies once; it reports whether the plan
// was empty.
func planAndApply(ctx context.Context, t *testing.T, c *cachet.Client, s *spec.Spec, o apply.Options) (empty bool, res apply.Result, err error) {
	live, err := cachetv1.ReadLive(ctx, c, cachetv1.ReadOptions{PageSize: 3})
	if err != nil {
		return false, res, err
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		return false, res, err
	}
	if p.Empty() {
		return true, res, nil
	}
	return false, apply.Run(ctx, cachetv1.New(c, cachetv1.ReadOptions{}), p, o), nil
}

func TestApplyCreatesInDependencyOrder(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	c := fastClient(t, srv.URL, srv.Token())
	var progress, journal bytes.Buffer
	empty, res, err := planAndApply(context.Background(), t, c, parse(t, pageYAML), apply.Options{Progress: &progress, Journal: &journal})
	if err != nil || empty {
		t.Fatalf("empty=%v err=%v", empty, err)
	}
	if res.Applied != 8 || res.Failed != 0 || res.NotAttempted != 0 {
		t.Fatalf("result %+v\n%s", res, progress.String())
	}
	// Components landed in the groups created in the same run.
	groups := map[int]string{}
	for _, g := range srv.Groups() {
		groups[g.ID] = g.Name
	}
	compIDs := map[string]int{}
	for _, comp := range srv.Components() {
		compIDs[comp.Name] = comp.ID
		want := map[string]string{"API": "Customer facing", "Website": "Customer facing", "CI": "Internal", "Status page": ""}[comp.Name]
		if groups[comp.GroupID] != want {
			t.Errorf("%s is in group %q, want %q", comp.Name, groups[comp.GroupID], want)
		}
	}
	for _, s := range srv.Subscribers() {
		if s.Email == "a@example.com" && (len(s.Subscriptions) != 1 || s.Subscriptions[0].ComponentID != compIDs["API"]) {
			t.Errorf("a@example.com subscriptions = %+v, want only API (%d)", s.Subscriptions, compIDs["API"])
		}
	}
	// One journal line per operation, each a JSON object.
	lines := strings.Split(strings.TrimSpace(journal.String()), "\n")
	if len(lines) != 8 {
		t.Fatalf("journal has %d lines:\n%s", len(lines), journal.String())
	}
	for _, l := range lines {
		var e apply.JournalEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.Result != "applied" || e.ID == 0 || e.Kind == "" {
			t.Errorf("journal line %q: %+v %v", l, e, err)
		}
	}
	if !strings.Contains(progress.String(), `+ component "API": created (id `) {
		t.Errorf("progress:\n%s", progress.String())
	}
}

// faultCounter counts the failures a faulty emulator answered.
type faultCounter struct {
	next     http.Handler
	injected atomic.Int64
}

func (f *faultCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &countingWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil { // a dropped connection
			f.injected.Add(1)
			panic(p)
		}
	}()
	f.next.ServeHTTP(rec, r)
	if rec.status == 0 && !rec.wrote || rec.status == 429 || rec.status >= 500 {
		f.injected.Add(1)
	}
}

// countingWriter records the status; a dropped connection writes nothing.
type countingWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (c *countingWriter) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(b []byte) (int, error) {
	c.wrote = true
	if c.status == 0 {
		c.status = 200
	}
	return c.ResponseWriter.Write(b)
}

func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// checkPage asserts the emulator holds exactly the page of pageYAML plus
// the undeclared subscriber, with every name and e-mail once.
func checkPage(t *testing.T, seed int64, emu *cachettest.Emulator) {
	t.Helper()
	if dup, lost := pageMatches(t, seed, emu, pageYAML, []string{"keep@example.com"}); dup+lost > 0 {
		t.Fatalf("seed %d: %d duplicates, %d lost", seed, dup, lost)
	}
}

// pageMatches compares the emulator's page with the file: it counts
// objects that exist more than once (duplicates) and declared or kept
// objects that are missing (lost), reports each, and checks that a
// fault-free plan has nothing left to do.
func pageMatches(t *testing.T, seed int64, emu *cachettest.Emulator, yaml string, keptEmails []string) (duplicates, lost int) {
	t.Helper()
	s := parse(t, yaml)
	want := map[string]bool{}
	for _, g := range s.Groups {
		want["group "+g.Name] = true
	}
	for _, c := range s.AllComponents() {
		want["component "+c.Name] = true
	}
	for _, sub := range s.Subscribers {
		want["subscriber "+strings.ToLower(sub.Email)] = true
	}
	for _, e := range keptEmails {
		want["subscriber "+e] = true
	}
	count := map[string]int{}
	for _, g := range emu.Groups() {
		count["group "+g.Name]++
	}
	for _, c := range emu.Components() {
		count["component "+c.Name]++
	}
	for _, sub := range emu.Subscribers() {
		count["subscriber "+strings.ToLower(sub.Email)]++
	}
	for k, n := range count {
		switch {
		case !want[k]:
			t.Errorf("seed %d: %s should not exist (%d)", seed, k, n)
		case n > 1:
			duplicates += n - 1
			t.Errorf("seed %d: %s exists %d times", seed, k, n)
		}
	}
	for k := range want {
		if count[k] == 0 {
			lost++
			t.Errorf("seed %d: %s is missing", seed, k)
		}
	}
	// And a fault-free plan agrees that nothing is left to do.
	emu.SetFaults(0)
	srv := httptest.NewServer(emu)
	defer srv.Close()
	c := fastClient(t, srv.URL+"/api/v1", emu.Token())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil || !p.Empty() {
		t.Fatalf("seed %d: final plan not empty (%v): %+v", seed, err, p.Ops)
	}
	return duplicates, lost
}

// dropAfter serves a request through the emulator and then drops the
// connection instead of answering, for requests that match.
func dropAfter(emu *cachettest.Emulator, match func(*http.Request) bool, times int) http.Handler {
	var mu sync.Mutex
	left := times
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hit := left > 0 && match(r)
		if hit {
			left--
		}
		mu.Unlock()
		if !hit {
			emu.ServeHTTP(w, r)
			return
		}
		emu.ServeHTTP(httptest.NewRecorder(), r) // the server acts...
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close() // ...but the answer never arrives
		}
	})
}

func TestAmbiguousCreatesNeverDuplicate(t *testing.T) {
	emu := cachettest.New()
	// The first POST of each body is applied, but its answer is lost.
	var mu sync.Mutex
	seen := map[string]bool{}
	firstPost := func(r *http.Request) bool {
		if r.Method != http.MethodPost {
			return false
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		mu.Lock()
		defer mu.Unlock()
		first := !seen[string(body)]
		seen[string(body)] = true
		return first
	}
	ts := httptest.NewServer(dropAfter(emu, firstPost, 100))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, pageYAML)
	// Apply must find each object by its natural key instead of creating
	// it again.
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 {
		t.Fatalf("result %+v: %v", res, res.Err())
	}
	checkPage(t, 0, emuWithKeep(emu))
}

// emuWithKeep adds the subscriber checkPage expects to exist undeclared.
func emuWithKeep(e *cachettest.Emulator) *cachettest.Emulator {
	e.SeedSubscriber("keep@example.com")
	return e
}

func TestDeleteAnswered404OnRetryIsDone(t *testing.T) {
	emu := cachettest.New()
	stray := emu.SeedComponent(cachet.Component{Name: "Stray", Enabled: true})
	isDelete := func(r *http.Request) bool { return r.Method == http.MethodDelete }
	ts := httptest.NewServer(dropAfter(emu, isDelete, 1))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	_, res, err := planAndApply(context.Background(), t, c, parse(t, "prune: {components: true}\n"), apply.Options{})
	if err != nil || res.Applied != 1 || res.Failed != 0 {
		t.Fatalf("res %+v err %v: %v", res, err, res.Err())
	}
	if len(emu.Components()) != 0 {
		t.Fatalf("component %d still exists", stray.ID)
	}
}

func TestInterruptStopsNewCallsAndReRunConverges(t *testing.T) {
	emu := cachettest.New(cachettest.WithLatency(20*time.Millisecond, 0))
	ts := httptest.NewServer(emu)
	defer ts.Close()
	var y strings.Builder
	y.WriteString("components:\n")
	for i := 0; i < 12; i++ {
		y.WriteString("  - name: C" + string(rune('a'+i)) + "\n")
	}
	s := parse(t, y.String())
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	ctx, cancel := context.WithCancel(context.Background())
	progress := &cancelAfterFirstLine{cancel: cancel}
	_, res, err := planAndApply(ctx, t, c, s, apply.Options{Parallelism: 2, Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Applied < 1 || res.NotAttempted == 0 || res.Failed != 0 {
		t.Fatalf("result %+v, want interrupted with in-flight calls finished and the rest not attempted", res)
	}
	if got := len(emu.Components()); got != res.Applied {
		t.Fatalf("%d components exist but %d applied: an in-flight call was cut off or counted wrong", got, res.Applied)
	}
	empty, res, err := planAndApply(context.Background(), t, c, s, apply.Options{})
	if err != nil || empty || res.Failed != 0 {
		t.Fatalf("re-run: %+v %v", res, err)
	}
	if len(emu.Components()) != 12 {
		t.Fatalf("%d components after the re-run", len(emu.Components()))
	}
}

type cancelAfterFirstLine struct {
	mu     sync.Mutex
	cancel func()
	buf    bytes.Buffer
}

func (c *cancelAfterFirstLine) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cancel()
	return c.buf.Write(b)
}

// TestNoDeleteAfterAFailure: once a call failed, no later delete or
// re-create runs, subscribers included.
func TestNoDeleteAfterAFailure(t *testing.T) {
	emu := cachettest.New()
	emu.SeedSubscriber("gone@example.com")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/components") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"errors":[{"id":"x","status":400,"title":"Bad Request","detail":"The request cannot be fulfilled due to bad syntax."}]}`))
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, "components:\n  - name: New\nprune: {subscribers: true}\n")
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.NotAttempted != 1 || res.Applied != 0 {
		t.Fatalf("result %+v, want the create failed and the subscriber delete not attempted", res)
	}
	if len(emu.Subscribers()) != 1 {
		t.Fatal("a subscriber was deleted after a failure")
	}
}

// failing answers 400 to requests that match and serves the rest.
func failing(emu *cachettest.Emulator, match func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"errors":[{"id":"x","status":400,"title":"Bad Request","detail":"The request cannot be fulfilled due to bad syntax."}]}`))
			return
		}
		emu.ServeHTTP(w, r)
	})
}

// TestLookupNeverAdoptsAnObjectThatWasThere: after a create with an unknown
// outcome, a live object that already had the name (here a group whose
// rename away from it failed) is not taken for the new one.
func TestLookupNeverAdoptsAnObjectThatWasThere(t *testing.T) {
	emu := cachettest.New()
	old := emu.SeedGroup(cachet.ComponentGroup{Name: "G1", Order: 1, Visible: cachet.GroupPublic})
	var dropped atomic.Bool
	renameFails := failing(emu, func(r *http.Request) bool { return r.Method == http.MethodPut })
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/components/groups") && dropped.CompareAndSwap(false, true) {
			conn, _, _ := http.NewResponseController(w).Hijack() // lost before the server acted
			conn.Close()
			return
		}
		renameFails.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, "groups:\n  - name: G2\n    id: 1\n  - name: G1\n    components:\n      - name: A\n")
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 { // the rename
		t.Fatalf("result %+v: %v", res, res.Err())
	}
	groups := emu.Groups()
	if len(groups) != 2 {
		t.Fatalf("groups = %+v, want the old one and one new G1", groups)
	}
	comps := emu.Components()
	if len(comps) != 1 || comps[0].GroupID == old.ID {
		t.Fatalf("component A landed in the group that was already there: %+v", comps)
	}
}

// TestDeletesWaitForTheRestOfTheirStep: a subscriber create failing in the
// same step stops a subscriber prune, however the calls interleave.
func TestDeletesWaitForTheRestOfTheirStep(t *testing.T) {
	emu := cachettest.New()
	emu.SeedSubscriber("stray@example.com")
	ts := httptest.NewServer(failing(emu, func(r *http.Request) bool { return r.Method == http.MethodPost }))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, "subscribers:\n  - email: new@example.com\nprune: {subscribers: true}\n")
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{Parallelism: 8})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.NotAttempted != 1 || len(emu.Subscribers()) != 1 {
		t.Fatalf("result %+v, subscribers %+v", res, emu.Subscribers())
	}
}

func TestReplaceThatCannotRecreateSaysSo(t *testing.T) {
	emu := cachettest.New()
	a := emu.SeedComponent(cachet.Component{Name: "A", Enabled: true})
	emu.SeedComponent(cachet.Component{Name: "B", Enabled: true})
	emu.SeedSubscriber("x@example.com", a.ID)
	ts := httptest.NewServer(failing(emu, func(r *http.Request) bool { return r.Method == http.MethodPost }))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, "components:\n  - name: A\n  - name: B\nsubscribers:\n  - email: x@example.com\n    components: [A, B]\n")
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || !strings.Contains(res.Err().Error(), "the subscriber was deleted, but creating it again failed") {
		t.Fatalf("result %+v: %v", res, res.Err())
	}
}

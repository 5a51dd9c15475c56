package cli_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// twoRuns serves one emulator to two applies, each through its own
// address, so that a test can order their requests: hook sees every
// request of run "A" or "B" before the emulator does and may hold it.
func twoRuns(emu *cachettest.Emulator, hook func(run string, r *http.Request) (after func())) (a, b *httptest.Server) {
	serve := func(run string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			done := hook(run, r)
			emu.ServeHTTP(w, r)
			if done != nil {
				done()
			}
		}))
	}
	return serve("A"), serve("B")
}

func isComponentPost(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/api/v1/components"
}

func isComponentList(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/api/v1/components"
}

// TestConcurrentAppliesRacingCreateNoDuplicate: two applies of a file that
// adds "Webhooks" both pass the check before their create (each POST is
// held until the other run's POST has arrived), so both create it. The run
// whose copy is newer removes it and exits non-zero saying so; one
// "Webhooks" survives.
func TestConcurrentAppliesRacingCreateNoDuplicate(t *testing.T) {
	emu := cachettest.New()
	bArrived, aCreated := make(chan struct{}), make(chan struct{})
	srvA, srvB := twoRuns(emu, func(run string, r *http.Request) func() {
		if !isComponentPost(r) {
			return nil
		}
		if run == "A" {
			<-bArrived // B has passed its check too
			return func() { close(aCreated) }
		}
		close(bArrived)
		<-aCreated // A's copy lands first, so it is the older one
		return nil
	})
	defer srvA.Close()
	defer srvB.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: Webhooks\n"))
	a, b := applyAtOnce(t, srvA, srvB, emu.Token(), file)
	if a.code != 0 {
		t.Fatalf("the run whose copy was first: exit %d\n%s%s", a.code, a.stdout, a.stderr)
	}
	want := `component "Webhooks" was also created by another apply (id 1, first); this run removed its own copy (id 2)`
	if b.code != cli.ExitPartial || !strings.Contains(b.stderr, "another apply was changing this page at the same time") || !strings.Contains(b.stderr, want) {
		t.Fatalf("the losing run: exit %d, want %d and %q\n%s%s", b.code, cli.ExitPartial, want, b.stdout, b.stderr)
	}
	if comps := emu.Components(); len(comps) != 1 || comps[0].ID != 1 {
		t.Fatalf("components after both runs: %+v, want only Webhooks id 1", comps)
	}
}

// TestConcurrentApplyStopsBeforeCreatingWhatAnotherCreated: a second apply
// planned before the first one created "Webhooks", and reaches its step
// after: the check before the step finds the new namesake and stops before
// any write, exiting non-zero with what happened.
func TestConcurrentApplyStopsBeforeCreatingWhatAnotherCreated(t *testing.T) {
	emu := cachettest.New()
	aCreated, bRead := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	bLists, aPosts := 0, 0
	srvA, srvB := twoRuns(emu, func(run string, r *http.Request) func() {
		switch {
		case run == "A" && isComponentPost(r):
			<-bRead // B planned before A created anything
			return func() {
				mu.Lock()
				defer mu.Unlock()
				if aPosts++; aPosts == 2 {
					close(aCreated) // both of A's creates landed
				}
			}
		case run == "B" && isComponentList(r):
			mu.Lock()
			bLists++
			second := bLists == 2 // the first is the plan's read, the second the check before creating
			mu.Unlock()
			if second {
				<-aCreated
			} else if bLists == 1 {
				return func() { close(bRead) }
			}
		}
		return nil
	})
	defer srvA.Close()
	defer srvB.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: Webhooks\n  - name: Other\n"))
	a, b := applyAtOnce(t, srvA, srvB, emu.Token(), file)
	if a.code != 0 {
		t.Fatalf("first run: exit %d\n%s%s", a.code, a.stdout, a.stderr)
	}
	want := `was created since the plan was made, probably by another apply running on this page`
	if b.code != cli.ExitPartial || !strings.Contains(b.stderr, want) || !strings.Contains(b.stderr, `component "Webhooks" (id `) || !strings.Contains(b.stdout, "0 applied, 0 failed, 2 not attempted.") {
		t.Fatalf("second run: exit %d, want %d and %q\n%s%s", b.code, cli.ExitPartial, want, b.stdout, b.stderr)
	}
	if n := len(emu.Components()); n != 2 {
		t.Fatalf("%d components, want 2", n)
	}
}

// applyAtOnce runs `apply -f file --auto-approve` through srvA and srvB at
// the same time (their hooks order the two runs) and returns both results.
func applyAtOnce(t *testing.T, srvA, srvB *httptest.Server, token, file string) (a, b result) {
	t.Helper()
	results := make([]result, 2)
	var wg sync.WaitGroup
	for i, srv := range []*httptest.Server{srvA, srvB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = run(t, srv.URL+"/api/v1", token, "apply", "-f", file, "--auto-approve")
		}()
	}
	wg.Wait()
	return results[0], results[1]
}

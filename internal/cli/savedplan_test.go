package cli_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

func TestSavedPlanAppliesWithoutConfirmation(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Description: "old", Enabled: true})
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: new\n  - name: Web\n"))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: %d %s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("plan --out wrote %d times", n)
	}
	// Not a terminal and no --auto-approve: a saved plan still applies.
	r := run(t, srv.URL, srv.Token(), "apply", saved)
	if r.code != 0 || !strings.Contains(r.stdout, "2 applied, 0 failed, 0 not attempted.") {
		t.Fatalf("apply saved plan: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode"); r.code != 0 {
		t.Fatalf("plan after the saved apply: %d\n%s", r.code, r.stdout)
	}
}

func TestStaleSavedPlanIsRefusedBeforeAnyWrite(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	api := srv.SeedComponent(cachet.Component{Name: "API", Description: "old", Enabled: true})
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: new\n  - name: Web\n"))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: %d %s%s", r.code, r.stdout, r.stderr)
	}
	// Someone edits, by hand, a field the plan changes.
	c := newClient(t, srv)
	if _, err := c.Components.Update(context.Background(), api.ID, cachet.ComponentParams{Description: cachet.Ptr("edited")}); err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	r := run(t, srv.URL, srv.Token(), "apply", saved)
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "component 1 changed") {
		t.Fatalf("stale plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("a stale plan wrote %d times", n)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", "not-a-plan.json"); r.code != cli.ExitError {
		t.Fatalf("missing plan file: exit %d", r.code)
	}
}

// TestSavedPlanAppliesOnABusyPage: a public sign-up and a monitor changing
// the status of a component whose status the file does not manage, between
// plan and apply, do not make the saved plan stale.
func TestSavedPlanAppliesOnABusyPage(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	api := srv.SeedComponent(cachet.Component{Name: "API", Description: "old", Enabled: true, Status: cachet.StatusOperational})
	web := srv.SeedComponent(cachet.Component{Name: "Web", Enabled: true, Status: cachet.StatusOperational})
	srv.SeedSubscriber("early@example.com")
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: new\n  - name: Web\n"))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: %d %s%s", r.code, r.stdout, r.stderr)
	}
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "public@example.com", Verify: cachet.Ptr(true)}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{api.ID, web.ID} {
		if _, err := c.Components.Update(ctx, id, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage)}); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, srv.URL, srv.Token(), "apply", saved)
	if r.code != 0 || !strings.Contains(r.stdout, "1 applied, 0 failed, 0 not attempted.") {
		t.Fatalf("apply on a busy page: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestSavedPlanRefusesAnotherEndpointInOneLine: a plan made for one page is
// refused on another before anything is read or written, in one line.
func TestSavedPlanRefusesAnotherEndpointInOneLine(t *testing.T) {
	made, other := cachettest.NewServer(), cachettest.NewServer()
	defer made.Close()
	defer other.Close()
	for i := 0; i < 30; i++ {
		other.SeedComponent(cachet.Component{Name: fmt.Sprintf("C%d", i), Enabled: true})
	}
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n"))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, made.URL, made.Token(), "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: %d %s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, other.URL, other.Token(), "apply", saved)
	want := fmt.Sprintf("cachetsync: this plan was made for %s, not %s: plan again against this page\n", made.URL, other.URL)
	if r.code != cli.ExitRefused || r.stderr != want {
		t.Fatalf("exit %d, stderr %q, want %q", r.code, r.stderr, want)
	}
	if n := writes(other.Emulator) + other.Stats().Requests["GET"]; n != 0 {
		t.Fatalf("the other page got %d requests", n)
	}
}

// TestSavedPlanRefusesAPageUpgradedSince: a plan saved against Cachet 2.3
// carries 2.3's payloads; when the same endpoint answers as 2.4 by apply
// time (the page was upgraded), apply refuses before any write and says
// so, since 2.3 and 2.4 take different requests (see plan.Capabilities).
func TestSavedPlanRefusesAPageUpgradedSince(t *testing.T) {
	seed := func(e *cachettest.Emulator) {
		e.SeedComponent(cachet.Component{Name: "API", Description: "old", Enabled: true, Status: cachet.StatusOperational})
	}
	old := cachettest.New(cachettest.WithVersion("2.3"), cachettest.WithToken("upgrade-token-0123456"))
	upgraded := cachettest.New(cachettest.WithVersion("2.4"), cachettest.WithToken("upgrade-token-0123456"))
	seed(old)
	seed(upgraded)
	var current atomic.Pointer[cachettest.Emulator]
	current.Store(old)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: new\n"))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, srv.URL+"/api/v1", "upgrade-token-0123456", "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: %d %s%s", r.code, r.stdout, r.stderr)
	}
	current.Store(upgraded)
	r := run(t, srv.URL+"/api/v1", "upgrade-token-0123456", "apply", saved)
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "made for Cachet 2.3 and the page now runs Cachet 2.4") {
		t.Fatalf("apply after the upgrade: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(upgraded); n != 0 {
		t.Fatalf("%d writes after the refusal", n)
	}
}

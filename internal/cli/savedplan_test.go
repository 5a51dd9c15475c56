package cli_test

import (
	"context"
	"path/filepath"
	"strings"
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
	// Someone edits the page by hand after the plan was saved.
	c := newClient(t, srv)
	if _, err := c.Components.Update(context.Background(), api.ID, cachet.ComponentParams{Enabled: cachet.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	r := run(t, srv.URL, srv.Token(), "apply", saved)
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "component 1 (API) changed") {
		t.Fatalf("stale plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("a stale plan wrote %d times", n)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", "not-a-plan.json"); r.code != cli.ExitError {
		t.Fatalf("missing plan file: exit %d", r.code)
	}
}

package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestPruningAHiddenGroupIsRefusedUnlessAllowed: deleting a hidden group
// would publish its enabled components (Cachet ungroups them); plan and
// apply refuse it before any write, unless --allow-exposure is given or the
// file says where the components go.
func TestPruningAHiddenGroupIsRefusedUnlessAllowed(t *testing.T) {
	seed := func() *cachettest.Server {
		srv := cachettest.NewServer()
		g := srv.SeedGroup(cachet.ComponentGroup{Name: "Internal", Visible: cachet.GroupLoggedInOnly})
		srv.SeedComponent(cachet.Component{Name: "CI", GroupID: g.ID, Enabled: true})
		return srv
	}
	prune := writeFile(t, "s.yaml", []byte("prune: {groups: true}\n"))

	srv := seed()
	defer srv.Close()
	for _, cmd := range [][]string{{"plan", "-f", prune}, {"apply", "-f", prune, "--auto-approve"}} {
		r := run(t, srv.URL, srv.Token(), cmd...)
		want := `group "Internal" is hidden, and deleting it makes public its enabled components CI (Cachet ungroups them)`
		if r.code != cli.ExitRefused || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--allow-exposure") {
			t.Fatalf("%s: exit %d, want %d and %q\n%s%s", cmd[0], r.code, cli.ExitRefused, want, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "! warning: makes public what was hidden") {
			t.Errorf("%s does not show the exposure warning:\n%s", cmd[0], r.stdout)
		}
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("a refused apply wrote %d times", n)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", prune, "--auto-approve", "--allow-exposure"); r.code != 0 {
		t.Fatalf("--allow-exposure: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The file says where the component goes: no refusal.
	srv2 := seed()
	defer srv2.Close()
	declared := writeFile(t, "s.yaml", []byte("groups:\n  - name: Private\n    visible: false\n    components:\n      - name: CI\nprune: {groups: true}\n"))
	if r := run(t, srv2.URL, srv2.Token(), "apply", "-f", declared, "--auto-approve"); r.code != 0 {
		t.Fatalf("declared destination: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestReplacesCountAsDeletes: re-created subscribers count against
// --max-deletes (the summary counts them as deletes too).
func TestReplacesCountAsDeletes(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	a := srv.SeedComponent(cachet.Component{Name: "A", Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "B", Enabled: true})
	var y strings.Builder
	y.WriteString("components:\n  - name: A\n  - name: B\nsubscribers:\n")
	for i := 0; i < 11; i++ {
		srv.SeedSubscriber(fmt.Sprintf("s%d@example.com", i), a.ID)
		fmt.Fprintf(&y, "  - email: s%d@example.com\n    components: [A, B]\n", i)
	}
	file := writeFile(t, "s.yaml", []byte(y.String()))
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--max-delete-percent", "0")
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "deletes 11 objects (re-created subscribers included), more than --max-deletes 10") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestMaxDeletePercent: a plan deleting more than the given share of the
// page is refused even under --max-deletes, on pages of at least 10
// objects, and --allow-mass-delete allows it.
func TestMaxDeletePercent(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	var y strings.Builder
	y.WriteString("components:\n")
	for i := 0; i < 10; i++ {
		srv.SeedComponent(cachet.Component{Name: fmt.Sprintf("C%d", i), Enabled: true})
		if i >= 4 {
			fmt.Fprintf(&y, "  - name: C%d\n", i)
		}
	}
	y.WriteString("prune: {components: true}\n")
	file := writeFile(t, "s.yaml", []byte(y.String())) // deletes 4 of 10
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file)
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "deletes 4 of the page's 10 objects (40%), more than --max-delete-percent 30") {
		t.Fatalf("default 30%%: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--max-delete-percent", "50"); r.code != 0 {
		t.Fatalf("50%%: exit %d\n%s", r.code, r.stderr)
	}
	// The hint after --out names the flag the apply will need.
	saved := filepath.Join(t.TempDir(), "plan.json")
	r = run(t, srv.URL, srv.Token(), "plan", "-f", file, "--out", saved)
	if !strings.Contains(r.stderr, "Apply it with: cachetsync apply "+saved+" --allow-mass-delete") {
		t.Fatalf("hint does not name --allow-mass-delete:\n%s", r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", saved); r.code != cli.ExitRefused {
		t.Fatalf("saved plan without the flag: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", saved, "--allow-mass-delete"); r.code != 0 {
		t.Fatalf("saved plan with the flag: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestNewComponentsAreCreatedOperational: a component whose status the
// file does not declare is created operational (not Cachet's 0, unknown),
// the plan says so, and --default-status chooses another.
func TestNewComponentsAreCreatedOperational(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n  - name: Declared\n    status: major-outage\n"))
	r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve")
	if r.code != 0 || !strings.Contains(r.stdout, `status: "operational"`) || !strings.Contains(r.stdout, "created operational (--default-status)") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, c := range srv.Components() {
		want := map[string]cachet.ComponentStatus{"API": cachet.StatusOperational, "Declared": cachet.StatusMajorOutage}[c.Name]
		if c.Status != want {
			t.Errorf("%s created with status %v, want %v", c.Name, c.Status, want)
		}
	}
	srv2 := cachettest.NewServer()
	defer srv2.Close()
	if r := run(t, srv2.URL, srv2.Token(), "apply", "-f", file, "--auto-approve", "--default-status", "unknown"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, c := range srv2.Components() {
		if c.Name == "API" && c.Status != cachet.StatusUnknown {
			t.Errorf("--default-status unknown: created %v", c.Status)
		}
	}
}

// TestFilesWeWriteAreOwnerOnly: a saved plan and a journal written onto
// existing world-readable files end up readable by their owner only (they
// hold subscriber e-mails).
func TestFilesWeWriteAreOwnerOnly(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	saved, journal := filepath.Join(dir, "plan.json"), filepath.Join(dir, "journal.jsonl")
	for _, f := range []string{saved, journal} {
		if err := os.WriteFile(f, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n"))
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", saved, "--journal", journal); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{saved, journal} {
		if info, _ := os.Stat(f); info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(f), info.Mode().Perm())
		}
	}
}

package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/examples"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// result is what one in-process run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// run runs cachetsync with args against the endpoint, without a terminal.
func run(t *testing.T, endpoint, token string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	if endpoint != "" {
		args = append(args, "--endpoint", endpoint, "--token", token)
	}
	code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""),
		Getenv: func(string) string { return "" }, Context: context.Background()})
	return result{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writes(e *cachettest.Emulator) int {
	r := e.Stats().Requests
	return r["POST"] + r["PUT"] + r["DELETE"]
}

func newClient(t *testing.T, srv *cachettest.Server) *cachet.Client {
	t.Helper()
	c, err := cachet.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestApplyExampleConverges: an empty page, apply the example, then a plan
// says No changes and a second apply sends no write at all.
func TestApplyExampleConverges(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "status.yaml", examples.StatusYAML)

	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != cli.ExitChanges || !strings.Contains(r.stdout, "Plan: 10 to create, 0 to update, 0 to delete.") {
		t.Fatalf("first plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("plan sent %d writes", n)
	}

	r = run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve")
	if r.code != 0 || !strings.Contains(r.stdout, "10 applied, 0 failed, 0 not attempted.") {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	srv.ResetStats()
	r = run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve")
	if r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("second apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("second apply sent %d writes, want 0", n)
	}

	// The page holds what the file says.
	groups := map[string]cachet.ComponentGroup{}
	for _, g := range srv.Groups() {
		groups[g.Name] = g
	}
	if cf, in := groups["Customer facing"], groups["Internal"]; len(groups) != 2 || cf.Order != 1 || cf.Visible != cachet.GroupPublic ||
		in.Order != 2 || in.Visible != cachet.GroupLoggedInOnly || in.Collapsed != cachet.GroupCollapsedUnlessIncident {
		t.Fatalf("groups = %+v", groups)
	}
	comps := map[string]cachet.Component{}
	for _, c := range srv.Components() {
		comps[c.Name] = c
	}
	if api := comps["API"]; api.GroupID != groups["Customer facing"].ID || api.Order != 2 || !api.Tags.Has("eu-west") || api.Meta["owner"] != "platform" {
		t.Fatalf("API = %+v", api)
	}
	if sp := comps["Status page"]; sp.GroupID != 0 {
		t.Fatalf("Status page should be ungrouped: %+v", sp)
	}
	subs := srv.Subscribers()
	if len(subs) != 2 {
		t.Fatalf("subscribers = %+v", subs)
	}
}

// TestDriftIsFoundAndUndone makes drift through the raw API and checks that
// plan finds each piece and apply undoes it.
func TestDriftIsFoundAndUndone(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "status.yaml", examples.StatusYAML)
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: %d %s%s", r.code, r.stdout, r.stderr)
	}
	c := newClient(t, srv)
	ctx := context.Background()
	ids := map[string]int{}
	for _, comp := range srv.Components() {
		ids[comp.Name] = comp.ID
	}
	var internalID int
	for _, g := range srv.Groups() {
		if g.Name == "Internal" {
			internalID = g.ID
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Components.Update(ctx, ids["Website"], cachet.ComponentParams{Name: cachet.Ptr("Web site (old)")})
	must(err)
	_, err = c.Components.Update(ctx, ids["API"], cachet.ComponentParams{Enabled: cachet.Ptr(false)})
	must(err)
	_, err = c.Components.Update(ctx, ids["Checkout"], cachet.ComponentParams{GroupID: cachet.Ptr(0)})
	must(err)
	must(c.Groups.Delete(ctx, internalID)) // orphans CI runners and Admin dashboard

	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != cli.ExitChanges {
		t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Identity is the name: a component renamed in the dashboard is a stray
	// (pruned) and the declared one is created again; `previously` in the
	// file is how a rename keeps its id.
	for _, want := range []string{
		`+   component "Website"`,
		`-   component "Web site (old)" (id `,
		"enabled: false → true",
		`group: (ungrouped) → "Customer facing"`,
		`+   group "Internal"`,
		`group: (ungrouped) → "Internal"`,
		"Plan: 3 to create, 4 to update, 2 to delete.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: %d %s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode"); r.code != 0 {
		t.Fatalf("plan after undo: exit %d\n%s", r.code, r.stdout)
	}
}

func TestBadTokenIsAnErrorNotAGuestRead(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "status.yaml", examples.StatusYAML)
	r := run(t, srv.URL, "not-the-token", "plan", "-f", file)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "token") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "not-the-token") {
		t.Fatal("the token was printed")
	}
	if r.stdout != "" {
		t.Fatalf("a plan was printed from a guest read:\n%s", r.stdout)
	}
}

func TestPlanNeverWrites(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "Stray", Enabled: true})
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: New\nprune: {components: true}\n"))
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != cli.ExitChanges {
		t.Fatalf("exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("plan sent %d writes", n)
	}
	if r := run(t, "", "", "validate", "-f", file); r.code != 0 || !strings.Contains(r.stdout, "is valid") {
		t.Fatalf("validate: %d %s%s", r.code, r.stdout, r.stderr)
	}
}

func TestApplyRefusesWithoutApprovalOffTerminal(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: New\n"))
	r := run(t, srv.URL, srv.Token(), "apply", "-f", file)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "--auto-approve") {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("%d writes", n)
	}
}

func TestMassDeleteIsRefused(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	for i := 0; i < 3; i++ {
		srv.SeedComponent(cachet.Component{Name: "Old " + string(rune('A'+i)), Enabled: true})
	}
	file := writeFile(t, "s.yaml", []byte("prune: {components: true}\n"))
	r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve", "--max-deletes", "2")
	if r.code != cli.ExitRefused || !strings.Contains(r.stderr, "--max-deletes") {
		t.Fatalf("exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("%d writes after a refusal", n)
	}
	r = run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve", "--max-deletes", "2", "--allow-mass-delete")
	if r.code != 0 || len(srv.Components()) != 0 {
		t.Fatalf("exit %d %s%s", r.code, r.stdout, r.stderr)
	}
}

func TestSubscribersArePrunedOnlyWhenAsked(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedSubscriber("keep@example.com")
	file := writeFile(t, "s.yaml", []byte("prune: {groups: true, components: true}\n"))
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 || len(srv.Subscribers()) != 1 {
		t.Fatalf("exit %d %s; subscribers %d", r.code, r.stdout, len(srv.Subscribers()))
	}
	file = writeFile(t, "s.yaml", []byte("prune: {subscribers: true}\n"))
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 || len(srv.Subscribers()) != 0 {
		t.Fatalf("exit %d %s; subscribers %d", r.code, r.stdout, len(srv.Subscribers()))
	}
}

// TestPartialFailure: a failing call skips its dependents, the summary
// counts all three outcomes, the exit code is 4, and a re-run finishes.
func TestPartialFailure(t *testing.T) {
	emu := cachettest.New()
	var failGroups atomic.Bool
	failGroups.Store(true)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failGroups.Load() && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/components/groups") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"errors":[{"id":"x","status":400,"title":"Bad Request","detail":"The request cannot be fulfilled due to bad syntax."}]}`))
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	emu.SeedComponent(cachet.Component{Name: "Stray", Enabled: true})
	file := writeFile(t, "s.yaml", []byte(`
groups:
  - name: G
    components:
      - name: In G
components:
  - name: Alone
prune: {components: true}
`))
	endpoint := ts.URL + "/api/v1"
	r := run(t, endpoint, emu.Token(), "apply", "-f", file, "--auto-approve")
	if r.code != cli.ExitPartial || !strings.Contains(r.stdout, "1 applied, 1 failed, 2 not attempted.") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if len(emu.Components()) != 2 { // Stray kept, Alone created
		t.Fatalf("components = %+v", emu.Components())
	}
	failGroups.Store(false)
	r = run(t, endpoint, emu.Token(), "plan", "-f", file)
	if !strings.Contains(r.stdout, "Plan: 2 to create, 0 to update, 1 to delete.") {
		t.Fatalf("re-plan:\n%s%s", r.stdout, r.stderr)
	}
	if r := run(t, endpoint, emu.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("re-run: %d %s%s", r.code, r.stdout, r.stderr)
	}
}

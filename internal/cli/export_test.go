package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
	"github.com/cachetsync/cachetsync/spec"
)

// cliResult is one in-process run of the command line.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runEnv runs cachetsync with args and the given environment variables
// (nothing else of the real environment), without a terminal. The endpoint
// and token go in as flags, since kong reads CACHET_* from the process.
func runEnv(t *testing.T, srv *cachettest.Server, env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	if srv != nil {
		args = append(args, "--endpoint", srv.URL, "--token", srv.Token())
	}
	code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""),
		Getenv: func(k string) string { return env[k] }, Context: context.Background()})
	return cliResult{code, out.String(), errOut.String()}
}

func writeCount(e *cachettest.Emulator) int {
	r := e.Stats().Requests
	return r["POST"] + r["PUT"] + r["DELETE"]
}

// seedPage seeds a page with every kind of object the export writes.
func seedPage(e *cachettest.Emulator) {
	e.SeedGroup(cachet.ComponentGroup{ID: 1, Name: "Customer facing", Order: 1, Visible: cachet.GroupPublic})
	e.SeedGroup(cachet.ComponentGroup{ID: 2, Name: "Intern — Zürich", Order: 2, Visible: cachet.GroupLoggedInOnly, Collapsed: cachet.GroupCollapsedUnlessIncident})
	e.SeedComponent(cachet.Component{ID: 1, Name: "API", GroupID: 1, Order: 1, Enabled: true, Status: cachet.StatusMajorOutage,
		Description: "Public REST API\nall regions", Link: "https://api.example.com", Tags: cachet.Tags{"production": "Production"},
		Meta: cachet.Meta{"owner": "platform"}})
	e.SeedComponent(cachet.Component{ID: 2, Name: "Website", GroupID: 1, Order: 2, Enabled: false, Status: cachet.StatusOperational})
	e.SeedComponent(cachet.Component{ID: 3, Name: "CI", GroupID: 2, Order: 1, Enabled: true, Status: cachet.StatusOperational})
	e.SeedComponent(cachet.Component{ID: 4, Name: "Status page", Order: 1, Enabled: true, Status: cachet.StatusOperational})
	e.SeedSubscriber("oncall@example.com")
	e.SeedSubscriber("support@example.com", 1, 2)
}

// TestExportThenPlanHasNoChanges: export -o FILE, then plan -f FILE
// --detailed-exitcode exits 0, and neither command wrote anything.
func TestExportThenPlanHasNoChanges(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	file := filepath.Join(t.TempDir(), "cachet.yaml")

	r := runEnv(t, srv, nil, "export", "-o", file, "--subscribers")
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r.stdout != "" || !strings.Contains(r.stderr, "Exported 2 groups, 4 components and 2 subscribers to "+file) {
		t.Errorf("export output: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=") || !strings.Contains(string(data), "support@example.com") {
		t.Errorf("unexpected export:\n%s", data)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("a file with subscribers has mode %v (err %v), want 0600", info.Mode().Perm(), err)
	}

	r = runEnv(t, srv, nil, "plan", "-f", file, "--detailed-exitcode")
	if r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan of the export: exit %d\n%s%s\nexport:\n%s", r.code, r.stdout, r.stderr, data)
	}
	if n := writeCount(srv.Emulator); n != 0 {
		t.Errorf("export and plan sent %d writes: %v", n, srv.Stats().Requests)
	}
}

func TestExportToStdoutWithoutSubscribers(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	srv.ResetStats()

	r := runEnv(t, srv, nil, "export", "--no-subscribers")
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "@example.com") || !strings.Contains(r.stdout, "- name: API") {
		t.Errorf("unexpected export:\n%s", r.stdout)
	}
	file := filepath.Join(t.TempDir(), "cachet.yaml")
	if err := os.WriteFile(file, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	// Without subscribers in the file, the plan still has no changes (the
	// live subscribers are only noted: prune.subscribers is false).
	r = runEnv(t, srv, nil, "plan", "-f", file, "--detailed-exitcode")
	if r.code != 0 {
		t.Fatalf("plan of the export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writeCount(srv.Emulator); n != 0 {
		t.Errorf("%d writes", n)
	}
}

// TestExportFailureLeavesTheFile: a failed export (bad token) leaves an
// existing file as it was and no temporary file behind.
func TestExportFailureLeavesTheFile(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	dir := t.TempDir()
	file := filepath.Join(dir, "cachet.yaml")
	if err := os.WriteFile(file, []byte("old: content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := cli.Run([]string{"export", "-o", file, "--force", "--endpoint", srv.URL, "--token", "wrong"},
		&cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	if code != cli.ExitError {
		t.Fatalf("exit %d, want %d\n%s%s", code, cli.ExitError, out.String(), errOut.String())
	}
	if data, _ := os.ReadFile(file); string(data) != "old: content\n" {
		t.Errorf("the file was changed to %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the directory: %v", entries)
	}
}

// TestExportReplacesAFileAtomically: an existing file is never overwritten
// without --force; with it, the file is replaced whole, readable by its
// owner only.
func TestExportReplacesAFileAtomically(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	dir := t.TempDir()
	file := filepath.Join(dir, "cachet.yaml")
	if err := os.WriteFile(file, []byte(strings.Repeat("old content\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runEnv(t, srv, nil, "export", "-o", file, "--no-subscribers")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "exists; export never overwrites a file") {
		t.Fatalf("export onto an existing file: exit %d\n%s", r.code, r.stderr)
	}
	// The refusal names both ways forward for an existing -o file.
	if !strings.Contains(r.stderr, "--merge") || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("the refusal does not name --merge and --force:\n%s", r.stderr)
	}
	if data, _ := os.ReadFile(file); !strings.HasPrefix(string(data), "old content\n") {
		t.Fatalf("the file was changed without --force")
	}
	if n := srv.Stats().Requests["GET"]; n != 0 {
		t.Fatalf("export read the page (%d GETs) before refusing", n)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	r = runEnv(t, srv, nil, "export", "-o", file, "--no-subscribers", "--force")
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(file)
	if strings.Contains(string(data), "old content") || !strings.HasSuffix(string(data), "  subscribers: false\n") {
		t.Errorf("file not replaced:\n%s", data)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left in the directory: %v", entries)
	}
}

// TestExportMergeKeepsTheFile: export --merge adds what the page has and
// the file lacks, into the right group, and keeps every comment, earlier
// name, prune setting and value the file declares; a second merge changes
// nothing.
func TestExportMergeKeepsTheFile(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	curated := `# Our status page. Reviewed by the platform team.
groups:
  - name: Customer facing
    previously: [Public]
    components:
      - name: API
        description: Public REST API, all regions # we say it better than the page
components: [] # nothing ungrouped yet
subscribers:
  - email: oncall@example.com
prune:
  components: true # keep the page tidy
`
	file := filepath.Join(t.TempDir(), "status.yaml")
	if err := os.WriteFile(file, []byte(curated), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runEnv(t, srv, nil, "export", "-o", file, "--merge", "--subscribers")
	if r.code != 0 {
		t.Fatalf("export --merge: exit %d\n%s", r.code, r.stderr)
	}
	merged, _ := os.ReadFile(file)
	for _, keep := range []string{"# Our status page. Reviewed by the platform team.", "previously: [Public]",
		"description: Public REST API, all regions # we say it better than the page", "components: true # keep the page tidy", "components: # nothing ungrouped yet\n  - name: Status page"} {
		if !strings.Contains(string(merged), keep) {
			t.Errorf("the merge lost %q:\n%s", keep, merged)
		}
	}
	for _, want := range []string{`component "Website" (in group "Customer facing")`, `group "Intern — Zürich"`,
		`component "CI" (in the new group "Intern — Zürich")`, `component "Status page"`, "subscriber support@example.com"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.stderr)
		}
	}
	s, err := spec.Load(file)
	if err != nil {
		t.Fatalf("the merged file does not load: %v\n%s", err, merged)
	}
	if len(s.Groups) != 2 || len(s.Groups[0].Components) != 2 || s.Groups[0].Components[1].Name != "Website" ||
		len(s.Components) != 1 || len(s.Subscribers) != 2 || !s.Prune.Components {
		t.Fatalf("merged spec: %+v\n%s", s, merged)
	}
	// The plan shows only what the file asks for: the curated description.
	r = runEnv(t, srv, nil, "plan", "-f", file)
	if !strings.Contains(r.stdout, "Plan: 0 to create, 1 to update, 0 to delete.") {
		t.Fatalf("plan of the merged file:\n%s%s", r.stdout, r.stderr)
	}
	r = runEnv(t, srv, nil, "export", "-o", file, "--merge", "--subscribers")
	if again, _ := os.ReadFile(file); r.code != 0 || string(again) != string(merged) || !strings.Contains(r.stderr, "left unchanged") {
		t.Fatalf("a second merge: exit %d\n%s", r.code, r.stderr)
	}
}

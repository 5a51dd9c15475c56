package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestCountsOfOneAreSingular: the messages that count things say "1 group",
// "1 problem", "1 file", never "1 groups" or "1 problem(s)".
func TestCountsOfOneAreSingular(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "one.yaml")
	spec := "groups:\n  - name: G\n    components:\n      - name: A\nsubscribers:\n  - email: a@example.com\n"
	if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "", "validate", file); r.code != cli.ExitOK || !strings.Contains(r.stdout, "is valid: 1 group, 1 component, 1 subscriber.") {
		t.Fatalf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("components:\n  - name: A\n    colour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "", "validate", bad); r.code != cli.ExitError || !strings.Contains(r.stderr, "bad.yaml: 1 problem found;") {
		t.Fatalf("validate a bad file: exit %d\n%s", r.code, r.stderr)
	}

	messy := filepath.Join(dir, "messy.yaml")
	if err := os.WriteFile(messy, []byte("components:\n    - name: A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "", "fmt", "--check", messy); r.code != cli.ExitChanges || !strings.Contains(r.stderr, "1 file not in the canonical layout") {
		t.Fatalf("fmt --check: exit %d\n%s", r.code, r.stderr)
	}

	srv := cachettest.NewServer()
	defer srv.Close()
	if err := os.Remove(messy); err != nil {
		t.Fatal(err)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", "--auto-approve", file); r.code != cli.ExitOK {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(dir, "export.yaml")
	if r := run(t, srv.URL, srv.Token(), "export", "-o", out, "--subscribers"); r.code != cli.ExitOK || !strings.Contains(r.stderr, "Exported 1 group, 1 component and 1 subscriber to ") {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
}

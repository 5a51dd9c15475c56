//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestHostileFilesAreSkippedOrRefused: plan -f DIR says which entries it
// skipped (a symlink to /dev/zero, a FIFO); plan, apply and validate given
// a FIFO or a device refuse it at once instead of blocking or exhausting
// memory.
func TestHostileFilesAreSkippedOrRefused(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("components:\n  - name: A\n"), 0o600)
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml"))
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, srv.URL, srv.Token(), "plan", "-f", dir)
	if r.code != 0 || !strings.Contains(r.stderr, "Warning: skipped "+fifo+" (a FIFO): not a regular file") ||
		!strings.Contains(r.stderr, "zero.yaml (a symlink to a character device)") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"plan", "-f", fifo}, {"apply", fifo}, {"apply", "-f", filepath.Join(dir, "zero.yaml")}} {
		r := run(t, srv.URL, srv.Token(), args...)
		if r.code != cli.ExitError || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := run(t, "", "", "validate", fifo); r.code != cli.ExitError || !strings.Contains(r.stderr, "is a FIFO") {
		t.Errorf("validate FIFO: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

//go:build unix

package spec_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/cachetsync/cachetsync/internal/regfile"
	"github.com/cachetsync/cachetsync/spec"
)

// hostileDir makes a directory with a regular a.yaml, b.yaml a symlink to
// /dev/zero (out of memory when read) and c.yaml a FIFO (blocks forever
// when opened).
func hostileDir(t *testing.T, a string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(a), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "c.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOnlyRegularFilesAreRead: a directory's symlink to /dev/zero and FIFO
// are skipped and named; with prune on that is an error.
func TestOnlyRegularFilesAreRead(t *testing.T) {
	dir := hostileDir(t, "components:\n  - name: A\n")
	s, skipped, err := spec.LoadSkipping(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "b.yaml") + " (a symlink to a character device)", filepath.Join(dir, "c.yaml") + " (a FIFO)"}
	if !slices.Equal(skipped, want) || len(s.Components) != 1 {
		t.Fatalf("skipped %q, %d components; want %q and 1", skipped, len(s.Components), want)
	}

	dir = hostileDir(t, "components:\n  - name: A\nprune: {components: true}\n")
	if _, _, err := spec.LoadSkipping(dir); err == nil || !strings.Contains(err.Error(), "with prune on, what they declare would be deleted") {
		t.Fatalf("err = %v, want a refusal with prune on", err)
	}
}

// TestASingleFileMustBeRegularAndBounded: -f naming a FIFO or a device is
// refused without blocking or reading, and a file over the limit is
// refused with its size.
func TestASingleFileMustBeRegularAndBounded(t *testing.T) {
	dir := hostileDir(t, "")
	for name, want := range map[string]string{"b.yaml": "is a symlink to a character device", "c.yaml": "is a FIFO"} {
		_, err := spec.Load(filepath.Join(dir, name))
		if !errors.Is(err, regfile.ErrNotRegular) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(spec.MaxFileBytes + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := spec.Load(big); !errors.Is(err, regfile.ErrTooLarge) || !strings.Contains(err.Error(), "more than the 32 MiB this tool reads") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteErrorLeavesTheOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte("good plan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	diskFull := errors.New("no space left on device")
	err := Write(path, func(w io.Writer) error {
		w.Write([]byte(strings.Repeat("x", 100_000))) // more than the buffer: reaches the disk
		return diskFull
	})
	if !errors.Is(err, diskFull) || !strings.Contains(err.Error(), "left unchanged") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "good plan\n" {
		t.Fatalf("the old file was damaged: %.40q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("a temporary file was left behind: %v", entries)
	}
}

func TestWriteReplacesWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "status.yaml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new" || info.Mode().Perm() != 0o600 {
		t.Fatalf("content %q mode %v", b, info.Mode().Perm())
	}
}

func TestOpenAppendMakesTheFilePrivate(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "journal.jsonl")
	if err := os.WriteFile(existing, []byte("line 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{existing, filepath.Join(dir, "new.jsonl")} {
		f, err := OpenAppend(path)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("line 2\n")
		f.Close()
		info, _ := os.Stat(path)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(path), info.Mode().Perm())
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "line 1\nline 2\n" {
		t.Fatalf("appended journal = %q", b)
	}
}

func TestWriteRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("err = %v", err)
	}
}

// Package regfile reads the files the tool is given (YAML specs, saved
// plans, token files) safely: only regular files, never more than a limit.
// A FIFO, a device such as /dev/zero, a socket or a directory is refused
// with what it is, before any read that could block forever or never end.
package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// DefaultLimit is the largest file Read accepts by default: far above a
// real spec or plan (a page of 20,000 subscribers is a few MiB).
const DefaultLimit = 32 << 20

// ErrNotRegular is wrapped by the error for a path that is not a regular
// file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// Describe names what path is when it is not a regular file ("a FIFO", "a
// symlink to a character device"); it returns "" for a regular file or a
// symlink to one, and an error when path cannot be examined.
func Describe(path string) (string, error) {
	link, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	target := link
	prefix := ""
	if link.Mode()&fs.ModeSymlink != 0 {
		prefix = "a symlink to "
		if target, err = os.Stat(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "a symlink to nothing", nil
			}
			return "", err
		}
	}
	if target.Mode().IsRegular() {
		return "", nil
	}
	return prefix + kind(target.Mode()), nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// Read returns the content of the regular file at path, refusing anything
// else (after following symlinks) and any file longer than limit bytes
// (DefaultLimit when limit <= 0). The file is opened without blocking, so a
// FIFO is refused rather than waited on, and its type is checked on the
// opened file, so a swap after the check cannot slip a device in.
func Read(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		what := kind(info.Mode())
		if l, lerr := os.Lstat(path); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			what = "a symlink to " + what
		}
		return nil, fmt.Errorf("%s is %s: %w", path, what, ErrNotRegular)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the %s this tool reads: %w", path, info.Size(), size(limit), ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s grew past the %s this tool reads: %w", path, size(limit), ErrTooLarge)
	}
	return data, nil
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Package atomicfile writes files that are either wholly replaced or left
// as they were: the content goes to a temporary file in the same directory,
// is flushed to disk, and is renamed over the target only once complete.
// Every file it writes is readable by its owner only (mode 0600), whether or
// not it existed: saved plans, exports and journals hold subscriber e-mails.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission of every file written here.
const Mode os.FileMode = 0o600

// Write calls write with a buffered writer on a temporary file beside path,
// then flushes, syncs and renames it over path. If write or any step
// fails, the temporary file is removed and path is untouched.
func Write(path string, write func(io.Writer) error) error {
	return WriteMode(path, Mode, write)
}

// WriteMode is Write with another mode, for files that hold no personal
// data and keep the mode they had (a YAML file that fmt rewrites).
func WriteMode(path string, mode os.FileMode, write func(io.Writer) error) (err error) {
	if info, statErr := os.Stat(path); statErr == nil && info.IsDir() {
		return fmt.Errorf("writing %s: it is a directory", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("writing %s (left unchanged): %w", path, err)
		}
	}()
	if err := f.Chmod(mode); err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// WriteFile writes data to path atomically (see Write).
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileMode writes data to path atomically with the given mode.
func WriteFileMode(path string, data []byte, mode os.FileMode) error {
	return WriteMode(path, mode, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// OpenAppend opens path for appending, creating it atomically (empty,
// mode 0600) when it does not exist, and narrowing an existing file to
// mode 0600 before anything is written to it.
func OpenAppend(path string) (*os.File, error) {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		if err := WriteFile(path, nil); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(Mode); err != nil {
		f.Close()
		return nil, fmt.Errorf("making %s private: %w", path, err)
	}
	return f, nil
}

// syncDir makes a rename durable; file systems that cannot sync a
// directory are not an error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cachetsync/cachetsync/export"
)

// ExportCmd is `cachetsync export`.
type ExportCmd struct {
	Out           string `short:"o" help:"Write to this file instead of stdout (replaced only once the export is complete)." type:"path" placeholder:"FILE"`
	NoSubscribers bool   `help:"Leave subscribers out (they are personal data); they are then not read at all."`
	ReadFlags
}

// Run reads the live page with a read-only client and writes it as YAML.
func (cmd *ExportCmd) Run(g *Globals) error {
	c, err := g.client(true)
	if err != nil {
		return err
	}
	live, err := cmd.readLive(g.env.Context, c, cmd.NoSubscribers)
	if err != nil {
		return err
	}
	if !live.Complete {
		return fmt.Errorf("the live page changed while it was read (%v); export again", live.Incomplete)
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, live, export.Options{Subscribers: !cmd.NoSubscribers}); err != nil {
		return err
	}
	if cmd.Out == "" {
		_, err := g.env.Stdout.Write(buf.Bytes())
		return err
	}
	// Subscribers are personal data: such a file is readable by its owner only.
	mode := os.FileMode(0o644)
	if !cmd.NoSubscribers && len(live.Subscribers) > 0 {
		mode = 0o600
	}
	if err := writeFileAtomic(cmd.Out, buf.Bytes(), mode); err != nil {
		return err
	}
	subs := "subscribers left out"
	if !cmd.NoSubscribers {
		subs = fmt.Sprintf("%d subscribers", len(live.Subscribers))
	}
	fmt.Fprintf(g.env.Stderr, "Exported %d groups, %d components and %s to %s.\n", len(live.Groups), len(live.Components), subs, cmd.Out)
	return nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// over path, so that a failure never leaves a half-written file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if info, statErr := os.Stat(path); statErr == nil && info.IsDir() {
		return errors.New("it is a directory")
	}
	return os.Rename(f.Name(), path)
}

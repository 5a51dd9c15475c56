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
	Out             string `short:"o" help:"Write to this file instead of stdout (replaced only once the export is complete)." placeholder:"FILE"`
	Subscribers     bool   `help:"Export the subscribers too (personal data: they are left out, and not read, by default)."`
	SubscribersFile string `help:"Write the subscribers to this file instead, beside the main one (implies --subscribers)." placeholder:"FILE"`
	AllFields       bool   `help:"Also write fields that hold Cachet's defaults (empty description and link, enabled: true), so that they become managed."`
	NoSubscribers   bool   `hidden:"" help:"The default: subscribers are left out."`
	ReadFlags
	ConnFlags
}

// Run reads the live page with a read-only client and writes it as YAML.
func (cmd *ExportCmd) Run(g *Globals) error {
	withSubs := (cmd.Subscribers || cmd.SubscribersFile != "") && !cmd.NoSubscribers
	if cmd.NoSubscribers && (cmd.Subscribers || cmd.SubscribersFile != "") {
		return errors.New("--no-subscribers contradicts --subscribers and --subscribers-file")
	}
	c, err := cmd.client(g, true)
	if err != nil {
		return err
	}
	live, err := cmd.readLive(g.env.Context, c, !withSubs)
	if err != nil {
		return err
	}
	if !live.Complete {
		return fmt.Errorf("the live page changed while it was read (%v); export again", live.Incomplete)
	}
	var buf bytes.Buffer
	inline := withSubs && cmd.SubscribersFile == ""
	if err := export.Write(&buf, live, export.Options{Subscribers: inline, AllFields: cmd.AllFields}); err != nil {
		return err
	}
	if cmd.SubscribersFile != "" {
		var subs bytes.Buffer
		if err := export.WriteSubscribers(&subs, live); err != nil {
			return err
		}
		// Subscribers are personal data: readable by their owner only.
		if err := writeFileAtomic(cmd.SubscribersFile, subs.Bytes(), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(g.env.Stderr, "Exported %d subscribers to %s; plan the directory that holds both files.\n", len(live.Subscribers), cmd.SubscribersFile)
	}
	if cmd.Out == "" {
		_, err := g.env.Stdout.Write(buf.Bytes())
		return err
	}
	mode := os.FileMode(0o644)
	if inline && len(live.Subscribers) > 0 {
		mode = 0o600
	}
	if err := writeFileAtomic(cmd.Out, buf.Bytes(), mode); err != nil {
		return err
	}
	subs := "subscribers left out (--subscribers to include them)"
	if inline {
		subs = fmt.Sprintf("%d subscribers", len(live.Subscribers))
	} else if withSubs {
		subs = "subscribers in " + cmd.SubscribersFile
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

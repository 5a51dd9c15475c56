package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/internal/atomicfile"
	"github.com/cachetsync/cachetsync/internal/safetext"
)

// ExportCmd is `cachetsync export`.
type ExportCmd struct {
	Out             string `short:"o" help:"Write to this file instead of stdout (replaced only once the export is complete)." placeholder:"FILE"`
	Subscribers     bool   `help:"Export the subscribers too (personal data: they are left out, and not read, by default)."`
	SubscribersFile string `help:"Write the subscribers to this file instead, beside the main one (implies --subscribers)." placeholder:"FILE"`
	AllFields       bool   `help:"Also write fields that hold Cachet's defaults (empty description and link, enabled: true), so that they become managed."`
	NoSubscribers   bool   `hidden:"" help:"The default: subscribers are left out."`
	Force           bool   `help:"Replace the files given with -o and --subscribers-file if they exist (by default export never overwrites a file)."`
	Merge           bool   `help:"Add to the file given with -o what the page has and the file lacks (groups, components, subscribers with --subscribers), keeping everything it declares and its comments."`
	ReadFlags
	ConnFlags
}

// Run reads the live page with a read-only client and writes it as YAML.
func (cmd *ExportCmd) Run(g *Globals) error {
	withSubs := (cmd.Subscribers || cmd.SubscribersFile != "") && !cmd.NoSubscribers
	if cmd.NoSubscribers && (cmd.Subscribers || cmd.SubscribersFile != "") {
		return errors.New("--no-subscribers contradicts --subscribers and --subscribers-file")
	}
	if cmd.Merge && (cmd.Out == "" || cmd.Force || cmd.SubscribersFile != "") {
		return errors.New("--merge needs -o FILE, and goes with neither --force nor --subscribers-file")
	}
	for _, path := range []string{cmd.Out, cmd.SubscribersFile} {
		if _, err := os.Lstat(path); err == nil && path != "" && !cmd.Force && !(cmd.Merge && path == cmd.Out) {
			if path == cmd.Out {
				return fmt.Errorf("%s exists; export never overwrites a file (it may hold comments, earlier names and prune settings): write to another file and compare, give --merge to add to it what the page has and it lacks, or --force to replace it", path)
			}
			return fmt.Errorf("%s exists; export never overwrites a file: write to another file and compare, or give --force to replace it", path)
		}
	}
	c, err := cmd.connect(g, true)
	if err != nil {
		return err
	}
	live, err := cmd.readConn(g.env.Context, c, !withSubs)
	if err != nil {
		return err
	}
	if !live.Complete {
		return fmt.Errorf("the live page changed while it was read (%v); export again", live.Incomplete)
	}
	var buf bytes.Buffer
	inline := withSubs && cmd.SubscribersFile == ""
	if err := export.Write(&buf, live, export.Options{Subscribers: inline, AllFields: cmd.AllFields,
		Warn: func(m string) { fmt.Fprintf(g.env.Stderr, "Warning: %s\n", safetext.Line(m)) }}); err != nil {
		return err
	}
	if cmd.Merge {
		if done, err := cmd.merge(g, buf.Bytes()); done || err != nil {
			return err
		}
	}
	if cmd.SubscribersFile != "" {
		var subs bytes.Buffer
		if err := export.WriteSubscribers(&subs, live); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(cmd.SubscribersFile, subs.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(g.env.Stderr, "Exported %s to %s; plan the directory that holds both files.\n", countOf(len(live.Subscribers), "subscriber"), cmd.SubscribersFile)
	}
	if cmd.Out == "" {
		_, err := g.env.Stdout.Write(buf.Bytes())
		return err
	}
	// Readable by the owner only (atomicfile.Mode), like every file cachetsync writes.
	if err := atomicfile.WriteFile(cmd.Out, buf.Bytes()); err != nil {
		return err
	}
	subs := "subscribers left out (--subscribers to include them)"
	if inline {
		subs = countOf(len(live.Subscribers), "subscriber")
	} else if withSubs {
		subs = "subscribers in " + cmd.SubscribersFile
	}
	fmt.Fprintf(g.env.Stderr, "Exported %s, %s and %s to %s.\n", countOf(len(live.Groups), "group"), countOf(len(live.Components), "component"), subs, cmd.Out)
	return nil
}

// merge merges the export into the existing file given with -o; done is
// false when that file does not exist (the export is then written whole).
func (cmd *ExportCmd) merge(g *Globals, exported []byte) (done bool, err error) {
	old, err := os.ReadFile(cmd.Out)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	merged, added, err := export.Merge(cmd.Out, old, exported)
	if err != nil {
		return true, err
	}
	if len(added) == 0 {
		fmt.Fprintf(g.env.Stderr, "%s already declares everything on the page; it was left unchanged.\n", cmd.Out)
		return true, nil
	}
	if err := atomicfile.WriteFile(cmd.Out, merged); err != nil {
		return true, err
	}
	fmt.Fprintf(g.env.Stderr, "Merged into %s (nothing it declared was changed), added:\n  %s\n", cmd.Out, strings.Join(added, "\n  "))
	return true, nil
}

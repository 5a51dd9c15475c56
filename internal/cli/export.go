package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/internal/atomicfile"
)

// ExportCmd is `cachetsync export`.
type ExportCmd struct {
	Out           string `short:"o" help:"Write to this file instead of stdout (replaced only once the export is complete)." type:"path" placeholder:"FILE"`
	Force         bool   `help:"Replace the file given with -o if it exists (by default export never overwrites a file)."`
	NoSubscribers bool   `help:"Leave subscribers out (they are personal data); they are then not read at all."`
	ReadFlags
}

// Run reads the live page with a read-only client and writes it as YAML.
func (cmd *ExportCmd) Run(g *Globals) error {
	if cmd.Out != "" && !cmd.Force {
		if _, err := os.Lstat(cmd.Out); err == nil {
			return fmt.Errorf("%s exists; export never overwrites a file (it may hold comments, earlier names and prune settings): write to another file and compare, or give --force to replace it", cmd.Out)
		}
	}
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
	if err := atomicfile.WriteFile(cmd.Out, buf.Bytes()); err != nil {
		return err
	}
	subs := "subscribers left out"
	if !cmd.NoSubscribers {
		subs = fmt.Sprintf("%d subscribers", len(live.Subscribers))
	}
	fmt.Fprintf(g.env.Stderr, "Exported %d groups, %d components and %s to %s.\n", len(live.Groups), len(live.Components), subs, cmd.Out)
	return nil
}

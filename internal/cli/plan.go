package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/cachetsync/cachetsync/cachet"

	"github.com/cachetsync/cachetsync/plan"
)

// SafetyFlags are the limits and output choices shared by plan and apply.
type SafetyFlags struct {
	MaxDeletes      int  `help:"Refuse a plan with more deletes than this (exit 3)." default:"10"`
	AllowMassDelete bool `help:"Allow more deletes than --max-deletes."`
	Notify          bool `help:"Let Cachet notify subscribers of status changes (default: silent)."`
	ShowEmails      bool `help:"Show subscriber e-mails in full (masked by default)."`
}

// ReadFlags tune how the live page is read.
type ReadFlags struct {
	PageSize        int `help:"Objects per page when reading the live page." default:"500"`
	ReadConcurrency int `help:"Pages of one kind read at once." default:"4"`
	MaxObjects      int `help:"Refuse a live page with more objects of one kind than this." default:"200000"`
}

// readLive reads the live page with these flags.
func (r ReadFlags) readLive(ctx context.Context, c *cachet.Client, skipSubscribers bool) (*plan.Live, error) {
	if r.PageSize < 1 || r.ReadConcurrency < 1 || r.ReadConcurrency > 64 {
		return nil, errors.New("--page-size must be at least 1 and --read-concurrency between 1 and 64")
	}
	if r.MaxObjects < 0 {
		return nil, errors.New("--max-objects must be at least 1")
	}
	return plan.ReadLive(ctx, c, plan.ReadOptions{PageSize: r.PageSize, Concurrency: r.ReadConcurrency,
		SkipSubscribers: skipSubscribers, MaxObjects: r.MaxObjects})
}

// check refuses a plan that breaks a safety limit.
func (s SafetyFlags) check(p *plan.Plan) error {
	if n := p.Deletes(); n > s.MaxDeletes && !s.AllowMassDelete {
		return exitWith(ExitRefused, fmt.Errorf("refused: the plan deletes %d objects, more than --max-deletes %d; check the file, then re-run with --allow-mass-delete or a higher --max-deletes", n, s.MaxDeletes))
	}
	return nil
}

// PlanCmd is `cachetsync plan`.
type PlanCmd struct {
	FileArgs
	Format           string `help:"Output format: text, markdown or json." enum:"text,markdown,json" default:"text"`
	MaxBytes         int    `help:"Markdown only: fold and cut the plan to fit this many bytes (a GitHub comment holds 65,536 characters; 0: no limit)." default:"65000"`
	Out              string `help:"Save the plan to this file, for 'cachetsync apply FILE'." type:"path" placeholder:"FILE"`
	DetailedExitcode bool   `help:"Exit 2 when there are changes, 0 when there are none."`
	SafetyFlags
	ReadFlags
	ConnFlags
}

// Run computes the plan with a read-only client and renders it.
func (cmd *PlanCmd) Run(g *Globals) error {
	file, err := cmd.resolve(g)
	if err != nil {
		return err
	}
	s, err := g.loadSpec(file)
	if err != nil {
		return err
	}
	c, err := cmd.client(g, true)
	if err != nil {
		return err
	}
	ctx := g.env.Context
	live, err := cmd.readLive(ctx, c, false)
	if err != nil {
		return err
	}
	p, err := plan.Compute(s, live, plan.Policy{Notify: cmd.Notify})
	if err != nil {
		return planError(err)
	}
	g.annotatePlan(s, p)
	if err := render(g, p, cmd.Format, plan.RenderOptions{ShowEmails: cmd.ShowEmails, MaxBytes: cmd.MaxBytes}); err != nil {
		return err
	}
	if cmd.Out != "" {
		if err := plan.SaveFile(cmd.Out, p, live); err != nil {
			return err
		}
		fmt.Fprintf(g.env.Stderr, "Saved the plan to %s. Apply it with: cachetsync apply %s\n", cmd.Out, cmd.Out)
	}
	if err := cmd.check(p); err != nil {
		return err
	}
	if cmd.DetailedExitcode && !p.Empty() {
		return exitWith(ExitChanges, nil)
	}
	return nil
}

// planError maps a Compute error to its exit code.
func planError(err error) error {
	var refused *plan.RefusedError
	if errors.As(err, &refused) {
		return exitWith(ExitRefused, err)
	}
	return exitWith(ExitError, err)
}

func render(g *Globals, p *plan.Plan, format string, o plan.RenderOptions) error {
	o.Color = g.color()
	switch format {
	case "markdown":
		return plan.RenderMarkdown(g.env.Stdout, p, o)
	case "json":
		return plan.RenderJSON(g.env.Stdout, p)
	}
	return plan.RenderText(g.env.Stdout, p, o)
}

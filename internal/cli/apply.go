package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/internal/atomicfile"
	"github.com/cachetsync/cachetsync/internal/safetext"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/planfile"
	"github.com/cachetsync/cachetsync/render"
)

// ApplyCmd is `cachetsync apply`.
type ApplyCmd struct {
	Path        string `arg:"" name:"file" optional:"" help:"A YAML file or directory (plan, then apply), or a plan saved by 'cachetsync plan --out' (told apart by content; default: cachetsync.yaml, else status.yaml)." placeholder:"FILE"`
	File        string `short:"f" help:"YAML file, or directory of *.yaml files." placeholder:"FILE"`
	AutoApprove bool   `help:"Apply without asking for confirmation."`
	Parallelism int    `help:"Calls run at once within an apply step (1-64)." default:"4"`
	Journal     string `help:"Append one JSON line per finished call to this file." type:"path" placeholder:"FILE"`
	StopAfter   int    `help:"Stop starting calls after this many consecutive timeouts, refused connections or 5xx answers (0: never)." default:"5"`
	SafetyFlags
	ReadFlags
	ConnFlags

	hidePlan bool                            // the demo has just shown the same plan
	onPlan   func(file string, p *plan.Plan) // the Action's hook: called with the plan to apply
}

// Run plans (or loads a saved plan), confirms, and executes.
func (cmd *ApplyCmd) Run(g *Globals) error {
	var planFile, file string
	switch {
	case cmd.Path != "" && cmd.File != "":
		return errors.New("give either -f FILE or a saved plan file, not both")
	case cmd.File != "":
		if fileIsSavedPlan(cmd.File) {
			return fmt.Errorf("%s is a saved plan, not a YAML file: apply it without -f (cachetsync apply %s)", cmd.File, cmd.File)
		}
		file = cmd.File
	case cmd.Path != "":
		if fileIsSavedPlan(cmd.Path) {
			planFile = cmd.Path
		} else {
			file = cmd.Path
		}
	default:
		f, err := defaultFile(g)
		if err != nil {
			return err
		}
		file = f
	}
	if cmd.Parallelism < 1 || cmd.Parallelism > apply.MaxParallelism {
		return fmt.Errorf("--parallelism must be between 1 and %d", apply.MaxParallelism)
	}
	ctx := g.env.Context
	reader, err := cmd.connect(g, true)
	if err != nil {
		return err
	}
	var p *plan.Plan
	var live *plan.Live
	if planFile != "" {
		saved, err := planfile.LoadFile(planFile)
		if err != nil {
			return err
		}
		if err := saved.CheckEndpoint(cmd.apiEndpoint()); err != nil {
			return exitWith(ExitRefused, err)
		}
		if live, err = cmd.readConn(ctx, reader, !saved.ReadSubscribers); err != nil {
			return err
		}
		if err := saved.Verify(live); err != nil {
			return exitWith(ExitRefused, err)
		}
		p = saved.Plan
	} else {
		s, err := g.loadSpec(file)
		if err != nil {
			return err
		}
		if live, err = cmd.readConn(ctx, reader, false); err != nil {
			return err
		}
		if p, err = plan.Compute(s, live, cmd.policy()); err != nil {
			return planError(err)
		}
		g.annotatePlan(s, p)
	}
	if cmd.onPlan != nil {
		cmd.onPlan(cmp.Or(file, planFile), p)
	}
	if p.Empty() || !cmd.hidePlan {
		o := render.Options{Color: g.color(), ShowEmails: cmd.ShowEmails}
		if err := render.Text(g.env.Stdout, p, o); err != nil {
			return err
		}
	}
	if p.Empty() {
		return nil
	}
	if err := cmd.check(p, live); err != nil {
		return err
	}
	writer, err := cmd.connect(g, false)
	if err != nil {
		return err
	}
	if err := checkWriteAbilities(ctx, writer, p); err != nil {
		return err
	}
	if planFile == "" && !cmd.AutoApprove {
		if err := confirm(g); err != nil {
			return err
		}
	}
	// Progress lines echo names and server errors: escaped for the terminal.
	opts := apply.Options{Parallelism: cmd.Parallelism, Progress: safetext.Writer{W: g.env.Stdout}, ShowEmails: cmd.ShowEmails, StopAfter: cmd.StopAfter}
	if cmd.StopAfter <= 0 {
		opts.StopAfter = -1
	}
	if cmd.Journal != "" {
		f, err := atomicfile.OpenAppend(cmd.Journal)
		if err != nil {
			return fmt.Errorf("opening the journal: %w", err)
		}
		defer f.Close()
		opts.Journal = f
	}
	if !cmd.hidePlan {
		fmt.Fprintln(g.env.Stdout)
	}
	// The notice runs on its own goroutine; once it has started, it must
	// end before anything else is written (stdout and stderr may be one
	// stream).
	noticed := make(chan struct{})
	stopNotice := context.AfterFunc(ctx, func() {
		defer close(noticed)
		fmt.Fprintln(g.env.Stderr, "Interrupted: finishing the calls in flight, starting no new ones.")
	})
	res := apply.Run(ctx, executor(writer), p, opts)
	if !stopNotice() {
		<-noticed
	}
	outcome := "Apply complete"
	switch {
	case res.Interrupted:
		outcome = "Apply interrupted"
	case res.Failed > 0 || res.NotAttempted > 0:
		outcome = "Apply incomplete"
	}
	fmt.Fprintf(g.env.Stdout, "\n%s: %s\n", outcome, res.Summary())
	if res.JournalErr != nil {
		fmt.Fprintf(g.env.Stderr, "Warning: the journal %s is incomplete: %v\n", cmd.Journal, res.JournalErr)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(g.env.Stderr, "Warning: %s\n", w)
	}
	switch {
	case len(res.Conflicts) > 0:
		return exitWith(ExitPartial, fmt.Errorf("another apply was changing this page at the same time (run one apply per page at a time): %s", strings.Join(res.Conflicts, "; ")))
	case res.JournalErr != nil && res.Failed == 0 && res.NotAttempted == 0:
		return exitWith(ExitError, fmt.Errorf("every call applied, but writing the journal failed: %w", res.JournalErr))
	case res.Interrupted:
		return exitWith(interruptCode(g.env), errors.New("interrupted: in-flight calls finished, nothing new was started; run apply again to finish"))
	case res.Failed > 0 || res.NotAttempted > 0:
		return exitWith(ExitPartial, fmt.Errorf("apply partly failed; run it again to finish what is left:\n%w", res.Err()))
	}
	return nil
}

// confirm asks on a terminal and refuses elsewhere.
func confirm(g *Globals) error {
	if !g.env.Terminal {
		return exitWith(ExitError, errors.New("apply needs --auto-approve when not run on a terminal (or apply a saved plan file)"))
	}
	fmt.Fprint(g.env.Stdout, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	line, _ := bufio.NewReader(g.env.Stdin).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return exitWith(ExitError, errors.New("apply cancelled"))
	}
	return nil
}

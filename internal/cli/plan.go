package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/planfile"
	"github.com/cachetsync/cachetsync/render"
	"github.com/cachetsync/cachetsync/spec"
)

// SafetyFlags are the limits and output choices shared by plan and apply.
type SafetyFlags struct {
	MaxDeletes       int     `help:"Refuse a plan that deletes more objects than this, re-created subscribers included (exit 3)." default:"10"`
	MaxDeletePercent float64 `help:"Refuse a plan that deletes more than this share of the page's objects, on pages of at least 10 (exit 3; 0: no limit)." default:"30"`
	AllowMassDelete  bool    `help:"Allow more deletes than --max-deletes and --max-delete-percent."`
	AllowExposure    bool    `help:"Allow deleting a hidden group although Cachet then makes its enabled components public."`
	DefaultStatus    string  `help:"Status of a new component whose status the file does not declare." enum:"unknown,operational,performance-issues,partial-outage,major-outage" default:"operational"`
	Notify           bool    `help:"Let Cachet notify subscribers of status changes (default: silent)."`
	ShowEmails       bool    `help:"Show subscriber e-mails in full (masked by default)."`
}

// policy is the plan policy these flags ask for.
func (s SafetyFlags) policy() plan.Policy {
	p := plan.Policy{Notify: s.Notify}
	if st, err := page.ParseStatus(s.DefaultStatus); err == nil {
		p.DefaultStatus = &st
	}
	return p
}

// minPageForPercent is the smallest page --max-delete-percent applies to:
// on a smaller page one delete is already a large share.
const minPageForPercent = 10

// pageObjects counts the objects read from the live page.
func pageObjects(live *plan.Live) int {
	return len(live.Groups) + len(live.Components) + len(live.Subscribers)
}

// check refuses a plan that breaks a safety limit.
func (s SafetyFlags) check(p *plan.Plan, live *plan.Live) error {
	n, page := p.Deletes(), pageObjects(live)
	if !s.AllowMassDelete {
		if n > s.MaxDeletes {
			return exitWith(ExitRefused, fmt.Errorf("refused: the plan deletes %d objects (re-created subscribers included), more than --max-deletes %d; check the file, then re-run with --allow-mass-delete or a higher --max-deletes", n, s.MaxDeletes))
		}
		if share := 100 * float64(n) / float64(max(page, 1)); s.MaxDeletePercent > 0 && page >= minPageForPercent && share > s.MaxDeletePercent {
			return exitWith(ExitRefused, fmt.Errorf("refused: the plan deletes %d of the page's %d objects (%.0f%%), more than --max-delete-percent %g; check the file, then re-run with --allow-mass-delete or a higher --max-delete-percent", n, page, share, s.MaxDeletePercent))
		}
	}
	if ops := p.ExposingGroupDeletes(); len(ops) > 0 && !s.AllowExposure {
		var lines []string
		for _, op := range ops {
			lines = append(lines, fmt.Sprintf("group %q is hidden, and deleting it makes public its enabled components %s (Cachet ungroups them)", op.Key, strings.Join(op.Exposes, ", ")))
		}
		return exitWith(ExitRefused, fmt.Errorf("refused: %s; declare in the file where these components go (or prune them), or re-run with --allow-exposure", strings.Join(lines, "; ")))
	}
	return nil
}

// apiEndpoint is the API endpoint the connection flags name, as saved plans
// record it.
func (f *ConnFlags) apiEndpoint() string {
	if f.detected != nil {
		return f.detected.endpoint
	}
	e, api, err := parseEndpoint(f.Endpoint)
	switch {
	case err != nil:
		return f.Endpoint
	case api == "":
		return e + "/api/v1"
	}
	return e
}

// flagsNeeded lists the flags an apply of p needs to pass these limits.
func (s SafetyFlags) flagsNeeded(p *plan.Plan, live *plan.Live) []string {
	var flags []string
	if err := (SafetyFlags{MaxDeletes: s.MaxDeletes, MaxDeletePercent: s.MaxDeletePercent, AllowExposure: true}).check(p, live); err != nil {
		flags = append(flags, "--allow-mass-delete")
	}
	if len(p.ExposingGroupDeletes()) > 0 {
		flags = append(flags, "--allow-exposure")
	}
	return flags
}

// ReadFlags tune how the live page is read.
type ReadFlags struct {
	PageSize        int `help:"Objects per page when reading the live page." default:"1000"`
	ReadConcurrency int `help:"Pages of one kind read at once." default:"8"`
	MaxObjects      int `help:"Refuse a live page with more objects of one kind than this." default:"200000"`
}

// readLive reads the live page through API v1 with these flags.
func (r ReadFlags) readLive(ctx context.Context, c *cachet.Client, skipSubscribers bool) (*plan.Live, error) {
	return r.readConn(ctx, &conn{v1: c}, skipSubscribers)
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

	onPlan func(file string, p *plan.Plan) // the Action's hook: called with the computed plan
}

// Run computes the plan with a read-only client and renders it. The live
// page is read while the file is parsed and checked (see readWhileParsing).
func (cmd *PlanCmd) Run(g *Globals) error {
	file, err := cmd.resolve(g)
	if err != nil {
		return err
	}
	s, live, err := cmd.readWhileParsing(g, file)
	if err != nil {
		return err
	}
	p, err := plan.Compute(s, live, cmd.policy())
	if err != nil {
		return planError(err)
	}
	g.annotatePlan(s, p)
	if cmd.onPlan != nil {
		cmd.onPlan(file, p)
	}
	if err := renderPlan(g, p, cmd.Format, render.Options{ShowEmails: cmd.ShowEmails, MaxBytes: cmd.MaxBytes}); err != nil {
		return err
	}
	if cmd.Out != "" {
		if err := planfile.SaveFile(cmd.Out, p, live, cmd.apiEndpoint()); err != nil {
			return err
		}
		fmt.Fprintf(g.env.Stderr, "Saved the plan to %s. Apply it with: cachetsync apply %s\n", cmd.Out, strings.Join(append([]string{cmd.Out}, cmd.flagsNeeded(p, live)...), " "))
	}
	if err := cmd.check(p, live); err != nil {
		return err
	}
	if cmd.DetailedExitcode && !p.Empty() {
		return exitWith(ExitChanges, nil)
	}
	return nil
}

// parseHook, when set (by tests), runs just before the file is parsed,
// while the reads may already be under way.
var parseHook func()

// readWhileParsing loads the file and reads the live page at the same
// time: the reads are GETs on a read-only client, so starting them before
// the file is known good sends nothing that changes the page. Whatever
// they print (warnings about the endpoint, --debug traces) is held back
// until the file has loaded. If the file is invalid, the reads are
// cancelled and waited for, their output dropped, and the file's error
// returned, so the output is the same as reading after parsing. The token
// check still comes first in effect: ReadLive returns nothing unless the
// token passed it.
func (cmd *PlanCmd) readWhileParsing(g *Globals, file string) (*spec.Spec, *plan.Live, error) {
	held := &heldWriter{w: g.env.Stderr}
	stderr := g.env.Stderr
	g.env.Stderr = held
	c, clientErr := cmd.connect(g, true)
	g.env.Stderr = stderr
	ctx, cancel := context.WithCancel(g.env.Context)
	defer cancel()
	type read struct {
		live *plan.Live
		err  error
	}
	reads := make(chan read, 1)
	if clientErr == nil {
		go func() {
			live, err := cmd.readConn(ctx, c, false)
			reads <- read{live, err}
		}()
	}
	if parseHook != nil {
		parseHook()
	}
	s, err := g.loadSpec(file)
	if err != nil {
		cancel()
		if clientErr == nil {
			<-reads
		}
		held.drop()
		return nil, nil, err
	}
	held.release()
	if clientErr != nil {
		return nil, nil, clientErr
	}
	r := <-reads
	if r.err != nil {
		return nil, nil, r.err
	}
	return s, r.live, nil
}

// heldWriter holds what is written to it until release (which writes it
// on, and everything after it) or drop (which discards it, and everything
// after it).
type heldWriter struct {
	mu      sync.Mutex
	w       io.Writer
	buf     bytes.Buffer
	decided bool
	dropped bool
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.dropped:
		return len(p), nil
	case h.decided:
		return h.w.Write(p)
	}
	return h.buf.Write(p)
}

func (h *heldWriter) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.decided = true
	h.w.Write(h.buf.Bytes())
	h.buf.Reset()
}

func (h *heldWriter) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.decided, h.dropped = true, true
	h.buf.Reset()
}

// planError maps a Compute error to its exit code.
func planError(err error) error {
	var refused *plan.RefusedError
	if errors.As(err, &refused) {
		return exitWith(ExitRefused, err)
	}
	return exitWith(ExitError, err)
}

func renderPlan(g *Globals, p *plan.Plan, format string, o render.Options) error {
	o.Color = g.color()
	switch format {
	case "markdown":
		return render.Markdown(g.env.Stdout, p, o)
	case "json":
		return render.JSON(g.env.Stdout, p)
	}
	return render.Text(g.env.Stdout, p, o)
}

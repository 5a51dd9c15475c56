// Package apply executes a plan against a Cachet page: step by step in the
// plan's safe order, the independent operations of a step in parallel, ids
// created by earlier steps feeding later ones. It talks to the server only
// through an Executor, the adapter of one API version.
package apply

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cachetsync/cachetsync/plan"
)

// MaxParallelism caps Options.Parallelism.
const MaxParallelism = 64

// Options tune Run.
type Options struct {
	// Parallelism is how many calls of one step run at once (default 4,
	// at most MaxParallelism).
	Parallelism int
	// Progress gets one line per finished operation.
	Progress io.Writer
	// Journal gets one JSON line per finished or skipped operation.
	Journal io.Writer
	// Grace bounds how long in-flight calls may go on once ctx is
	// cancelled (an interrupt); default 30s.
	Grace time.Duration
	// ShowEmails prints subscriber e-mails unmasked in progress lines.
	ShowEmails bool
	// StopAfter stops starting operations after this many consecutive
	// failures that say the server is down (timeouts, refused or dropped
	// connections, 5xx answers); default DefaultStopAfter, negative never.
	StopAfter int
}

// DefaultStopAfter is the default Options.StopAfter.
const DefaultStopAfter = 5

// Result counts what Run did.
type Result struct {
	Applied      int
	Failed       int
	NotAttempted int
	Interrupted  bool
	Errors       []error
	// JournalErr is the first error writing the journal, if any.
	JournalErr error
	// Stopped, when not empty, says why the apply stopped starting
	// operations: "stopped after 5 consecutive timeouts".
	Stopped string
	// Conflicts say what a concurrent apply did that stopped this one.
	Conflicts []string
	// Warnings are what the apply noticed but did not stop for.
	Warnings []string
}

// Summary is the closing line of an apply: "3 applied, 1 failed, 2 not attempted."
// After a stop it says so: "stopped after 5 consecutive timeouts; 35 not
// attempted."
func (r Result) Summary() string {
	s := fmt.Sprintf("%d applied, %d failed, %d not attempted.", r.Applied, r.Failed, r.NotAttempted)
	if strings.HasPrefix(r.Stopped, "stopped after") {
		s += fmt.Sprintf(" Apply %s (the server looks down); %d not attempted.", r.Stopped, r.NotAttempted)
	}
	return s
}

// Err joins the errors of the failed operations (nil when all applied).
func (r Result) Err() error {
	errs := slices.Clone(r.Errors)
	for _, c := range r.Conflicts {
		errs = append(errs, errors.New("conflict: "+c))
	}
	return errors.Join(errs...)
}

// JournalEntry is one line of the journal.
type JournalEntry struct {
	Time   time.Time   `json:"time"`
	Step   plan.Step   `json:"step"`
	Kind   plan.Kind   `json:"kind"`
	Action plan.Action `json:"action"`
	Key    string      `json:"key"`
	ID     int         `json:"id,omitempty"`
	Result string      `json:"result"` // "applied", "failed" or "skipped"
	Error  string      `json:"error,omitempty"`
}

type outcome int

const (
	pending outcome = iota
	applied
	failed
	skipped
)

type runner struct {
	ex   Executor
	plan *plan.Plan
	opts Options

	mu         sync.Mutex
	outcomes   []outcome
	groupIDs   map[string]int // groups created by this run
	compIDs    map[string]int // components created by this run
	result     Result
	anyFailure bool // closes the barrier in front of deletes and re-creates
	// stopped, when set, says why no operation starts any more.
	stopped    string
	downRun    int      // consecutive failures that say the server is down
	downKinds  []string // and what they were
	journalErr error
	// ids the plan read: a lookup after an unknown create ignores them
	existingGroups, existingComponents map[int]bool
}

// Run executes the plan. When an operation fails, the calls in flight
// finish, operations that depend on it are skipped, and deletes are not
// attempted at all; the Result counts each case. When ctx is cancelled, no
// new call starts and in-flight calls get Options.Grace to finish.
func Run(ctx context.Context, ex Executor, p *plan.Plan, o Options) Result {
	if o.Parallelism <= 0 {
		o.Parallelism = 4
	}
	o.Parallelism = min(o.Parallelism, MaxParallelism)
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if o.StopAfter == 0 {
		o.StopAfter = DefaultStopAfter
	}
	r := &runner{ex: ex, plan: p, opts: o, outcomes: make([]outcome, len(p.Ops)),
		groupIDs: map[string]int{}, compIDs: map[string]int{},
		existingGroups: idSet(p.ExistingGroups), existingComponents: idSet(p.ExistingComponents)}

	// Calls in flight outlive an interrupt by at most Grace.
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(o.Grace, cancelCalls) })
	defer stop()

	for start := 0; start < len(p.Ops); {
		end := start
		for end < len(p.Ops) && p.Ops[end].Step == p.Ops[start].Step {
			end++
		}
		r.runStep(ctx, callCtx, start, end)
		start = end
	}
	r.result.Interrupted = ctx.Err() != nil && r.result.NotAttempted+r.result.Failed > 0
	r.result.JournalErr = r.journalErr
	r.result.Stopped = r.stopped
	return r.result
}

// runStep runs the operations start..end-1 of one step: first those that
// only create or change, then, once they have all finished, those that
// delete or re-create, so that a failure anywhere in the step still stops
// every delete.
//
// Each operation first takes a free slot and only then is admitted: the
// context, the stop and the failure barrier are checked under the same lock
// that records a failure. An operation admitted before a failure was
// recorded is in flight; none is admitted after. So whatever the
// parallelism, nothing destructive starts after a failure or an interrupt,
// and nothing at all starts after the apply was stopped.
func (r *runner) runStep(ctx, callCtx context.Context, start, end int) {
	creates := r.createdNames(start, end)
	if len(creates) > 0 && ctx.Err() == nil && r.admitsAny() {
		r.checkBeforeCreates(callCtx, creates)
	}
	for _, destructive := range []bool{false, true} {
		if destructive && len(creates) > 0 {
			r.removeOwnDuplicates(ctx, callCtx, creates)
		}
		sem := make(chan struct{}, r.opts.Parallelism)
		var wg sync.WaitGroup
		for i := start; i < end; i++ {
			if isDestructive(r.plan.Ops[i].Action) != destructive {
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				r.finish(i, skipped, 0, errors.New("interrupted"))
				continue
			}
			if reason := r.admit(ctx, i); reason != "" {
				<-sem
				r.finish(i, skipped, 0, errors.New(reason))
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				id, err := r.exec(callCtx, ctx, &r.plan.Ops[i])
				if err != nil {
					r.finish(i, failed, id, err)
				} else {
					r.finish(i, applied, id, nil)
				}
			}()
		}
		wg.Wait()
	}
}

// admitsAny reports whether the apply still starts operations.
func (r *runner) admitsAny() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped == ""
}

// isDestructive reports whether an action deletes an object (a replace
// deletes, then creates again).
func isDestructive(a plan.Action) bool { return a == plan.Delete || a == plan.Replace }

// admit says why operation i must not start, or "" when it may. It runs
// with a slot already taken, under the lock that records failures.
func (r *runner) admit(ctx context.Context, i int) string {
	op := r.plan.Ops[i]
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Err() != nil {
		return "interrupted"
	}
	if r.stopped != "" {
		return "not attempted: " + r.stopped
	}
	if isDestructive(op.Action) && r.anyFailure {
		return "not attempted: an earlier operation failed, so nothing is deleted"
	}
	if w := op.Component; w != nil && w.Group != "" {
		if _, ok := r.groupIDs[w.Group]; !ok {
			return fmt.Sprintf("not attempted: group %q was not created", w.Group)
		}
	}
	if w := op.Subscriber; w != nil {
		for _, ref := range w.Components {
			if ref.ID == 0 {
				if _, ok := r.compIDs[ref.Name]; !ok {
					return fmt.Sprintf("not attempted: component %q was not created", ref.Name)
				}
			}
		}
	}
	return ""
}

// countFailure updates the run of consecutive failures that say the server
// is down and stops the apply when it reaches Options.StopAfter. Called with
// r.mu held.
func (r *runner) countFailure(err error) {
	kind := downKind(err, r.ex.HTTPStatus(err))
	if kind == "" {
		r.downRun, r.downKinds = 0, nil
		return
	}
	r.downRun++
	r.downKinds = append(r.downKinds, kind)
	if r.opts.StopAfter > 0 && r.downRun >= r.opts.StopAfter && r.stopped == "" {
		r.stopped = fmt.Sprintf("stopped after %d consecutive %s", r.downRun, describeKinds(r.downKinds))
	}
}

// describeKinds names a run of failures: "timeouts" when they were all
// timeouts, "server failures" when they were mixed.
func describeKinds(kinds []string) string {
	for _, k := range kinds[1:] {
		if k != kinds[0] {
			return "server failures (timeouts, refused connections, 5xx)"
		}
	}
	return kinds[0]
}

// downKind classifies an error that says the server is down or
// overloaded: "timeouts", "refused connections", "dropped connections" or
// "server errors (5xx)". Anything else (a 4xx, a validation error) is an
// answer from a working server and returns "". status is the HTTP status
// of the error answer err carries (0: none).
func downKind(err error, status int) string {
	if status != 0 {
		if status >= 500 {
			return "server errors (5xx)"
		}
		return ""
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeouts"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused connections"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "dropped connections"
	}
	return ""
}

func (r *runner) finish(i int, out outcome, id int, err error) {
	op := r.plan.Ops[i]
	r.mu.Lock()
	r.outcomes[i] = out
	entry := JournalEntry{Time: time.Now().UTC(), Step: op.Step, Kind: op.Kind, Action: op.Action, Key: op.Key, ID: op.ID}
	if id != 0 {
		entry.ID = id
	}
	var line string
	title := op.Title(r.opts.ShowEmails)
	switch out {
	case applied:
		r.result.Applied++
		r.downRun, r.downKinds = 0, nil
		entry.Result = "applied"
		line = fmt.Sprintf("%s %s: %s", op.Action.Symbol(), title, pastTense(op.Action))
		if op.Action == plan.Create && id != 0 {
			line += fmt.Sprintf(" (id %d)", id)
		}
	case failed:
		r.result.Failed++
		r.anyFailure = true
		r.countFailure(err)
		entry.Result = "failed"
		entry.Error = err.Error()
		r.result.Errors = append(r.result.Errors, fmt.Errorf("%s %s: %w", op.Action, title, err))
		line = fmt.Sprintf("%s %s: failed: %v", op.Action.Symbol(), title, err)
	case skipped:
		r.result.NotAttempted++
		entry.Result = "skipped"
		entry.Error = err.Error()
		line = fmt.Sprintf("%s %s: %v", op.Action.Symbol(), title, err)
	}
	if r.opts.Progress != nil {
		fmt.Fprintln(r.opts.Progress, line)
	}
	if r.opts.Journal != nil {
		if b, jerr := json.Marshal(entry); jerr == nil {
			if _, werr := r.opts.Journal.Write(append(b, '\n')); werr != nil && r.journalErr == nil {
				r.journalErr = werr
			}
		}
	}
	r.mu.Unlock()
}

func idSet(ids []int) map[int]bool {
	m := make(map[int]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func pastTense(a plan.Action) string {
	switch a {
	case plan.Create:
		return "created"
	case plan.Update:
		return "updated"
	case plan.Delete:
		return "deleted"
	case plan.Replace:
		return "replaced"
	}
	return "done"
}

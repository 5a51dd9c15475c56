package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/cachetsync/cachetsync/plan"
)

// Cachet has no lock and no conditional write, so two applies of the same
// file at once could each create the same group or component. Two checks
// keep a duplicate from surviving, at the cost of two list reads of the
// kind per step that creates groups or components (one request per 500
// objects each):
//
//   - Before the step, the kind is read again: an object with the name of
//     one this step creates, which was not on the page when the plan was
//     made, means another writer got there first. That is a conflict: the
//     apply stops before the step's first call.
//   - After the step's creates, the kind is read again: for each name this
//     run created, a namesake that was not on the page when the plan was
//     made was created by a concurrent run. The object with the lower id
//     was created first and stays; the run that created the other one
//     deletes its own copy (never anything else) and stops. Both runs
//     reach the same verdict from the ids alone.
//
// Updates are not checked: two writers updating the same field is last
// writer wins. The README states the rule: one writer per page at a time.

// createdNames returns the names the ops start..end-1 create, by kind.
func (r *runner) createdNames(start, end int) map[plan.Kind][]string {
	out := map[plan.Kind][]string{}
	for _, op := range r.plan.Ops[start:end] {
		if op.Action == plan.Create && op.Kind != plan.KindSubscriber {
			out[op.Kind] = append(out[op.Kind], op.Key)
		}
	}
	return out
}

func (r *runner) listKind(ctx context.Context, kind plan.Kind) ([]plan.Object, error) {
	return r.ex.All(ctx, kind)
}

func (r *runner) existing(kind plan.Kind) map[int]bool {
	if kind == plan.KindGroup {
		return r.existingGroups
	}
	return r.existingComponents
}

// checkBeforeCreates stops the apply when an object with the name of one
// the step creates appeared since the plan was made.
func (r *runner) checkBeforeCreates(ctx context.Context, names map[plan.Kind][]string) {
	for _, kind := range []plan.Kind{plan.KindGroup, plan.KindComponent} {
		if len(names[kind]) == 0 {
			continue
		}
		live, err := r.listKind(ctx, kind)
		if err != nil {
			r.stop(fmt.Sprintf("reading the %ss again before creating them failed: %v", kind, err), "")
			return
		}
		existing := r.existing(kind)
		wanted := byStoredName(names[kind])
		var found []string
		for _, o := range live {
			if n, ok := wanted[strings.TrimSpace(o.Name)]; !existing[o.ID] && ok {
				found = append(found, fmt.Sprintf("%s %q (id %d)", kind, n, o.ID))
			}
		}
		if len(found) > 0 {
			r.stop("conflict", fmt.Sprintf("%s was created since the plan was made, probably by another apply running on this page; "+
				"nothing more was started so as not to create it twice: plan again", strings.Join(found, ", ")))
			return
		}
	}
}

// removeOwnDuplicates finds the namesakes a concurrent run created of the
// objects this step created; where the other copy is older, it deletes
// this run's copy and stops the apply.
func (r *runner) removeOwnDuplicates(ctx context.Context, callCtx context.Context, names map[plan.Kind][]string) {
	for _, kind := range []plan.Kind{plan.KindGroup, plan.KindComponent} {
		if len(names[kind]) == 0 {
			continue
		}
		r.mu.Lock()
		created := map[string]int{}
		source := r.groupIDs
		if kind == plan.KindComponent {
			source = r.compIDs
		}
		for _, n := range names[kind] {
			if id, ok := source[n]; ok {
				created[n] = id
			}
		}
		r.mu.Unlock()
		if len(created) == 0 {
			continue
		}
		live, err := r.listKind(callCtx, kind)
		if err != nil {
			r.stop(fmt.Sprintf("reading the %ss again to look for duplicates failed: %v", kind, err), "")
			return
		}
		existing := r.existing(kind)
		fileNames := make([]string, 0, len(created))
		for n := range created {
			fileNames = append(fileNames, n)
		}
		wanted := byStoredName(fileNames)
		var lost, won []string
		for _, o := range live {
			n := wanted[strings.TrimSpace(o.Name)]
			mine, ok := created[n]
			if !ok || o.ID == mine || existing[o.ID] {
				continue
			}
			if o.ID > mine {
				won = append(won, fmt.Sprintf("%s %q (id %d, this run kept id %d)", kind, n, o.ID, mine))
				continue
			}
			err := r.ex.DeleteComponent(callCtx, mine)
			if kind == plan.KindGroup {
				err = r.ex.DeleteGroup(callCtx, mine)
			}
			what := fmt.Sprintf("%s %q was also created by another apply (id %d, first)", kind, n, o.ID)
			if err != nil {
				what += fmt.Sprintf("; removing this run's copy (id %d) failed: %v — delete it by hand", mine, err)
			} else {
				what += fmt.Sprintf("; this run removed its own copy (id %d)", mine)
			}
			lost = append(lost, what)
			r.mu.Lock()
			delete(source, n) // later operations must not use the removed copy
			r.mu.Unlock()
		}
		if len(won) > 0 {
			r.mu.Lock()
			r.result.Warnings = append(r.result.Warnings, "another apply ran at the same time and created duplicates of "+strings.Join(won, ", ")+
				"; that run removes its copies when it notices them (if it was stopped, delete them by hand)")
			r.mu.Unlock()
		}
		if len(lost) > 0 {
			r.stop("conflict", strings.Join(lost, "; ")+"; nothing more was started: plan again")
			return
		}
	}
}

// stop makes every operation not yet started be skipped: reason is what
// the skipped operations say, conflict (when not empty) what the apply
// reports as the conflict.
func (r *runner) stop(reason, conflict string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped == "" {
		r.stopped = reason
	}
	r.anyFailure = true
	if conflict != "" {
		r.result.Conflicts = append(r.result.Conflicts, conflict)
	}
}

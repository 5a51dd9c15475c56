package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cachetsync/cachetsync/plan"
)

// createAttempts bounds how often a create whose outcome was unknown is
// looked up and tried again.
const createAttempts = 3

// exec performs one operation and returns the id of the object it touched.
// Calls use ctx, which outlives an interrupt by the grace period; run is
// cancelled by the interrupt itself, after which no create is tried again.
func (r *runner) exec(ctx, run context.Context, op *plan.Op) (int, error) {
	switch op.Kind {
	case plan.KindGroup:
		return r.execGroup(ctx, run, op)
	case plan.KindComponent:
		return r.execComponent(ctx, run, op)
	case plan.KindSubscriber:
		return r.execSubscriber(ctx, run, op)
	}
	return 0, fmt.Errorf("unknown kind %q", op.Kind)
}

func (r *runner) execGroup(ctx, run context.Context, op *plan.Op) (int, error) {
	ex := r.ex
	switch op.Action {
	case plan.Create:
		id, err := createOnce(run, ex.OutcomeUnknown, func() (int, error) { return ex.CreateGroup(ctx, *op.Group) },
			func() (int, bool, error) {
				return findByName(ctx, ex, plan.KindGroup, op.Group.Name, r.existingGroups)
			})
		if err != nil {
			return 0, err
		}
		r.mu.Lock()
		r.groupIDs[op.Key] = id
		r.mu.Unlock()
		return id, nil
	case plan.Update:
		return op.ID, ex.UpdateGroup(ctx, op.ID, *op.Group)
	case plan.Delete:
		return op.ID, ex.DeleteGroup(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a group", op.Action)
}

// resolvedComponent is w with a group created by this run named by its id.
func (r *runner) resolvedComponent(w *plan.ComponentWrite) plan.ComponentWrite {
	out := *w
	if w.Group != "" {
		r.mu.Lock()
		id := r.groupIDs[w.Group]
		r.mu.Unlock()
		out.GroupID, out.Group = &id, ""
	}
	return out
}

func (r *runner) execComponent(ctx, run context.Context, op *plan.Op) (int, error) {
	ex := r.ex
	switch op.Action {
	case plan.Create:
		w := r.resolvedComponent(op.Component)
		id, err := createOnce(run, ex.OutcomeUnknown, func() (int, error) { return ex.CreateComponent(ctx, w) },
			func() (int, bool, error) {
				return findByName(ctx, ex, plan.KindComponent, *w.Name, r.existingComponents)
			})
		if err != nil {
			return 0, err
		}
		r.mu.Lock()
		r.compIDs[op.Key] = id
		r.mu.Unlock()
		return id, nil
	case plan.Update:
		return op.ID, ex.UpdateComponent(ctx, op.ID, r.resolvedComponent(op.Component))
	case plan.Delete:
		return op.ID, ex.DeleteComponent(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a component", op.Action)
}

// componentIDs are the components a subscriber subscribes to, components
// created by this run named by their ids; nil means every component.
func (r *runner) componentIDs(w *plan.SubscriberWrite) []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []int
	for _, ref := range w.Components {
		id := ref.ID
		if id == 0 {
			id = r.compIDs[ref.Name]
		}
		ids = append(ids, id)
	}
	return ids
}

func (r *runner) execSubscriber(ctx, run context.Context, op *plan.Op) (int, error) {
	ex := r.ex
	create := func() (int, error) {
		want := r.componentIDs(op.Subscriber)
		// A create of a known e-mail answers with the existing subscriber,
		// so after an unknown outcome a second create is the lookup.
		var have []int
		id, err := createOnce(run, ex.OutcomeUnknown, func() (int, error) {
			id, subscribed, err := ex.CreateSubscriber(ctx, op.Subscriber.Email, want)
			have = subscribed
			return id, err
		}, nil)
		if err != nil {
			return 0, err
		}
		if len(want) > 0 {
			have = slices.Clone(have)
			slices.Sort(have)
			w := slices.Clone(want)
			slices.Sort(w)
			if !slices.Equal(have, w) {
				return id, fmt.Errorf("subscriber %d already existed with other subscriptions; plan again", id)
			}
		}
		return id, nil
	}
	switch op.Action {
	case plan.Create:
		return create()
	case plan.Replace:
		if err := ex.DeleteSubscriber(ctx, op.ID); err != nil && !ex.NotFound(err) {
			return op.ID, err
		}
		id, err := create()
		if err != nil {
			return op.ID, fmt.Errorf("the subscriber was deleted, but creating it again failed (the next apply creates it): %w", err)
		}
		return id, nil
	case plan.Update:
		if op.Subscriber.InPlace {
			up, ok := ex.(SubscriberUpdater)
			if !ok {
				return op.ID, errors.New("this server cannot update a subscriber in place; plan again")
			}
			return op.ID, up.UpdateSubscriber(ctx, op.ID, r.componentIDs(op.Subscriber))
		}
		for _, id := range op.Subscriber.RemoveSubscriptions {
			if err := ex.DeleteSubscription(ctx, id); err != nil && !ex.NotFound(err) {
				return op.ID, err
			}
		}
		return op.ID, nil
	case plan.Delete:
		return op.ID, ex.DeleteSubscriber(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a subscriber", op.Action)
}

// findByName looks up the object a create with an unknown outcome may have
// made: one with the exact (trimmed) name that was not on the page when the
// plan was made.
func findByName(ctx context.Context, ex Executor, kind plan.Kind, name string, existing map[int]bool) (int, bool, error) {
	items, err := ex.Named(ctx, kind, name)
	if err != nil {
		return 0, false, err
	}
	for _, x := range items {
		if sameName(x.Name, name) && !existing[x.ID] {
			return x.ID, true, nil
		}
	}
	return 0, false, nil
}

// createOnce sends a create and makes sure it takes effect exactly once.
// When the outcome is unknown (a timeout, a dropped connection, a 5xx), the
// server may have created the object: it is looked up by its natural key
// before any new attempt (unknown tells such errors). A nil lookup means
// the create is idempotent.
// Once run is cancelled (an interrupt), no new attempt is made.
func createOnce[T any](run context.Context, unknown func(error) bool, create func() (T, error), lookup func() (T, bool, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		obj, err := create()
		if err == nil {
			return obj, nil
		}
		if !unknown(err) || run.Err() != nil {
			return zero, err
		}
		if lookup != nil {
			found, ok, lerr := lookup()
			if lerr != nil {
				return zero, fmt.Errorf("%w (and looking it up failed: %v)", err, lerr)
			}
			if ok {
				return found, nil
			}
		}
		if attempt == createAttempts {
			return zero, err
		}
	}
}

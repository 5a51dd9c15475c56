package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cachetsync/cachetsync/cachet"
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

func groupParams(w *plan.GroupWrite) cachet.GroupParams {
	return cachet.GroupParams{Name: cachet.Ptr(w.Name), Order: cachet.Ptr(w.Order), Collapsed: cachet.Ptr(w.Collapsed), Visible: cachet.Ptr(w.Visible)}
}

func (r *runner) execGroup(ctx, run context.Context, op *plan.Op) (int, error) {
	c := r.client
	switch op.Action {
	case plan.Create:
		g, err := createOnce(run, func() (cachet.ComponentGroup, error) { return c.Groups.Create(ctx, groupParams(op.Group)) },
			func() (cachet.ComponentGroup, bool, error) {
				return findByName(ctx, groupsNamed(c), op.Group.Name, r.existingGroups, groupIdent)
			})
		if err != nil {
			return 0, err
		}
		r.mu.Lock()
		r.groupIDs[op.Key] = g.ID
		r.mu.Unlock()
		return g.ID, nil
	case plan.Update:
		_, err := c.Groups.Update(ctx, op.ID, groupParams(op.Group))
		return op.ID, err
	case plan.Delete:
		return op.ID, c.Groups.Delete(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a group", op.Action)
}

func (r *runner) componentParams(w *plan.ComponentWrite) cachet.ComponentParams {
	p := cachet.ComponentParams{Name: w.Name, Description: w.Description, Link: w.Link, Status: w.Status,
		Order: w.Order, GroupID: w.GroupID, Enabled: w.Enabled, Tags: w.Tags, Meta: w.Meta}
	if w.Group != "" {
		r.mu.Lock()
		p.GroupID = cachet.Ptr(r.groupIDs[w.Group])
		r.mu.Unlock()
	}
	if w.Silent {
		p.Silent = cachet.Ptr(true)
	}
	return p
}

func (r *runner) execComponent(ctx, run context.Context, op *plan.Op) (int, error) {
	c := r.client
	switch op.Action {
	case plan.Create:
		params := r.componentParams(op.Component)
		comp, err := createOnce(run, func() (cachet.Component, error) { return c.Components.Create(ctx, params) },
			func() (cachet.Component, bool, error) {
				return findByName(ctx, componentsNamed(c), *params.Name, r.existingComponents, componentIdent)
			})
		if err != nil {
			return 0, err
		}
		r.mu.Lock()
		r.compIDs[op.Key] = comp.ID
		r.mu.Unlock()
		return comp.ID, nil
	case plan.Update:
		_, err := c.Components.Update(ctx, op.ID, r.componentParams(op.Component))
		return op.ID, err
	case plan.Delete:
		return op.ID, c.Components.Delete(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a component", op.Action)
}

func (r *runner) subscriberParams(w *plan.SubscriberWrite) cachet.SubscriberParams {
	p := cachet.SubscriberParams{Email: w.Email, Verify: cachet.Ptr(true)}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ref := range w.Components {
		id := ref.ID
		if id == 0 {
			id = r.compIDs[ref.Name]
		}
		p.Components = append(p.Components, id)
	}
	return p
}

func (r *runner) execSubscriber(ctx, run context.Context, op *plan.Op) (int, error) {
	c := r.client
	create := func() (int, error) {
		params := r.subscriberParams(op.Subscriber)
		// Cachet answers a create of a known e-mail with the existing
		// subscriber, so after an unknown outcome a second POST is the lookup.
		s, err := createOnce(run, func() (cachet.Subscriber, error) { return c.Subscribers.Create(ctx, params) }, nil)
		if err != nil {
			return 0, err
		}
		if want := params.Components; len(want) > 0 {
			have := s.ComponentIDs()
			slices.Sort(have)
			w := slices.Clone(want)
			slices.Sort(w)
			if !slices.Equal(have, w) {
				return s.ID, fmt.Errorf("subscriber %d already existed with other subscriptions; plan again", s.ID)
			}
		}
		return s.ID, nil
	}
	switch op.Action {
	case plan.Create:
		return create()
	case plan.Replace:
		if err := c.Subscribers.Delete(ctx, op.ID); err != nil && !errors.Is(err, cachet.ErrNotFound) {
			return op.ID, err
		}
		id, err := create()
		if err != nil {
			return op.ID, fmt.Errorf("the subscriber was deleted, but creating it again failed (the next apply creates it): %w", err)
		}
		return id, nil
	case plan.Update:
		for _, id := range op.Subscriber.RemoveSubscriptions {
			if err := c.Subscriptions.Delete(ctx, id); err != nil && !errors.Is(err, cachet.ErrNotFound) {
				return op.ID, err
			}
		}
		return op.ID, nil
	case plan.Delete:
		return op.ID, c.Subscribers.Delete(ctx, op.ID)
	}
	return 0, fmt.Errorf("cannot %s a subscriber", op.Action)
}

func groupIdent(g cachet.ComponentGroup) (int, string) { return g.ID, g.Name }
func componentIdent(c cachet.Component) (int, string)  { return c.ID, c.Name }

func groupsNamed(c *cachet.Client) func(context.Context, string) ([]cachet.ComponentGroup, error) {
	return func(ctx context.Context, name string) ([]cachet.ComponentGroup, error) {
		return c.Groups.Find(ctx, cachet.GroupFilter{Name: &name})
	}
}

func componentsNamed(c *cachet.Client) func(context.Context, string) ([]cachet.Component, error) {
	return func(ctx context.Context, name string) ([]cachet.Component, error) {
		return c.Components.Find(ctx, cachet.ComponentFilter{Name: &name})
	}
}

// findByName looks up the object a create with an unknown outcome may have
// made: one with the exact (trimmed) name that was not on the page when the
// plan was made.
func findByName[T any](ctx context.Context, find func(context.Context, string) ([]T, error), name string,
	existing map[int]bool, ident func(T) (int, string)) (T, bool, error) {
	var zero T
	items, err := find(ctx, name)
	if err != nil {
		return zero, false, err
	}
	for _, x := range items {
		if id, n := ident(x); sameName(n, name) && !existing[id] {
			return x, true, nil
		}
	}
	return zero, false, nil
}

// createOnce sends a create and makes sure it takes effect exactly once.
// When the outcome is unknown (a timeout, a dropped connection, a 5xx), the
// server may have created the object: it is looked up by its natural key
// before any new attempt. A nil lookup means the create is idempotent.
// Once run is cancelled (an interrupt), no new attempt is made.
func createOnce[T any](run context.Context, create func() (T, error), lookup func() (T, bool, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		obj, err := create()
		if err == nil {
			return obj, nil
		}
		if !cachet.IsAmbiguous(err) || run.Err() != nil {
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

package cachetv1

import (
	"context"
	"errors"
	"iter"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/plan"
)

// The methods below carry out single operations on API v1; together they
// implement apply.Executor. Payloads are built here from the plan's
// writes: v1 sends all four group fields (Cachet resets the omitted ones),
// a component's silent flag, and creates subscribers verified.

// CreateGroup creates a group and returns its id.
func (a *API) CreateGroup(ctx context.Context, w plan.GroupWrite) (int, error) {
	g, err := a.client.Groups.Create(ctx, groupParams(w))
	return g.ID, err
}

// UpdateGroup writes every field of group id.
func (a *API) UpdateGroup(ctx context.Context, id int, w plan.GroupWrite) error {
	_, err := a.client.Groups.Update(ctx, id, groupParams(w))
	return err
}

// DeleteGroup deletes group id.
func (a *API) DeleteGroup(ctx context.Context, id int) error { return a.client.Groups.Delete(ctx, id) }

// CreateComponent creates a component and returns its id; w.GroupID is
// already resolved (w.Group is ignored).
func (a *API) CreateComponent(ctx context.Context, w plan.ComponentWrite) (int, error) {
	c, err := a.client.Components.Create(ctx, componentParams(w))
	return c.ID, err
}

// UpdateComponent sends the fields set in w to component id.
func (a *API) UpdateComponent(ctx context.Context, id int, w plan.ComponentWrite) error {
	_, err := a.client.Components.Update(ctx, id, componentParams(w))
	return err
}

// DeleteComponent deletes component id.
func (a *API) DeleteComponent(ctx context.Context, id int) error {
	return a.client.Components.Delete(ctx, id)
}

// CreateSubscriber creates a verified subscriber to componentIDs (none:
// every component) and returns its id and the components it is subscribed
// to. Cachet answers a create of a known address with the existing
// subscriber, so the create is idempotent.
func (a *API) CreateSubscriber(ctx context.Context, email string, componentIDs []int) (int, []int, error) {
	s, err := a.client.Subscribers.Create(ctx, cachet.SubscriberParams{Email: email, Components: componentIDs, Verify: cachet.Ptr(true)})
	if err != nil {
		return 0, nil, err
	}
	return s.ID, s.ComponentIDs(), nil
}

// DeleteSubscriber deletes subscriber id with its subscriptions.
func (a *API) DeleteSubscriber(ctx context.Context, id int) error {
	return a.client.Subscribers.Delete(ctx, id)
}

// DeleteSubscription deletes one subscription (a subscriber's link to a
// component).
func (a *API) DeleteSubscription(ctx context.Context, id int) error {
	return a.client.Subscriptions.Delete(ctx, id)
}

// Named returns the groups or components (by kind) whose name is name, as
// Cachet's name filter finds them.
func (a *API) Named(ctx context.Context, kind plan.Kind, name string) ([]plan.Object, error) {
	if kind == plan.KindGroup {
		gs, err := a.client.Groups.Find(ctx, cachet.GroupFilter{Name: &name})
		return objects(gs, groupObject), err
	}
	cs, err := a.client.Components.Find(ctx, cachet.ComponentFilter{Name: &name})
	return objects(cs, componentObject), err
}

// All returns the id and name of every group or component (by kind),
// read in pages of 500.
func (a *API) All(ctx context.Context, kind plan.Kind) ([]plan.Object, error) {
	opts := cachet.ListOptions{PerPage: 500}
	if kind == plan.KindGroup {
		return collect(a.client.Groups.All(ctx, opts), groupObject)
	}
	return collect(a.client.Components.All(ctx, opts), componentObject)
}

// OutcomeUnknown reports whether err leaves a write's outcome unknown (a
// timeout, a dropped connection, a 5xx answer).
func (a *API) OutcomeUnknown(err error) bool { return cachet.IsAmbiguous(err) }

// NotFound reports whether err is a 404 answer.
func (a *API) NotFound(err error) bool { return errors.Is(err, cachet.ErrNotFound) }

// HTTPStatus returns the status of the error answer err carries, or 0 when
// the server did not answer.
func (a *API) HTTPStatus(err error) int {
	var apiErr *cachet.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func groupParams(w plan.GroupWrite) cachet.GroupParams {
	return cachet.GroupParams{Name: cachet.Ptr(w.Name), Order: cachet.Ptr(w.Order), Collapsed: cachet.Ptr(cachet.GroupCollapsed(w.Collapsed)), Visible: cachet.Ptr(cachet.GroupVisibility(w.Visible))}
}

func componentParams(w plan.ComponentWrite) cachet.ComponentParams {
	p := cachet.ComponentParams{Name: w.Name, Description: w.Description, Link: w.Link,
		Order: w.Order, GroupID: w.GroupID, Enabled: w.Enabled, Tags: w.Tags, Meta: w.Meta}
	if w.Status != nil {
		p.Status = cachet.Ptr(cachet.ComponentStatus(*w.Status))
	}
	if w.Silent {
		p.Silent = cachet.Ptr(true)
	}
	return p
}

func groupObject(g cachet.ComponentGroup) plan.Object { return plan.Object{ID: g.ID, Name: g.Name} }
func componentObject(c cachet.Component) plan.Object  { return plan.Object{ID: c.ID, Name: c.Name} }

func objects[T any](items []T, f func(T) plan.Object) []plan.Object {
	out := make([]plan.Object, len(items))
	for i, x := range items {
		out[i] = f(x)
	}
	return out
}

func collect[T any](seq iter.Seq2[T, error], f func(T) plan.Object) ([]plan.Object, error) {
	var out []plan.Object
	for x, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, f(x))
	}
	return out, nil
}

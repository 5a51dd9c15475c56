package cachetv3

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
)

// The methods below carry out single operations on Cachet 3.x; together
// they implement apply.Executor and apply.SubscriberUpdater (asserted in
// the tests: an adapter does not import its consumers). Payloads are
// built here from the plan's writes: a group's visible is a bool on input,
// the v1 status 0 (unknown) is sent as 5, there is no silent flag, and
// subscribers are created verified (no verification e-mail).

// errCannotUngroup is a component update that would ungroup a component,
// which Cachet 3.x refuses (component_group_id null or 0 is a 422).
var errCannotUngroup = errors.New("Cachet 3.x cannot ungroup a component: move it to another group, or delete its group")

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

// DeleteGroup deletes group id (Cachet ungroups its components).
func (a *API) DeleteGroup(ctx context.Context, id int) error { return a.client.Groups.Delete(ctx, id) }

// CreateComponent creates a component and returns its id.
func (a *API) CreateComponent(ctx context.Context, w plan.ComponentWrite) (int, error) {
	p, err := componentParams(w, false)
	if err != nil {
		return 0, err
	}
	c, err := a.client.Components.Create(ctx, p)
	return c.ID, err
}

// UpdateComponent sends the fields set in w to component id.
func (a *API) UpdateComponent(ctx context.Context, id int, w plan.ComponentWrite) error {
	p, err := componentParams(w, true)
	if err != nil {
		return err
	}
	_, err = a.client.Components.Update(ctx, id, p)
	return err
}

// DeleteComponent deletes component id.
func (a *API) DeleteComponent(ctx context.Context, id int) error {
	return a.client.Components.Delete(ctx, id)
}

// CreateSubscriber creates a verified subscriber to componentIDs (none: a
// global subscriber, notified of everything) and returns its id and the
// components it is subscribed to. Cachet answers a create of a known
// address with the existing subscriber (attaching the components again),
// which is then read back for its components.
func (a *API) CreateSubscriber(ctx context.Context, email string, componentIDs []int) (int, []int, error) {
	// Cachet makes a subscriber global unless told otherwise, even one
	// given components (core:src/Http/Controllers/Api/SubscriberController.php:63
	// passes $data->global ?? true), so the flag is always sent.
	p := cachet3.SubscriberParams{Email: &email, Verified: cachet3.Ptr(true), Global: cachet3.Ptr(len(componentIDs) == 0)}
	if len(componentIDs) > 0 {
		p.Components = &componentIDs
	}
	s, created, err := a.client.Subscribers.Create(ctx, p)
	if err != nil {
		return 0, nil, err
	}
	if created {
		return s.ID, componentIDs, nil
	}
	s, err = a.client.Subscribers.Get(ctx, s.ID)
	return s.ID, s.Components, err
}

// UpdateSubscriber sets the components subscriber id is subscribed to (an
// empty list clears them) and makes it non-global: a global subscriber
// (notified of everything, as created for a file entry without
// components) would otherwise receive more than the file's list
// (core:src/Actions/Subscriber/UpdateSubscriber.php:14-25 sets global and
// syncs the components).
func (a *API) UpdateSubscriber(ctx context.Context, id int, componentIDs []int) error {
	ids := append([]int{}, componentIDs...)
	p := cachet3.SubscriberParams{Components: &ids, Global: cachet3.Ptr(false)}
	_, err := a.client.Subscribers.Update(ctx, id, p)
	return err
}

// DeleteSubscriber deletes subscriber id with its subscriptions.
func (a *API) DeleteSubscriber(ctx context.Context, id int) error {
	return a.client.Subscribers.Delete(ctx, id)
}

// DeleteSubscription fails: Cachet 3.x has no subscription objects; plans
// for it update subscribers in place (plan.Capabilities.SubscribersInPlace).
func (a *API) DeleteSubscription(context.Context, int) error {
	return errors.New("Cachet 3.x has no subscriptions endpoint; plan again")
}

// Named returns the groups or components (by kind) whose name is name.
// Cachet 3.x's name filter matches parts of names, so the exact ones are
// picked from every object of the kind.
func (a *API) Named(ctx context.Context, kind plan.Kind, name string) ([]plan.Object, error) {
	all, err := a.All(ctx, kind)
	var out []plan.Object
	for _, o := range all {
		if strings.TrimSpace(o.Name) == strings.TrimSpace(name) {
			out = append(out, o)
		}
	}
	return out, err
}

// All returns the id and name of every group or component (by kind).
func (a *API) All(ctx context.Context, kind plan.Kind) ([]plan.Object, error) {
	var out []plan.Object
	if kind == plan.KindGroup {
		gs, _, err := a.client.Groups.All(ctx, cachet3.ListOptions{Include: []string{}})
		for _, g := range gs {
			out = append(out, plan.Object{ID: g.ID, Name: g.Name})
		}
		return out, err
	}
	cs, _, err := a.client.Components.All(ctx, cachet3.ListOptions{Include: []string{}})
	for _, c := range cs {
		out = append(out, plan.Object{ID: c.ID, Name: c.Name})
	}
	return out, err
}

// OutcomeUnknown reports whether err leaves a write's outcome unknown.
func (a *API) OutcomeUnknown(err error) bool { return cachet3.IsAmbiguous(err) }

// NotFound reports whether err is a 404 answer.
func (a *API) NotFound(err error) bool { return errors.Is(err, cachet3.ErrNotFound) }

// HTTPStatus returns the status of the error answer err carries, or 0.
func (a *API) HTTPStatus(err error) int {
	var apiErr *cachet3.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func groupParams(w plan.GroupWrite) cachet3.GroupParams {
	p := cachet3.GroupParams{Name: cachet3.Ptr(w.Name), Order: cachet3.Ptr(w.Order), Collapsed: cachet3.Ptr(int(w.Collapsed)),
		Visible: cachet3.Ptr(w.Visible == page.Public)}
	if w.OrderColumn != "" {
		p.OrderColumn = &w.OrderColumn
	}
	return p
}

// componentParams builds the payload of a create or (update) an update:
// group 0 is left out of a create (ungrouped) and refused on an update.
func componentParams(w plan.ComponentWrite, update bool) (cachet3.ComponentParams, error) {
	p := cachet3.ComponentParams{Name: w.Name, Description: w.Description, Link: w.Link, Order: w.Order, Enabled: w.Enabled}
	if w.GroupID != nil {
		switch {
		case *w.GroupID != 0:
			p.GroupID = w.GroupID
		case update:
			return p, errCannotUngroup
		}
	}
	if w.Status != nil {
		s := cachet3.ComponentStatus(*w.Status)
		if *w.Status == 0 {
			s = cachet3.StatusUnknown
		}
		p.Status = &s
	}
	if len(w.Tags) > 0 {
		return p, fmt.Errorf("Cachet 3.x has no tags")
	}
	if w.Meta != nil {
		p.Meta = cachet3.Meta(w.Meta)
	}
	return p, nil
}

package cachetv3

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/cachetsync/cachetsync/cachet/binput"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
)

// Version is the generation ReadLive records in plan.Live.Version.
const Version = "3"

// Capabilities is what a Cachet 3.x server can do, as far as
// plan.Capabilities describes it: groups can be hidden from guests and
// components carry meta; there are no tags. Texts are only trimmed
// (binput.V3: Laravel's TrimStrings), never cleaned as 2.x cleans them.
func Capabilities() plan.Capabilities {
	return plan.Capabilities{Server: "Cachet 3.x", GroupVisibility: true, ComponentMeta: true, NoTags: true,
		SubscribersInPlace: true, GlobalSubscribers: true, StatusWebhook: true, NoClearing: true, HiddenGroupsUnseen: true, ManualOrder: true, Input: binput.V3}
}

// API is the 3.x adapter for one page.
type API struct {
	client *cachet3.Client
}

// New returns the adapter speaking to the page behind c.
func New(c *cachet3.Client) *API { return &API{client: c} }

// Client returns the client the adapter talks through.
func (a *API) Client() *cachet3.Client { return a.client }

var _ plan.Reader = (*API)(nil)

// ReadLive reads every group, component (disabled ones included) and,
// unless skipSubscribers, subscriber of the page. A bad token never fails
// a 3.x read (the server answers with the guest view), so the token is
// checked first and nothing is read unless it is good. The three lists
// are then read at once, each by cachet3's concurrent paging, which
// verifies its page boundaries: a list edited while read is read again,
// and one that cannot be read whole is an error.
func (a *API) ReadLive(ctx context.Context, skipSubscribers bool) (*plan.Live, error) {
	if err := a.checkReadAbilities(ctx, skipSubscribers); err != nil {
		return nil, err
	}
	var (
		groups []cachet3.Group
		comps  []cachet3.Component
		subs   []cachet3.Subscriber
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		groups, _, err = a.client.Groups.All(gctx, cachet3.ListOptions{Include: []string{}})
		return wrap("component groups", err)
	})
	g.Go(func() (err error) {
		comps, _, err = a.client.Components.All(gctx, cachet3.ListOptions{})
		return wrap("components", err)
	})
	if !skipSubscribers {
		g.Go(func() (err error) {
			subs, _, err = a.client.Subscribers.All(gctx, cachet3.ListOptions{Include: []string{"components"},
				Fields: map[string][]string{"subscribers": subscriberAttributes}})
			return wrap("subscribers", err)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	caps := Capabilities()
	live := &plan.Live{Complete: true, SkippedSubscribers: skipSubscribers, Version: Version, Caps: &caps}
	live.Groups = make([]plan.Group, len(groups))
	for i, x := range groups {
		live.Groups[i] = liveGroup(x)
	}
	live.Components = make([]plan.Component, len(comps))
	for i, x := range comps {
		live.Components[i] = liveComponent(x)
	}
	live.Subscribers = make([]plan.Subscriber, len(subs))
	for i, x := range subs {
		live.Subscribers[i] = liveSubscriber(x)
	}
	return live, nil
}

func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

// liveGroup converts a 3.x group: visible and collapsed share page's values.
func liveGroup(g cachet3.Group) plan.Group {
	return plan.Group{ID: g.ID, Name: g.Name, Order: g.Order, Collapsed: page.Collapsed(g.Collapsed),
		Visible: page.Visibility(g.Visible), HasVisibility: true, OrderColumn: g.OrderColumn}
}

// liveComponent converts a 3.x component (see the package doc for status).
func liveComponent(c cachet3.Component) plan.Component {
	meta := make(map[string]any, len(c.Meta))
	for k, v := range c.Meta {
		meta[k] = v
	}
	order := 0
	if c.Order != nil {
		order = *c.Order
	}
	return plan.Component{ID: c.ID, Name: c.Name, Description: c.Description, Link: c.Link, Status: liveStatus(c.Status),
		Order: order, GroupID: c.GroupID, Enabled: c.Enabled, Meta: meta}
}

// liveStatus maps ComponentStatusEnum (core:src/Enums/ComponentStatusEnum.php)
// to page's: 1..4 are the same, 5 unknown is page's 0, and 6 under
// maintenance has no page value and stays 6.
func liveStatus(s cachet3.ComponentStatus) page.Status {
	if s == cachet3.StatusUnknown {
		return page.StatusUnknown
	}
	return page.Status(s)
}

// liveSubscriber converts a 3.x subscriber; its subscriptions are its
// component ids (3.x gives them no ids of their own).
func liveSubscriber(s cachet3.Subscriber) plan.Subscriber {
	out := plan.Subscriber{ID: s.ID, Email: s.Email, Verified: s.Verified, Global: s.Global}
	if len(s.Components) > 0 {
		out.Subscriptions = make([]plan.Subscription, len(s.Components))
		for i, id := range s.Components {
			out.Subscriptions[i] = plan.Subscription{ComponentID: id}
		}
	}
	return out
}

package cachetv1

import (
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
)

// The conversions from API v1 objects to the planner's model. The v1
// enums number statuses, collapse modes and visibilities as package page
// does.

func liveGroups(in []cachet.ComponentGroup) []plan.Group {
	out := make([]plan.Group, len(in))
	for i, g := range in {
		out[i] = plan.Group{ID: g.ID, Name: g.Name, Order: g.Order, Collapsed: page.Collapsed(g.Collapsed),
			Visible: page.Visibility(g.Visible), HasVisibility: g.HasVisibility}
	}
	return out
}

func liveComponents(in []cachet.Component) []plan.Component {
	out := make([]plan.Component, len(in))
	for i, c := range in {
		out[i] = plan.Component{ID: c.ID, Name: c.Name, Description: c.Description, Link: c.Link,
			Status: page.Status(c.Status), Order: c.Order, GroupID: c.GroupID, Enabled: c.Enabled,
			Meta: map[string]any(c.Meta)}
		if len(c.Tags) > 0 {
			out[i].Tags = c.Tags.Names()
		}
	}
	return out
}

// liveSubscribers converts a subscriber list, all subscriptions in one
// allocation: a page of 100,000 subscribers is otherwise 100,000 slices.
func liveSubscribers(in []cachet.Subscriber) []plan.Subscriber {
	n := 0
	for _, s := range in {
		n += len(s.Subscriptions)
	}
	subs := make([]plan.Subscription, n)
	out := make([]plan.Subscriber, len(in))
	for i, s := range in {
		own := subs[:len(s.Subscriptions):len(s.Subscriptions)]
		subs = subs[len(s.Subscriptions):]
		for j, sub := range s.Subscriptions {
			own[j] = plan.Subscription{ID: sub.ID, ComponentID: sub.ComponentID}
		}
		out[i] = plan.Subscriber{ID: s.ID, Email: s.Email, Verified: s.Verified, Global: s.Global, Subscriptions: own}
	}
	return out
}

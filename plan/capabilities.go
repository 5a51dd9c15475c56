package plan

import "github.com/cachetsync/cachetsync/cachet/binput"

// Capabilities describe what the server behind a Live can do, in terms of
// the page rather than of an API version. The adapter that reads the page
// fills them (cachetv1.Capabilities for Cachet 2.3 and 2.4); Compute
// consults them wherever servers differ, never a version string.
type Capabilities struct {
	// Server names the server in plan warnings, e.g. "Cachet 2.3".
	Server string
	// GroupVisibility: groups can be hidden from guests (visible: false).
	GroupVisibility bool
	// ComponentMeta: components carry a free-form meta object.
	ComponentMeta bool
	// UpdateResetsOmitted: a component update resets status and enabled
	// unless both are sent, so every update carries them.
	UpdateResetsOmitted bool
	// DropsTagZero: the server drops a tag named "0" (PHP's filter()).
	DropsTagZero bool
	// NoTags: components have no tags (Cachet 3.x); a file declaring
	// tags is a validation error at the component's position.
	NoTags bool
	// SubscribersInPlace: a subscriber's components can be set by an
	// update (Cachet 3.x), instead of deleting subscriptions or deleting
	// and re-creating the subscriber.
	SubscribersInPlace bool
	// StatusWebhook: a status change cannot be silent and fires a
	// webhook (Cachet 3.x has no silent flag); the plan warns.
	StatusWebhook bool
	// NoClearing: a component cannot be ungrouped and its description and
	// link cannot be cleared (Cachet 3.x answers 422); the plan warns,
	// naming the file position, and sends nothing for them.
	NoClearing bool
	// HiddenGroupsUnseen: groups hidden in the dashboard are invisible to
	// the API (Cachet 3.x, visible=2), so a group the page seems to lack
	// may exist hidden; the plan warns on every group it creates.
	HiddenGroupsUnseen bool
	// ManualOrder: the page shows a group's components in their order
	// only when the group's order_column is "manual" (Cachet 3.x; by
	// status otherwise); the plan sets it on the groups whose components
	// the file lists (Group.OrderColumn holds the live value).
	ManualOrder bool
	// GlobalSubscribers: a subscriber's global flag (notified of every
	// component, whatever its subscriptions) is read and can be cleared
	// (Cachet 3.x). A subscriber the file gives components is made
	// non-global, so that what it receives is the file's list; the plan
	// shows the change. (Cachet 2.4 sets the flag on every subscriber its
	// API creates and has no way to clear it.)
	GlobalSubscribers bool
	// Input is the server's input filter: what it stores of a string.
	Input binput.Version
}

// DefaultCapabilities are what a Live without Caps (one built by hand, as
// in tests) is planned with: those of Cachet 2.4.
var DefaultCapabilities = Capabilities{Server: "Cachet 2.4", GroupVisibility: true, ComponentMeta: true,
	DropsTagZero: true, Input: binput.V24}

// Capabilities returns l.Caps, or DefaultCapabilities when l has none.
func (l *Live) Capabilities() Capabilities {
	if l.Caps != nil {
		return *l.Caps
	}
	return DefaultCapabilities
}

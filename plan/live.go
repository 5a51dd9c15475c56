package plan

import "github.com/cachetsync/cachetsync/page"

// Live is the state of a Cachet page as read through the API.
type Live struct {
	Groups      []Group
	Components  []Component
	Subscribers []Subscriber
	// Complete is true when every list was read whole: the objects read add
	// up to the totals the server reported. A Reader never returns an
	// incomplete Live (cachetv1.ReadLive fails with an *IncompleteError
	// instead); a Live built otherwise may be. Otherwise no object of a torn
	// kind is created, deleted or re-created: a missed object would be
	// duplicated, and an undercount could delete the wrong one.
	Complete bool
	// Incomplete says, per kind, why Complete is false. When Complete is
	// false and no kind is named, every kind counts as torn.
	Incomplete map[Kind]string
	// Version is the Cachet generation, "2.4" or "2.3": a label for
	// people and for export; Compute reads Caps.
	Version string
	// Caps is what the server can do, filled by the adapter that read the
	// page; nil: DefaultCapabilities.
	Caps *Capabilities
	// SkippedSubscribers is true when subscribers were not read.
	SkippedSubscribers bool
}

// Group is a live component group, whatever the API that read it.
type Group struct {
	ID        int
	Name      string // as the server stores it
	Order     int
	Collapsed page.Collapsed
	Visible   page.Visibility
	// HasVisibility is false when the server did not say (Cachet 2.3 has
	// no visibility): Visible means nothing then.
	HasVisibility bool
	// OrderColumn is the group's order_column where the server has one
	// (Cachet 3.x; see Capabilities.ManualOrder), "" otherwise.
	OrderColumn string
}

// Component is a live component.
type Component struct {
	ID          int
	Name        string
	Description string
	Link        string
	Status      page.Status
	Order       int
	GroupID     int // 0: in no group
	Enabled     bool
	// Tags are the names of the component's tags, sorted; nil on a
	// server without tags.
	Tags []string
	// Meta is the component's meta object; nil or empty when it has none.
	Meta map[string]any
}

// Subscriber is a live subscriber and the components it is subscribed to.
type Subscriber struct {
	ID       int
	Email    string
	Verified bool
	// Global: notified of changes to every component, whatever its
	// subscriptions (Cachet 2.4 sets it on every subscriber its API
	// creates and cannot change it; Cachet 3.x can).
	Global        bool
	Subscriptions []Subscription
}

// Subscription is one component a subscriber is subscribed to. ID is the
// subscription's own id where the server has one (API v1), 0 otherwise.
type Subscription struct {
	ID          int
	ComponentID int
}

// ComponentIDs returns the ids of the components s is subscribed to, in
// the order read.
func (s *Subscriber) ComponentIDs() []int {
	ids := make([]int, len(s.Subscriptions))
	for i, sub := range s.Subscriptions {
		ids[i] = sub.ComponentID
	}
	return ids
}

func ptr[T any](v T) *T { return &v }

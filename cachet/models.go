package cachet

import (
	"slices"
	"strings"
	"time"
)

// Component is a Cachet component as the API returns it.
type Component struct {
	ID          int
	Name        string
	Description string
	Link        string
	Status      ComponentStatus
	StatusName  string
	Order       int
	GroupID     int // 0 means ungrouped
	Enabled     bool
	// Meta is the component's JSON meta (Cachet 2.4). It is nil when the
	// server sent no meta key at all (Cachet 2.3), and an empty map when it
	// sent null or [].
	Meta      Meta
	Tags      Tags
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ComponentParams are the fields of a component create or update. A nil
// pointer (or nil map/slice) is not sent; a pointer to a zero value is sent,
// so a component can be disabled, ungrouped (GroupID 0) or put at order 0.
type ComponentParams struct {
	Name        *string
	Description *string
	Link        *string
	Status      *ComponentStatus
	Order       *int
	GroupID     *int
	Enabled     *bool
	Meta        Meta     // nil: not sent
	Tags        []string // tag names; nil: not sent. Cachet cannot clear tags.
	Silent      *bool    // update only: suppress subscriber notifications
}

// ComponentGroup is a Cachet component group.
type ComponentGroup struct {
	ID        int
	Name      string
	Order     int
	Collapsed GroupCollapsed
	// Visible is who may see the group. Cachet 2.3 has no such field; it
	// then reads as GroupPublic and HasVisibility is false.
	Visible       GroupVisibility
	HasVisibility bool
	// EnabledComponents are the enabled members ordered by order; absent on
	// a create response.
	EnabledComponents []Component
	// EnabledComponentsLowest are the same members, worst status first.
	EnabledComponentsLowest []Component
	LowestHumanStatus       string // "" when the group has no enabled component
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// GroupParams are the fields of a group create (Name required) or update.
// A nil pointer is not sent on create (Cachet's defaults: order 0, open,
// and on 2.4 visible to logged-in users only) and keeps the group's value
// on update (see GroupsService.Update).
type GroupParams struct {
	Name      *string
	Order     *int
	Collapsed *GroupCollapsed
	// Visible is who may see the group (Cachet 2.4; 2.3 ignores it).
	Visible *GroupVisibility
}

// Subscriber is an e-mail subscriber and its subscriptions.
type Subscriber struct {
	ID         int
	Email      string
	VerifyCode string
	// Verified reports whether the subscriber confirmed the address (or
	// was created verified). Cachet's API has no such field and renders
	// verified_at of an unverified subscriber as the time of the request
	// (app/Presenters/SubscriberPresenter.php:30 formats a null date as
	// now), while a verified one shows the date of verification at
	// 00:00:00 (app/Models/Subscriber.php:46 casts the column to a date). The client reads a time of day of exactly 00:00:00 as
	// verified; an unverified subscriber read in the very second of
	// midnight (UTC) is mistaken for a verified one.
	Verified bool
	// VerifiedAt is the day of verification (midnight UTC), zero when
	// Verified is false.
	VerifiedAt      time.Time
	Global          bool
	PhoneNumber     string
	SlackWebhookURL string
	Subscriptions   []Subscription
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ComponentIDs returns the ids of the components the subscriber is subscribed to.
func (s Subscriber) ComponentIDs() []int {
	ids := make([]int, 0, len(s.Subscriptions))
	for _, sub := range s.Subscriptions {
		ids = append(ids, sub.ComponentID)
	}
	return ids
}

// Subscription ties a subscriber to one component.
type Subscription struct {
	ID           int
	SubscriberID int
	ComponentID  int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SubscriberParams create a subscriber. Empty Components subscribes to every
// component.
type SubscriberParams struct {
	Email      string
	Components []int
	// Verify nil or true creates the subscriber verified, with no e-mail.
	// Ptr(false) leaves it unverified and makes Cachet e-mail it a link to
	// confirm the address (Cachet's own default when verify is omitted).
	Verify *bool
}

// Meta is a component's free-form JSON meta.
type Meta map[string]any

// Tags is a component's set of tags, keyed by slug with the display name as value.
type Tags map[string]string

// Add puts a tag name in the set.
func (t *Tags) Add(name string) {
	if *t == nil {
		*t = Tags{}
	}
	(*t)[Slug(name)] = strings.TrimSpace(name)
}

// Has reports whether a tag with this name (by slug) is in the set.
func (t Tags) Has(name string) bool { _, ok := t[Slug(name)]; return ok }

// Remove takes a tag name out of the set.
func (t Tags) Remove(name string) { delete(t, Slug(name)) }

// Names returns the tag names, sorted.
func (t Tags) Names() []string {
	names := make([]string, 0, len(t))
	for _, n := range t {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Pagination is the meta.pagination block of a list response.
type Pagination struct {
	Total        int
	Count        int
	PerPage      int
	CurrentPage  int
	TotalPages   int
	NextPage     string // "" on the last page
	PreviousPage string // "" on the first page
}

// Page is one page of a list and its pagination.
type Page[T any] struct {
	Items      []T
	Pagination Pagination
}

// Ptr returns a pointer to v, for the optional fields of params and filter
// structs: Ptr(cachet.StatusMajorOutage), Ptr(false), Ptr("API").
func Ptr[T any](v T) *T { return &v }

// String returns a pointer to s (Ptr for strings).
func String(s string) *string { return &s }

// Int returns a pointer to n (Ptr for ints).
func Int(n int) *int { return &n }

// Bool returns a pointer to b (Ptr for booleans).
func Bool(b bool) *bool { return &b }

// SameMinute reports whether a and b fall in the same minute. Cachet reads
// incident occurred_at and schedule scheduled_at and completed_at as
// "Y-m-d H:i" and stores them with 0 seconds, so a time written with
// seconds reads back different: compare such values with SameMinute, not
// Equal.
func SameMinute(a, b time.Time) bool {
	return a.Truncate(time.Minute).Equal(b.Truncate(time.Minute))
}

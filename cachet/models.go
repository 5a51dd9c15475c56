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

// GroupParams are the fields of a group create or update. All four are always
// sent, because Cachet resets order and visible when they are omitted.
type GroupParams struct {
	Name      string
	Order     int
	Collapsed GroupCollapsed
	Visible   GroupVisibility
}

// Subscriber is an e-mail subscriber and its subscriptions.
type Subscriber struct {
	ID              int
	Email           string
	VerifyCode      string
	VerifiedAt      time.Time // Cachet renders this as a human date, never null
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
// component; Verify marks the subscriber verified and skips the e-mail.
type SubscriberParams struct {
	Email      string
	Components []int
	Verify     bool
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

// ListOptions select one page of a list. Zero values use Cachet's defaults,
// except Sort, which defaults to "id" so that paging is deterministic.
type ListOptions struct {
	Page    int
	PerPage int
	Sort    string
	// Order is sent as given; Cachet ignores it everywhere but 2.4 groups.
	Order string
	// Filters are exact-match query parameters (e.g. name=API). Cachet
	// answers 500 when a filter meets page, so List refuses Page > 1 with
	// filters and All reads a filtered list as a single page.
	Filters map[string]string
}

// Ptr returns a pointer to v, for the optional fields of params structs.
func Ptr[T any](v T) *T { return &v }

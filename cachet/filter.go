package cachet

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/cachetsync/cachetsync/cachet/binput"
)

// Cachet filters a list by every query parameter but sort, order and
// per_page, as a database column, as soon as one of them is a column the
// model lists as searchable (app/Models/Traits/SearchableTrait.php,
// scopeSearch; called by the index actions of the component, group and
// incident API controllers only). So a key that
// is not searchable alone is ignored (the whole list comes back), an
// unknown column next to a searchable one is a 500, and booleans must be
// sent as 1 or 0. The filter structs below hold only searchable columns,
// send booleans as 1 or 0, and Find checks every item of the answer against
// the filter, so a result never holds an item that does not match.

// ErrEmptyFilter is returned by Find for a filter without any condition,
// which would match everything (use All to read everything).
var ErrEmptyFilter = errors.New("cachet: the filter sets no condition and would match everything (use All to read every item)")

// ComponentFilter selects components. Its fields are the searchable
// columns of Cachet's Component model (app/Models/Component.php:100 on
// 2.4, :86 on 2.3.18: id, name, status, order, group_id, enabled; an id
// filter is Get).
// A nil field is no condition; the conditions set must all hold.
type ComponentFilter struct {
	// Name matches case-insensitively, as the database compares.
	Name    *string
	Status  *ComponentStatus
	Order   *int
	GroupID *int // 0 selects ungrouped components
	Enabled *bool
}

func (f ComponentFilter) values() (url.Values, error) {
	q := url.Values{}
	setStr(q, "name", f.Name)
	setInt(q, "status", (*int)(f.Status))
	setInt(q, "order", f.Order)
	setInt(q, "group_id", f.GroupID)
	setBool(q, "enabled", f.Enabled)
	return q, nonEmpty(q)
}

func (f ComponentFilter) match(c Component) bool {
	return eqStr(f.Name, c.Name) && eq(f.Status, c.Status) && eq(f.Order, c.Order) &&
		eq(f.GroupID, c.GroupID) && eq(f.Enabled, c.Enabled)
}

// GroupFilter selects component groups. Its fields are the searchable
// columns of Cachet's ComponentGroup model (app/Models/ComponentGroup.php:94
// on 2.4: id, name, order, collapsed, visible; :69 on 2.3.18: the same
// without visible). A nil field is no condition.
type GroupFilter struct {
	Name      *string // case-insensitive
	Order     *int
	Collapsed *GroupCollapsed
	// Visible is Cachet 2.4 only: 2.3 has no such column and answers 500.
	// Find refuses it before any request once the client knows the server
	// runs 2.3 (see Client.ServerVersion).
	Visible *GroupVisibility
}

func (f GroupFilter) values() (url.Values, error) {
	q := url.Values{}
	setStr(q, "name", f.Name)
	setInt(q, "order", f.Order)
	setInt(q, "collapsed", (*int)(f.Collapsed))
	setInt(q, "visible", (*int)(f.Visible))
	return q, nonEmpty(q)
}

func (f GroupFilter) match(g ComponentGroup) bool {
	return eqStr(f.Name, g.Name) && eq(f.Order, g.Order) && eq(f.Collapsed, g.Collapsed) && eq(f.Visible, g.Visible)
}

// IncidentFilter selects incidents. Its fields are the searchable columns
// of Cachet's Incident model (app/Models/Incident.php:144 on 2.4: id,
// user_id, component_id, name, status, visible, stickied; :73 on 2.3.18:
// id, component_id, name, status, visible). A nil field is no condition.
//
// On 2.3, a filter holding only 2.4 columns is ignored by the server, which
// then returns every incident; Find still returns only the matching ones,
// but reads them all to find them.
type IncidentFilter struct {
	Name        *string // case-insensitive
	Status      *IncidentStatus
	ComponentID *int
	Visible     *bool
	Stickied    *bool // 2.4
	UserID      *int  // 2.4
}

func (f IncidentFilter) values() (url.Values, error) {
	q := url.Values{}
	setStr(q, "name", f.Name)
	setInt(q, "status", (*int)(f.Status))
	setInt(q, "component_id", f.ComponentID)
	setBool(q, "visible", f.Visible)
	setBool(q, "stickied", f.Stickied)
	setInt(q, "user_id", f.UserID)
	return q, nonEmpty(q)
}

func (f IncidentFilter) match(in Incident) bool {
	return eqStr(f.Name, in.Name) && eq(f.Status, in.Status) && eq(f.ComponentID, in.ComponentID) &&
		eq(f.Visible, in.Visible) && eq(f.Stickied, in.Stickied) && eq(f.UserID, in.UserID)
}

func setStr(q url.Values, k string, v *string) {
	if v != nil {
		q.Set(k, *v)
	}
}

func setInt(q url.Values, k string, v *int) {
	if v != nil {
		q.Set(k, strconv.Itoa(*v))
	}
}

// setBool sends a boolean as Cachet's tinyint columns compare it: "true"
// would read as 0 and match the false rows.
func setBool(q url.Values, k string, v *bool) {
	if v != nil {
		q.Set(k, strconv.Itoa(boolInt(*v)))
	}
}

func nonEmpty(q url.Values) error {
	if len(q) == 0 {
		return ErrEmptyFilter
	}
	return nil
}

func eq[T comparable](want *T, have T) bool { return want == nil || *want == have }

// eqStr compares as the database does: case-insensitively, trailing spaces
// ignored (input is trimmed on the way in anyway).
func eqStr(want *string, have string) bool {
	if want == nil {
		return true
	}
	// Cachet cleans the filter value as it cleaned the stored one
	// (Binput::except, package binput): "a<b" finds "a&lt;b".
	have = strings.TrimRight(have, " ")
	return strings.EqualFold(strings.TrimSpace(*want), have) || strings.EqualFold(binput.V24.Clean(*want), have) ||
		strings.EqualFold(binput.V23.Clean(*want), have)
}

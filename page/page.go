// Package page is the vocabulary of a status page that the file (package
// spec), the planner (package plan) and every API adapter share, whatever
// the version of Cachet behind it: a component's status, how a group is
// shown, and who may see it. Each adapter maps its API's values to these;
// the numbers happen to be those of Cachet's API v1, so saved plans keep
// their meaning.
package page

import "github.com/cachetsync/cachetsync/internal/enum"

// Status is the operational state of a component.
type Status int

// Component statuses.
const (
	StatusUnknown           Status = 0
	StatusOperational       Status = 1
	StatusPerformanceIssues Status = 2
	StatusPartialOutage     Status = 3
	StatusMajorOutage       Status = 4
)

var statusNames = []string{"unknown", "operational", "performance-issues", "partial-outage", "major-outage"}

// String returns the name the file uses, e.g. "major-outage".
func (s Status) String() string { return enum.Name(statusNames, int(s)) }

// ParseStatus accepts a name ("partial-outage", "Partial Outage") or a
// number ("3").
func ParseStatus(s string) (Status, error) {
	n, err := enum.Parse("component status", s, statusNames)
	return Status(n), err
}

// StatusNames lists the status names in numeric order.
func StatusNames() []string { return append([]string(nil), statusNames...) }

// Collapsed says how a group is shown on the page.
type Collapsed int

// Group collapse modes.
const (
	Open                    Collapsed = 0
	CollapsedAlways         Collapsed = 1
	CollapsedUnlessIncident Collapsed = 2
)

var collapsedNames = []string{"open", "collapsed", "collapsed-unless-incident"}

// String returns the name the file uses, e.g. "collapsed-unless-incident".
func (c Collapsed) String() string { return enum.Name(collapsedNames, int(c)) }

// ParseCollapsed accepts a name or a number.
func ParseCollapsed(s string) (Collapsed, error) {
	n, err := enum.Parse("collapsed value", s, collapsedNames)
	return Collapsed(n), err
}

// CollapsedNames lists the collapse mode names in numeric order.
func CollapsedNames() []string { return append([]string(nil), collapsedNames...) }

// Visibility says who can see a group.
type Visibility int

// Group visibilities.
const (
	LoggedInOnly Visibility = 0
	Public       Visibility = 1
)

// String returns "public" or "logged-in".
func (v Visibility) String() string { return enum.Name([]string{"logged-in", "public"}, int(v)) }

// VisibleIf returns Public when public is true, LoggedInOnly otherwise.
func VisibleIf(public bool) Visibility {
	if public {
		return Public
	}
	return LoggedInOnly
}

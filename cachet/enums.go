package cachet

import (
	"strings"

	"github.com/cachetsync/cachetsync/internal/enum"
)

// ComponentStatus is the operational state of a component (0–4).
type ComponentStatus int

// Component statuses as Cachet numbers them.
const (
	StatusUnknown           ComponentStatus = 0
	StatusOperational       ComponentStatus = 1
	StatusPerformanceIssues ComponentStatus = 2
	StatusPartialOutage     ComponentStatus = 3
	StatusMajorOutage       ComponentStatus = 4
)

var componentStatusNames = []string{"unknown", "operational", "performance-issues", "partial-outage", "major-outage"}
var componentStatusHuman = []string{"Unknown", "Operational", "Performance Issues", "Partial Outage", "Major Outage"}

// String returns the machine name, e.g. "major-outage".
func (s ComponentStatus) String() string { return enum.Name(componentStatusNames, int(s)) }

// Human returns Cachet's English label, e.g. "Major Outage".
func (s ComponentStatus) Human() string { return enum.Name(componentStatusHuman, int(s)) }

// ParseComponentStatus accepts a name ("partial-outage", "Partial Outage") or a number ("3").
func ParseComponentStatus(s string) (ComponentStatus, error) {
	n, err := enum.Parse("component status", s, componentStatusNames)
	return ComponentStatus(n), err
}

// ComponentStatusNames lists the accepted names in numeric order.
func ComponentStatusNames() []string { return append([]string(nil), componentStatusNames...) }

// GroupCollapsed says how a component group is shown on the page (0–2).
type GroupCollapsed int

// Group collapse modes.
const (
	GroupOpen                    GroupCollapsed = 0
	GroupCollapsedAlways         GroupCollapsed = 1
	GroupCollapsedUnlessIncident GroupCollapsed = 2
)

var groupCollapsedNames = []string{"open", "collapsed", "collapsed-unless-incident"}

// String returns the machine name, e.g. "collapsed-unless-incident".
func (c GroupCollapsed) String() string { return enum.Name(groupCollapsedNames, int(c)) }

// ParseGroupCollapsed accepts a name or a number.
func ParseGroupCollapsed(s string) (GroupCollapsed, error) {
	n, err := enum.Parse("collapsed value", s, groupCollapsedNames)
	return GroupCollapsed(n), err
}

// GroupCollapsedNames lists the accepted names in numeric order.
func GroupCollapsedNames() []string { return append([]string(nil), groupCollapsedNames...) }

// GroupVisibility says who can see a component group (Cachet 2.4).
type GroupVisibility int

// Group visibilities.
const (
	GroupLoggedInOnly GroupVisibility = 0
	GroupPublic       GroupVisibility = 1
)

var groupVisibilityNames = []string{"logged-in", "public"}

// String returns "public" or "logged-in".
func (v GroupVisibility) String() string { return enum.Name(groupVisibilityNames, int(v)) }

// ParseGroupVisibility accepts "public", "logged-in", "true", "false", "1" or "0".
func ParseGroupVisibility(s string) (GroupVisibility, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return GroupPublic, nil
	case "false":
		return GroupLoggedInOnly, nil
	}
	n, err := enum.Parse("group visibility", s, groupVisibilityNames)
	return GroupVisibility(n), err
}

// IncidentStatus is the state of an incident or incident update (0–4).
type IncidentStatus int

// Incident statuses.
const (
	IncidentScheduled     IncidentStatus = 0
	IncidentInvestigating IncidentStatus = 1
	IncidentIdentified    IncidentStatus = 2
	IncidentWatching      IncidentStatus = 3
	IncidentFixed         IncidentStatus = 4
)

var incidentStatusNames = []string{"scheduled", "investigating", "identified", "watching", "fixed"}
var incidentStatusHuman = []string{"Scheduled", "Investigating", "Identified", "Watching", "Fixed"}

// String returns the machine name, e.g. "investigating".
func (s IncidentStatus) String() string { return enum.Name(incidentStatusNames, int(s)) }

// Human returns the English label, e.g. "Investigating".
func (s IncidentStatus) Human() string { return enum.Name(incidentStatusHuman, int(s)) }

// ParseIncidentStatus accepts a name or a number.
func ParseIncidentStatus(s string) (IncidentStatus, error) {
	n, err := enum.Parse("incident status", s, incidentStatusNames)
	return IncidentStatus(n), err
}

// ScheduleStatus is the state of a maintenance schedule (0–2).
type ScheduleStatus int

// Schedule statuses.
const (
	ScheduleUpcoming   ScheduleStatus = 0
	ScheduleInProgress ScheduleStatus = 1
	ScheduleComplete   ScheduleStatus = 2
)

var scheduleStatusNames = []string{"upcoming", "in-progress", "complete"}
var scheduleStatusHuman = []string{"Upcoming", "In Progress", "Complete"}

// String returns the machine name, e.g. "in-progress".
func (s ScheduleStatus) String() string { return enum.Name(scheduleStatusNames, int(s)) }

// Human returns the English label, e.g. "In Progress".
func (s ScheduleStatus) Human() string { return enum.Name(scheduleStatusHuman, int(s)) }

// ParseScheduleStatus accepts a name or a number.
func ParseScheduleStatus(s string) (ScheduleStatus, error) {
	n, err := enum.Parse("schedule status", s, scheduleStatusNames)
	return ScheduleStatus(n), err
}

// MetricCalcType is how a metric combines the points of one period.
type MetricCalcType int

// Metric calculation types (Cachet's Metric::CALC_SUM and CALC_AVG).
const (
	MetricSum     MetricCalcType = 0
	MetricAverage MetricCalcType = 1
)

var metricCalcNames = []string{"sum", "average"}

// String returns "sum" or "average".
func (t MetricCalcType) String() string { return enum.Name(metricCalcNames, int(t)) }

// ParseMetricCalcType accepts "sum", "average" or a number.
func ParseMetricCalcType(s string) (MetricCalcType, error) {
	n, err := enum.Parse("metric calc type", s, metricCalcNames)
	return MetricCalcType(n), err
}

// MetricVisibility says who can see a metric.
type MetricVisibility int

// Metric visibilities (Cachet's Metric::VISIBLE_AUTHENTICATED, VISIBLE_GUEST
// and VISIBLE_HIDDEN).
const (
	MetricLoggedInOnly MetricVisibility = 0
	MetricPublic       MetricVisibility = 1
	MetricHidden       MetricVisibility = 2
)

var metricVisibilityNames = []string{"logged-in", "public", "hidden"}

// String returns "logged-in", "public" or "hidden".
func (v MetricVisibility) String() string { return enum.Name(metricVisibilityNames, int(v)) }

// ParseMetricVisibility accepts a name or a number.
func ParseMetricVisibility(s string) (MetricVisibility, error) {
	n, err := enum.Parse("metric visibility", s, metricVisibilityNames)
	return MetricVisibility(n), err
}

// MetricView is the period a metric's chart shows by default.
type MetricView int

// Metric default views.
const (
	ViewLastHour MetricView = 0
	ViewToday    MetricView = 1
	ViewWeek     MetricView = 2
	ViewMonth    MetricView = 3
)

var metricViewNames = []string{"last-hour", "today", "week", "month"}

// String returns the machine name, e.g. "last-hour".
func (v MetricView) String() string { return enum.Name(metricViewNames, int(v)) }

// ParseMetricView accepts a name or a number.
func ParseMetricView(s string) (MetricView, error) {
	n, err := enum.Parse("metric view", s, metricViewNames)
	return MetricView(n), err
}

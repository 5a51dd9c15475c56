package cachet

import "strconv"

// IncidentID identifies an incident. It has a type of its own so that the
// calls taking an incident id next to an update id (IncidentUpdates.Get,
// Update, Delete) do not compile with the two swapped.
type IncidentID int

// MetricID identifies a metric. It has a type of its own so that the calls
// taking a metric id next to a point id (MetricPoints.Update, Delete) do
// not compile with the two swapped.
type MetricID int

// String returns the id in decimal.
func (id IncidentID) String() string { return strconv.Itoa(int(id)) }

// String returns the id in decimal.
func (id MetricID) String() string { return strconv.Itoa(int(id)) }

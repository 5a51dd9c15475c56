package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// MetricPointsService is /metrics/{id}/points.
type MetricPointsService struct{ c *Client }

// MetricPoint is one value of a metric.
type MetricPoint struct {
	ID              int
	MetricID        MetricID
	Value           float64
	Counter         int // how many equal values were merged into this point
	CalculatedValue float64
	CreatedAt       time.Time // Cachet rounds it to 30 seconds
	UpdatedAt       time.Time
}

// MetricPointParams are the fields of a point create (Value required) or
// update. A nil pointer is not sent.
type MetricPointParams struct {
	Value     *float64
	Timestamp *time.Time // sent as Unix seconds; default now
}

type wireMetricPoint struct {
	ID              wireID    `json:"id"`
	MetricID        flexInt   `json:"metric_id"`
	Value           flexFloat `json:"value"`
	Counter         flexInt   `json:"counter"`
	CalculatedValue flexFloat `json:"calculated_value"`
	CreatedAt       flexTime  `json:"created_at"`
	UpdatedAt       flexTime  `json:"updated_at"`
}

func (w wireMetricPoint) model() MetricPoint {
	return MetricPoint{
		ID:              int(w.ID),
		MetricID:        MetricID(w.MetricID),
		Value:           float64(w.Value),
		Counter:         int(w.Counter),
		CalculatedValue: float64(w.CalculatedValue),
		CreatedAt:       time.Time(w.CreatedAt),
		UpdatedAt:       time.Time(w.UpdatedAt),
	}
}

func metricPointBody(p MetricPointParams) map[string]any {
	b := map[string]any{}
	if p.Value != nil {
		b["value"] = *p.Value
	}
	if p.Timestamp != nil {
		// A decimal string: Cachet 2.4 wants an int on create and a
		// string on update, and a numeric string passes both.
		b["timestamp"] = strconv.FormatInt(p.Timestamp.Unix(), 10)
	}
	return b
}

func pointsPath(metricID MetricID) string { return "/metrics/" + metricID.String() + "/points" }

// Points are always newest first; Cachet has no sort for them.
func (s *MetricPointsService) lister(metricID MetricID) lister {
	return lister{c: s.c, path: pointsPath(metricID)}
}

// List reads one page of a metric's points, newest first.
func (s *MetricPointsService) List(ctx context.Context, metricID MetricID, opts ListOptions) (Page[MetricPoint], error) {
	return list[MetricPoint, wireMetricPoint](ctx, s.lister(metricID), opts)
}

// All iterates over every point of a metric, newest first, page by page
// from opts.Page, opts.PerPage at a time (DefaultPerPage when 0).
func (s *MetricPointsService) All(ctx context.Context, metricID MetricID, opts ListOptions) iter.Seq2[MetricPoint, error] {
	return all[MetricPoint, wireMetricPoint](ctx, s.lister(metricID), opts)
}

// Count returns the number of points of a metric.
func (s *MetricPointsService) Count(ctx context.Context, metricID MetricID) (int, error) {
	return count[MetricPoint, wireMetricPoint](ctx, s.lister(metricID))
}

// Create adds a point. Cachet may instead bump the counter of a recent
// point with the same value and return that one.
func (s *MetricPointsService) Create(ctx context.Context, metricID MetricID, p MetricPointParams) (MetricPoint, error) {
	return doOne[MetricPoint, wireMetricPoint](ctx, s.c, http.MethodPost, pointsPath(metricID), metricPointBody(p))
}

// Update changes the fields p sets, with Cachet's quirks: a nil Value sets
// the value to 0 (Cachet casts the missing value to a float), the point
// moves to metricID whatever metric it was on, and Cachet 2.4 rounds the
// Timestamp to the nearest 30 seconds.
func (s *MetricPointsService) Update(ctx context.Context, metricID MetricID, id int, p MetricPointParams) (MetricPoint, error) {
	return doOne[MetricPoint, wireMetricPoint](ctx, s.c, http.MethodPut, pointsPath(metricID)+"/"+strconv.Itoa(id), metricPointBody(p))
}

// Delete deletes a point.
func (s *MetricPointsService) Delete(ctx context.Context, metricID MetricID, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: pointsPath(metricID) + "/" + strconv.Itoa(id)})
}

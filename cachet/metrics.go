package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// MetricsService is /metrics.
type MetricsService struct{ c *Client }

// Metric is a chart on the status page.
type Metric struct {
	ID              int
	Name            string
	Suffix          string
	Description     string
	DefaultValue    int
	CalcType        int // 0 sum, 1 average
	DisplayChart    bool
	Places          int
	DefaultView     int // 0 last hour, 1 today, 2 week, 3 month
	DefaultViewName string
	Threshold       int // minutes; must divide 60
	Order           int
	Visible         int // 0 logged-in, 1 public, 2 hidden
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// MetricParams are the fields of a metric create (Name, Suffix and
// DefaultValue required) or update (partial). A nil pointer is not sent.
type MetricParams struct {
	Name         *string
	Suffix       *string
	Description  *string
	DefaultValue *int
	CalcType     *int
	DisplayChart *bool // sent as 0 or 1 (Cachet's rule is int)
	Places       *int
	DefaultView  *int
	Threshold    *int
	Order        *int
	Visible      *int
}

type wireMetric struct {
	ID              wireID     `json:"id"`
	Name            flexString `json:"name"`
	Suffix          flexString `json:"suffix"`
	Description     flexString `json:"description"`
	DefaultValue    flexFloat  `json:"default_value"`
	CalcType        flexInt    `json:"calc_type"`
	DisplayChart    flexBool   `json:"display_chart"`
	Places          flexInt    `json:"places"`
	DefaultView     flexInt    `json:"default_view"`
	DefaultViewName flexString `json:"default_view_name"`
	Threshold       flexInt    `json:"threshold"`
	Order           flexInt    `json:"order"`
	Visible         flexInt    `json:"visible"`
	CreatedAt       flexTime   `json:"created_at"`
	UpdatedAt       flexTime   `json:"updated_at"`
}

func (w wireMetric) model() Metric {
	return Metric{
		ID:              int(w.ID),
		Name:            string(w.Name),
		Suffix:          string(w.Suffix),
		Description:     string(w.Description),
		DefaultValue:    int(w.DefaultValue),
		CalcType:        int(w.CalcType),
		DisplayChart:    bool(w.DisplayChart),
		Places:          int(w.Places),
		DefaultView:     int(w.DefaultView),
		DefaultViewName: string(w.DefaultViewName),
		Threshold:       int(w.Threshold),
		Order:           int(w.Order),
		Visible:         int(w.Visible),
		CreatedAt:       time.Time(w.CreatedAt),
		UpdatedAt:       time.Time(w.UpdatedAt),
	}
}

func metricBody(p MetricParams) map[string]any {
	b := map[string]any{}
	for k, v := range map[string]*string{"name": p.Name, "suffix": p.Suffix, "description": p.Description} {
		if v != nil {
			b[k] = *v
		}
	}
	for k, v := range map[string]*int{
		"default_value": p.DefaultValue, "calc_type": p.CalcType, "places": p.Places,
		"default_view": p.DefaultView, "threshold": p.Threshold, "order": p.Order, "visible": p.Visible,
	} {
		if v != nil {
			b[k] = *v
		}
	}
	if p.DisplayChart != nil {
		b["display_chart"] = boolInt(*p.DisplayChart)
	}
	return b
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *MetricsService) lister() lister { return lister{c: s.c, path: "/metrics", sortable: true} }

// List reads one page of metrics.
func (s *MetricsService) List(ctx context.Context, opts ListOptions) (Page[Metric], error) {
	return list[Metric, wireMetric](ctx, s.lister(), opts)
}

// All iterates over every metric, perPage at a time.
func (s *MetricsService) All(ctx context.Context, perPage int) iter.Seq2[Metric, error] {
	return all[Metric, wireMetric](ctx, s.lister(), ListOptions{PerPage: perPage})
}

// Count returns the number of metrics.
func (s *MetricsService) Count(ctx context.Context) (int, error) {
	return count[Metric, wireMetric](ctx, s.lister())
}

// Get reads one metric.
func (s *MetricsService) Get(ctx context.Context, id int) (Metric, error) {
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodGet, "/metrics/"+strconv.Itoa(id), nil)
}

// Create creates a metric from the fields p sets.
func (s *MetricsService) Create(ctx context.Context, p MetricParams) (Metric, error) {
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodPost, "/metrics", metricBody(p))
}

// Update changes the fields p sets.
func (s *MetricsService) Update(ctx context.Context, id int, p MetricParams) (Metric, error) {
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodPut, "/metrics/"+strconv.Itoa(id), metricBody(p))
}

// Delete deletes a metric and all its points.
func (s *MetricsService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/metrics/" + strconv.Itoa(id)})
}

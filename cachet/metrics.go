package cachet

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// MetricsService is /metrics.
type MetricsService struct{ c *Client }

// Metric is a chart on the status page.
type Metric struct {
	ID              MetricID
	Name            string
	Suffix          string
	Description     string
	DefaultValue    int
	CalcType        MetricCalcType
	DisplayChart    bool
	Places          int // decimal places shown
	DefaultView     MetricView
	DefaultViewName string // e.g. "last_hour"
	Threshold       int    // minutes between points kept apart; must divide 60
	Order           int
	Visible         MetricVisibility
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
	CalcType     *MetricCalcType
	DisplayChart *bool // sent as 0 or 1 (Cachet's rule is int)
	Places       *int
	DefaultView  *MetricView
	Threshold    *int
	Order        *int
	Visible      *MetricVisibility
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
		ID:              MetricID(w.ID),
		Name:            string(w.Name),
		Suffix:          string(w.Suffix),
		Description:     string(w.Description),
		DefaultValue:    int(w.DefaultValue),
		CalcType:        MetricCalcType(w.CalcType),
		DisplayChart:    bool(w.DisplayChart),
		Places:          int(w.Places),
		DefaultView:     MetricView(w.DefaultView),
		DefaultViewName: string(w.DefaultViewName),
		Threshold:       int(w.Threshold),
		Order:           int(w.Order),
		Visible:         MetricVisibility(w.Visible),
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
		"default_value": p.DefaultValue, "calc_type": (*int)(p.CalcType), "places": p.Places,
		"default_view": (*int)(p.DefaultView), "threshold": p.Threshold, "order": p.Order, "visible": (*int)(p.Visible),
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

// All iterates over every metric, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), sorted by opts.Sort
// (id when empty). Stop early by breaking out of the loop.
func (s *MetricsService) All(ctx context.Context, opts ListOptions) iter.Seq2[Metric, error] {
	return all[Metric, wireMetric](ctx, s.lister(), opts)
}

// Find returns the metrics named name (compared case-insensitively, as
// Cachet's database does). Cachet's metrics list ignores
// query filters, so Find reads every metric and picks on the client side.
func (s *MetricsService) Find(ctx context.Context, name string) ([]Metric, error) {
	var out []Metric
	for m, err := range s.All(ctx, ListOptions{}) {
		if err != nil {
			return nil, err
		}
		if eqStr(&name, m.Name) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Count returns the number of metrics.
func (s *MetricsService) Count(ctx context.Context) (int, error) {
	return count[Metric, wireMetric](ctx, s.lister())
}

// Get reads one metric.
func (s *MetricsService) Get(ctx context.Context, id MetricID) (Metric, error) {
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodGet, "/metrics/"+id.String(), nil)
}

// Create creates a metric from the fields p sets. A nil Description is
// sent as "": Cachet inserts a missing description as NULL into a NOT NULL
// column and answers 400.
func (s *MetricsService) Create(ctx context.Context, p MetricParams) (Metric, error) {
	b := metricBody(p)
	if p.Description == nil {
		b["description"] = ""
	}
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodPost, "/metrics", b)
}

// Update changes the fields p sets.
func (s *MetricsService) Update(ctx context.Context, id MetricID, p MetricParams) (Metric, error) {
	return doOne[Metric, wireMetric](ctx, s.c, http.MethodPut, "/metrics/"+id.String(), metricBody(p))
}

// Delete deletes a metric and all its points.
func (s *MetricsService) Delete(ctx context.Context, id MetricID) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/metrics/" + id.String()})
}

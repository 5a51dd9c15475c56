package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// IncidentTemplatesService is /incidents/templates (Cachet 2.4, read-only).
type IncidentTemplatesService struct{ c *Client }

// IncidentTemplate is a Twig template for incident messages.
type IncidentTemplate struct {
	ID        int
	Name      string
	Slug      string // what IncidentParams.Template refers to
	Template  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type wireIncidentTemplate struct {
	ID        wireID     `json:"id"`
	Name      flexString `json:"name"`
	Slug      flexString `json:"slug"`
	Template  flexString `json:"template"`
	CreatedAt flexTime   `json:"created_at"`
	UpdatedAt flexTime   `json:"updated_at"`
}

func (w wireIncidentTemplate) model() IncidentTemplate {
	return IncidentTemplate{
		ID:        int(w.ID),
		Name:      string(w.Name),
		Slug:      string(w.Slug),
		Template:  string(w.Template),
		CreatedAt: time.Time(w.CreatedAt),
		UpdatedAt: time.Time(w.UpdatedAt),
	}
}

// Templates cannot be sorted: Cachet answers sort= with 500.
func (s *IncidentTemplatesService) lister() lister {
	return lister{c: s.c, path: "/incidents/templates"}
}

// List reads one page of templates (Sort and Order are not sent).
func (s *IncidentTemplatesService) List(ctx context.Context, opts ListOptions) (Page[IncidentTemplate], error) {
	return list[IncidentTemplate, wireIncidentTemplate](ctx, s.lister(), opts)
}

// All iterates over every template, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), id ascending (Cachet
// cannot sort them: Sort and Order are not sent). Stop early by breaking out
// of the loop.
func (s *IncidentTemplatesService) All(ctx context.Context, opts ListOptions) iter.Seq2[IncidentTemplate, error] {
	return all[IncidentTemplate, wireIncidentTemplate](ctx, s.lister(), opts)
}

// Count returns the number of templates.
func (s *IncidentTemplatesService) Count(ctx context.Context) (int, error) {
	return count[IncidentTemplate, wireIncidentTemplate](ctx, s.lister())
}

// Get reads one template.
func (s *IncidentTemplatesService) Get(ctx context.Context, id int) (IncidentTemplate, error) {
	return doOne[IncidentTemplate, wireIncidentTemplate](ctx, s.c, http.MethodGet, "/incidents/templates/"+strconv.Itoa(id), nil)
}

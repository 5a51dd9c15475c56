package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ComponentsService is /components.
type ComponentsService struct{ c *Client }

type wireComponent struct {
	ID          wireID     `json:"id"`
	Name        flexString `json:"name"`
	Description flexString `json:"description"`
	Link        flexString `json:"link"`
	Status      flexInt    `json:"status"`
	StatusName  flexString `json:"status_name"`
	Order       flexInt    `json:"order"`
	GroupID     flexInt    `json:"group_id"`
	Enabled     flexBool   `json:"enabled"`
	Meta        wireMeta   `json:"meta"`
	Tags        wireTags   `json:"tags"`
	CreatedAt   flexTime   `json:"created_at"`
	UpdatedAt   flexTime   `json:"updated_at"`
}

func (w wireComponent) model() Component {
	tags := Tags(w.Tags)
	if tags == nil {
		tags = Tags{}
	}
	return Component{
		ID:          int(w.ID),
		Name:        string(w.Name),
		Description: string(w.Description),
		Link:        string(w.Link),
		Status:      ComponentStatus(w.Status),
		StatusName:  string(w.StatusName),
		Order:       int(w.Order),
		GroupID:     int(w.GroupID),
		Enabled:     bool(w.Enabled),
		Meta:        w.Meta.meta(),
		Tags:        tags,
		CreatedAt:   time.Time(w.CreatedAt),
		UpdatedAt:   time.Time(w.UpdatedAt),
	}
}

// componentBody returns exactly the fields p sets.
func componentBody(p ComponentParams) map[string]any {
	b := map[string]any{}
	if p.Name != nil {
		b["name"] = *p.Name
	}
	if p.Description != nil {
		b["description"] = *p.Description
	}
	if p.Link != nil {
		b["link"] = *p.Link
	}
	if p.Status != nil {
		b["status"] = int(*p.Status)
	}
	if p.Order != nil {
		b["order"] = *p.Order
	}
	if p.GroupID != nil {
		b["group_id"] = *p.GroupID
	}
	if p.Enabled != nil {
		b["enabled"] = *p.Enabled
	}
	if p.Meta != nil {
		b["meta"] = map[string]any(p.Meta)
	}
	if p.Tags != nil {
		names := make([]string, 0, len(p.Tags))
		for _, t := range p.Tags {
			if t = strings.TrimSpace(t); t != "" {
				names = append(names, t)
			}
		}
		b["tags"] = strings.Join(names, ",")
	}
	if p.Silent != nil {
		b["silent"] = *p.Silent
	}
	return b
}

func (s *ComponentsService) lister() lister {
	return lister{c: s.c, path: "/components", sortable: true}
}

// List reads one page of components (disabled ones only with a valid token).
func (s *ComponentsService) List(ctx context.Context, opts ListOptions) (Page[Component], error) {
	return list[Component, wireComponent](ctx, s.lister(), opts)
}

// All iterates over every component, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), sorted by opts.Sort
// (id when empty). Stop early by breaking out of the loop.
func (s *ComponentsService) All(ctx context.Context, opts ListOptions) iter.Seq2[Component, error] {
	return all[Component, wireComponent](ctx, s.lister(), opts)
}

// Find returns every component matching all the conditions f sets, e.g. ComponentFilter{Name: Ptr("API")}. Cachet filters on the
// server; the client checks each item again. A filter without any
// condition is refused with ErrEmptyFilter before any request.
func (s *ComponentsService) Find(ctx context.Context, f ComponentFilter) ([]Component, error) {
	q, err := f.values()
	if err != nil {
		return nil, err
	}
	return find[Component, wireComponent](ctx, s.lister(), q, f.match)
}

// Count returns the number of components the token can see.
func (s *ComponentsService) Count(ctx context.Context) (int, error) {
	return count[Component, wireComponent](ctx, s.lister())
}

// Get reads one component.
func (s *ComponentsService) Get(ctx context.Context, id int) (Component, error) {
	comp, err := doOne[Component, wireComponent](ctx, s.c, http.MethodGet, "/components/"+strconv.Itoa(id), nil)
	if err == nil {
		s.c.learnVersion(comp)
	}
	return comp, err
}

// Create creates a component from the fields p sets.
func (s *ComponentsService) Create(ctx context.Context, p ComponentParams) (Component, error) {
	return doOne[Component, wireComponent](ctx, s.c, http.MethodPost, "/components", componentBody(p))
}

// Update changes the fields p sets and keeps the others, on every version.
//
// Cachet 2.3 resets what a PUT omits: status to 0 (its command casts a
// missing status to int) and enabled to true (its controller reads
// enabled with a default of true). So when p leaves Status or Enabled nil
// on a 2.3 server, Update first reads the component (one GET) and sends
// its current values. The server's version is learnt from earlier reads by
// this Client, or else probed once with ServerVersion (one GET, cached).
// Cachet 2.4 keeps omitted fields, and no read is made there.
func (s *ComponentsService) Update(ctx context.Context, id int, p ComponentParams) (Component, error) {
	if p.Status == nil || p.Enabled == nil {
		if err := s.c.refuseWrite(http.MethodPut, "/components/"+strconv.Itoa(id)); err != nil {
			return Component{}, err
		}
		v, err := s.c.ServerVersion(ctx)
		if err != nil {
			return Component{}, err
		}
		if v == "2.3" {
			cur, err := s.Get(ctx, id)
			if err != nil {
				return Component{}, err
			}
			if p.Status == nil {
				p.Status = Ptr(cur.Status)
			}
			if p.Enabled == nil {
				p.Enabled = Ptr(cur.Enabled)
			}
		}
	}
	return doOne[Component, wireComponent](ctx, s.c, http.MethodPut, "/components/"+strconv.Itoa(id), componentBody(p))
}

// Delete soft-deletes a component (and its subscriptions).
func (s *ComponentsService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/components/" + strconv.Itoa(id)})
}

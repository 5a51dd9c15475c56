package cachet

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// IncidentsService is /incidents.
type IncidentsService struct{ c *Client }

// Incident is a Cachet incident.
type Incident struct {
	ID                IncidentID
	UserID            int // 0 when null
	ComponentID       int // 0 when none
	Name              string
	Status            IncidentStatus
	HumanStatus       string
	Visible           bool
	Stickied          bool
	Notifications     bool
	Message           string // raw Markdown
	IsResolved        bool
	Meta              Meta // never nil
	Updates           []IncidentUpdate
	LatestUpdateID    int // 0 when there is no update
	LatestStatus      IncidentStatus
	LatestHumanStatus string
	Permalink         string
	Duration          int // seconds
	// OccurredAt is when the incident happened (Cachet 2.4), to the minute:
	// Cachet reads it as "Y-m-d H:i" and stores 0 seconds (see SameMinute).
	// It is zero on Cachet 2.3.
	OccurredAt time.Time
	// ScheduledAt is the maintenance time of a Cachet 2.3 incident (status
	// 0, "Scheduled"). Cachet renders a missing one as the current time, so
	// it is never zero on 2.3; it is zero on 2.4, which has no such field.
	ScheduledAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// IncidentParams are the fields of an incident create or update. A nil
// pointer (or nil map) is not sent; a pointer to a zero value is.
//
// Cachet resets visible (to true) and stickied (to false) on every update
// that omits them, so Update always sends both: when unset here, the
// incident's current values. Notify is sent as false when unset on Update.
type IncidentParams struct {
	Name    *string
	Message *string
	Status  *IncidentStatus
	Visible *bool
	// Stickied pins the incident to the top of the page.
	Stickied *bool
	// Notify e-mails subscribers (Cachet's default on create is true).
	Notify *bool
	// ComponentID and ComponentStatus go together: the component's status
	// is changed as well.
	ComponentID     *int
	ComponentStatus *ComponentStatus
	// OccurredAt is sent as "Y-m-d H:i" in UTC (2.4).
	OccurredAt *time.Time
	// Template is the slug of an incident template rendered with Vars
	// instead of Message.
	Template *string
	Vars     map[string]any
	// Meta is stored on create only; Cachet ignores it on update.
	Meta Meta
}

type wireIncident struct {
	ID                wireID               `json:"id"`
	UserID            flexInt              `json:"user_id"`
	ComponentID       flexInt              `json:"component_id"`
	Name              flexString           `json:"name"`
	Status            flexInt              `json:"status"`
	HumanStatus       flexString           `json:"human_status"`
	Visible           flexBool             `json:"visible"`
	Stickied          flexBool             `json:"stickied"`
	Notifications     flexBool             `json:"notifications"`
	Message           flexString           `json:"message"`
	IsResolved        flexBool             `json:"is_resolved"`
	Meta              wireMeta             `json:"meta"`
	Updates           []wireIncidentUpdate `json:"updates"`
	LatestUpdateID    flexInt              `json:"latest_update_id"`
	LatestStatus      flexInt              `json:"latest_status"`
	LatestHumanStatus flexString           `json:"latest_human_status"`
	Permalink         flexString           `json:"permalink"`
	Duration          flexInt              `json:"duration"`
	OccurredAt        flexTime             `json:"occurred_at"`
	ScheduledAt       flexTime             `json:"scheduled_at"`
	CreatedAt         flexTime             `json:"created_at"`
	UpdatedAt         flexTime             `json:"updated_at"`
}

func (w wireIncident) model() Incident {
	in := Incident{
		ID:                IncidentID(w.ID),
		UserID:            int(w.UserID),
		ComponentID:       int(w.ComponentID),
		Name:              string(w.Name),
		Status:            IncidentStatus(w.Status),
		HumanStatus:       string(w.HumanStatus),
		Visible:           bool(w.Visible),
		Stickied:          bool(w.Stickied),
		Notifications:     bool(w.Notifications),
		Message:           string(w.Message),
		IsResolved:        bool(w.IsResolved),
		Meta:              w.Meta.metaOrEmpty(),
		LatestUpdateID:    int(w.LatestUpdateID),
		LatestStatus:      IncidentStatus(w.LatestStatus),
		LatestHumanStatus: string(w.LatestHumanStatus),
		Permalink:         string(w.Permalink),
		Duration:          int(w.Duration),
		OccurredAt:        time.Time(w.OccurredAt),
		ScheduledAt:       time.Time(w.ScheduledAt),
		CreatedAt:         time.Time(w.CreatedAt),
		UpdatedAt:         time.Time(w.UpdatedAt),
	}
	for _, u := range w.Updates {
		in.Updates = append(in.Updates, u.model())
	}
	return in
}

// formatMinute renders t as Cachet's "Y-m-d H:i" input, in UTC (the client
// sends Time-Zone: UTC).
func formatMinute(t time.Time) string { return t.UTC().Format(layoutMinute) }

func incidentBody(p IncidentParams, update bool) map[string]any {
	b := map[string]any{}
	setStr := func(k string, v *string) {
		if v != nil {
			b[k] = *v
		}
	}
	setBool := func(k string, v *bool) {
		if v != nil {
			b[k] = *v
		}
	}
	setStr("name", p.Name)
	setStr("message", p.Message)
	setStr("template", p.Template)
	if p.Status != nil {
		b["status"] = int(*p.Status)
	}
	setBool("visible", p.Visible)
	setBool("stickied", p.Stickied)
	setBool("notify", p.Notify)
	if p.ComponentID != nil {
		b["component_id"] = *p.ComponentID
	}
	if p.ComponentStatus != nil {
		b["component_status"] = int(*p.ComponentStatus)
	}
	if p.OccurredAt != nil {
		b["occurred_at"] = formatMinute(*p.OccurredAt)
	}
	if p.Vars != nil {
		b["vars"] = p.Vars
	} else if p.Template != nil {
		b["vars"] = map[string]any{} // Cachet needs an array here (null is a 500)
	}
	if p.Meta != nil && !update {
		b["meta"] = map[string]any(p.Meta)
	}
	return b
}

func (s *IncidentsService) lister() lister {
	return lister{c: s.c, path: "/incidents", sortable: true}
}

// List reads one page of incidents (hidden ones only with a valid token).
func (s *IncidentsService) List(ctx context.Context, opts ListOptions) (Page[Incident], error) {
	return list[Incident, wireIncident](ctx, s.lister(), opts)
}

// All iterates over every incident, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), sorted by opts.Sort
// (id when empty). Stop early by breaking out of the loop.
func (s *IncidentsService) All(ctx context.Context, opts ListOptions) iter.Seq2[Incident, error] {
	return all[Incident, wireIncident](ctx, s.lister(), opts)
}

// Find returns every incident matching all the conditions f sets (hidden ones only with a valid token). A filter without any
// condition is refused with ErrEmptyFilter before any request.
func (s *IncidentsService) Find(ctx context.Context, f IncidentFilter) ([]Incident, error) {
	q, err := f.values()
	if err != nil {
		return nil, err
	}
	return find[Incident, wireIncident](ctx, s.lister(), q, f.match)
}

// Count returns the number of incidents the token can see.
func (s *IncidentsService) Count(ctx context.Context) (int, error) {
	return count[Incident, wireIncident](ctx, s.lister())
}

// Get reads one incident.
func (s *IncidentsService) Get(ctx context.Context, id IncidentID) (Incident, error) {
	return doOne[Incident, wireIncident](ctx, s.c, http.MethodGet, "/incidents/"+id.String(), nil)
}

// Create creates an incident from the fields p sets.
func (s *IncidentsService) Create(ctx context.Context, p IncidentParams) (Incident, error) {
	return doOne[Incident, wireIncident](ctx, s.c, http.MethodPost, "/incidents", incidentBody(p, false))
}

// Update sends the fields p sets, plus visible, stickied and notify, which
// Cachet would otherwise reset: unset Visible and Stickied are read from
// the incident first (one GET), and unset Notify is sent as false.
func (s *IncidentsService) Update(ctx context.Context, id IncidentID, p IncidentParams) (Incident, error) {
	if p.Visible == nil || p.Stickied == nil {
		cur, err := s.Get(ctx, id)
		if err != nil {
			return Incident{}, err
		}
		if p.Visible == nil {
			p.Visible = Ptr(cur.Visible)
		}
		if p.Stickied == nil {
			p.Stickied = Ptr(cur.Stickied)
		}
	}
	if p.Notify == nil {
		p.Notify = Ptr(false)
	}
	return doOne[Incident, wireIncident](ctx, s.c, http.MethodPut, "/incidents/"+id.String(), incidentBody(p, true))
}

// Delete soft-deletes an incident.
func (s *IncidentsService) Delete(ctx context.Context, id IncidentID) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/incidents/" + id.String()})
}

package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// IncidentUpdatesService is /incidents/{id}/updates (Cachet 2.4).
type IncidentUpdatesService struct{ c *Client }

// IncidentUpdate is a status update posted on an incident.
type IncidentUpdate struct {
	ID          int
	IncidentID  IncidentID
	Status      IncidentStatus
	HumanStatus string
	Message     string
	UserID      int
	Permalink   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// IncidentUpdateParams are the fields of an update create (both required)
// or update (partial). A nil pointer is not sent.
type IncidentUpdateParams struct {
	Status  *IncidentStatus // 1–4; also becomes the incident's status on create
	Message *string
}

type wireIncidentUpdate struct {
	ID          wireID     `json:"id"`
	IncidentID  flexInt    `json:"incident_id"`
	Status      flexInt    `json:"status"`
	HumanStatus flexString `json:"human_status"`
	Message     flexString `json:"message"`
	UserID      flexInt    `json:"user_id"`
	Permalink   flexString `json:"permalink"`
	CreatedAt   flexTime   `json:"created_at"`
	UpdatedAt   flexTime   `json:"updated_at"`
}

func (w wireIncidentUpdate) model() IncidentUpdate {
	return IncidentUpdate{
		ID:          int(w.ID),
		IncidentID:  IncidentID(w.IncidentID),
		Status:      IncidentStatus(w.Status),
		HumanStatus: string(w.HumanStatus),
		Message:     string(w.Message),
		UserID:      int(w.UserID),
		Permalink:   string(w.Permalink),
		CreatedAt:   time.Time(w.CreatedAt),
		UpdatedAt:   time.Time(w.UpdatedAt),
	}
}

func incidentUpdateBody(p IncidentUpdateParams) map[string]any {
	b := map[string]any{}
	if p.Status != nil {
		b["status"] = int(*p.Status)
	}
	if p.Message != nil {
		b["message"] = *p.Message
	}
	return b
}

func updatesPath(incidentID IncidentID) string {
	return "/incidents/" + incidentID.String() + "/updates"
}

func (s *IncidentUpdatesService) lister(incidentID IncidentID) lister {
	return lister{c: s.c, path: updatesPath(incidentID), sortable: true}
}

// List reads one page of an incident's updates, newest first.
func (s *IncidentUpdatesService) List(ctx context.Context, incidentID IncidentID, opts ListOptions) (Page[IncidentUpdate], error) {
	return list[IncidentUpdate, wireIncidentUpdate](ctx, s.lister(incidentID), opts)
}

// All iterates over every update of an incident, page by page from
// opts.Page, opts.PerPage at a time (DefaultPerPage when 0).
func (s *IncidentUpdatesService) All(ctx context.Context, incidentID IncidentID, opts ListOptions) iter.Seq2[IncidentUpdate, error] {
	return all[IncidentUpdate, wireIncidentUpdate](ctx, s.lister(incidentID), opts)
}

// Count returns the number of updates of an incident.
func (s *IncidentUpdatesService) Count(ctx context.Context, incidentID IncidentID) (int, error) {
	return count[IncidentUpdate, wireIncidentUpdate](ctx, s.lister(incidentID))
}

// Get reads one update. Cachet does not check that it belongs to incidentID.
func (s *IncidentUpdatesService) Get(ctx context.Context, incidentID IncidentID, id int) (IncidentUpdate, error) {
	return doOne[IncidentUpdate, wireIncidentUpdate](ctx, s.c, http.MethodGet, updatesPath(incidentID)+"/"+strconv.Itoa(id), nil)
}

// Create posts an update on an incident.
func (s *IncidentUpdatesService) Create(ctx context.Context, incidentID IncidentID, p IncidentUpdateParams) (IncidentUpdate, error) {
	return doOne[IncidentUpdate, wireIncidentUpdate](ctx, s.c, http.MethodPost, updatesPath(incidentID), incidentUpdateBody(p))
}

// Update changes the fields p sets.
func (s *IncidentUpdatesService) Update(ctx context.Context, incidentID IncidentID, id int, p IncidentUpdateParams) (IncidentUpdate, error) {
	return doOne[IncidentUpdate, wireIncidentUpdate](ctx, s.c, http.MethodPut, updatesPath(incidentID)+"/"+strconv.Itoa(id), incidentUpdateBody(p))
}

// Delete deletes an update.
func (s *IncidentUpdatesService) Delete(ctx context.Context, incidentID IncidentID, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: updatesPath(incidentID) + "/" + strconv.Itoa(id)})
}

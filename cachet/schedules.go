package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// SchedulesService is /schedules (maintenance windows, Cachet 2.4).
type SchedulesService struct{ c *Client }

// Schedule is a maintenance window.
type Schedule struct {
	ID          int
	Name        string
	Message     string
	Status      ScheduleStatus
	HumanStatus string
	ScheduledAt time.Time
	// CompletedAt shows the time of the request when the schedule has none
	// (a Cachet bug).
	CompletedAt time.Time
	Components  []ScheduleComponent
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ScheduleComponent is a component affected by a schedule.
type ScheduleComponent struct {
	ID              int
	ScheduleID      int
	ComponentID     int
	ComponentStatus ComponentStatus
}

// ScheduleParams are the fields of a schedule create (Name, Status and
// ScheduledAt required) or update (partial). A nil pointer is not sent;
// times go out as "Y-m-d H:i" in UTC.
type ScheduleParams struct {
	Name        *string
	Message     *string
	Status      *ScheduleStatus
	ScheduledAt *time.Time
	CompletedAt *time.Time
	Notify      *bool
}

type wireSchedule struct {
	ID          wireID                  `json:"id"`
	Name        flexString              `json:"name"`
	Message     flexString              `json:"message"`
	Status      flexInt                 `json:"status"`
	HumanStatus flexString              `json:"human_status"`
	ScheduledAt flexTime                `json:"scheduled_at"`
	CompletedAt flexTime                `json:"completed_at"`
	Components  []wireScheduleComponent `json:"components"`
	CreatedAt   flexTime                `json:"created_at"`
	UpdatedAt   flexTime                `json:"updated_at"`
}

type wireScheduleComponent struct {
	ID              flexInt `json:"id"`
	ScheduleID      flexInt `json:"schedule_id"`
	ComponentID     flexInt `json:"component_id"`
	ComponentStatus flexInt `json:"component_status"`
}

func (w wireSchedule) model() Schedule {
	s := Schedule{
		ID:          int(w.ID),
		Name:        string(w.Name),
		Message:     string(w.Message),
		Status:      ScheduleStatus(w.Status),
		HumanStatus: string(w.HumanStatus),
		ScheduledAt: time.Time(w.ScheduledAt),
		CompletedAt: time.Time(w.CompletedAt),
		CreatedAt:   time.Time(w.CreatedAt),
		UpdatedAt:   time.Time(w.UpdatedAt),
	}
	for _, c := range w.Components {
		s.Components = append(s.Components, ScheduleComponent{
			ID:              int(c.ID),
			ScheduleID:      int(c.ScheduleID),
			ComponentID:     int(c.ComponentID),
			ComponentStatus: ComponentStatus(c.ComponentStatus),
		})
	}
	return s
}

func scheduleBody(p ScheduleParams) map[string]any {
	b := map[string]any{}
	if p.Name != nil {
		b["name"] = *p.Name
	}
	if p.Message != nil {
		b["message"] = *p.Message
	}
	if p.Status != nil {
		b["status"] = int(*p.Status)
	}
	if p.ScheduledAt != nil {
		b["scheduled_at"] = formatMinute(*p.ScheduledAt)
	}
	if p.CompletedAt != nil {
		b["completed_at"] = formatMinute(*p.CompletedAt)
	}
	if p.Notify != nil {
		b["notify"] = *p.Notify
	}
	return b
}

func (s *SchedulesService) lister() lister { return lister{c: s.c, path: "/schedules", sortable: true} }

// List reads one page of schedules.
func (s *SchedulesService) List(ctx context.Context, opts ListOptions) (Page[Schedule], error) {
	return list[Schedule, wireSchedule](ctx, s.lister(), opts)
}

// All iterates over every schedule, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), in opts.Sort order (id
// when empty). Stop early by breaking out of the loop.
func (s *SchedulesService) All(ctx context.Context, opts ListOptions) iter.Seq2[Schedule, error] {
	return all[Schedule, wireSchedule](ctx, s.lister(), opts)
}

// Count returns the number of schedules.
func (s *SchedulesService) Count(ctx context.Context) (int, error) {
	return count[Schedule, wireSchedule](ctx, s.lister())
}

// Get reads one schedule.
func (s *SchedulesService) Get(ctx context.Context, id int) (Schedule, error) {
	return doOne[Schedule, wireSchedule](ctx, s.c, http.MethodGet, "/schedules/"+strconv.Itoa(id), nil)
}

// Create creates a schedule from the fields p sets.
func (s *SchedulesService) Create(ctx context.Context, p ScheduleParams) (Schedule, error) {
	return doOne[Schedule, wireSchedule](ctx, s.c, http.MethodPost, "/schedules", scheduleBody(p))
}

// Update changes the fields p sets.
func (s *SchedulesService) Update(ctx context.Context, id int, p ScheduleParams) (Schedule, error) {
	return doOne[Schedule, wireSchedule](ctx, s.c, http.MethodPut, "/schedules/"+strconv.Itoa(id), scheduleBody(p))
}

// Delete soft-deletes a schedule.
func (s *SchedulesService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/schedules/" + strconv.Itoa(id)})
}

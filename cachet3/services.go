package cachet3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

func idPath(prefix string, id int) string { return prefix + "/" + strconv.Itoa(id) }

// ComponentsService manages /components (abilities components.manage and
// components.delete).
type ComponentsService struct{ c *Client }

func (s *ComponentsService) lister() lister[Component] {
	return lister[Component]{c: s.c, path: "/components", sortByID: true, idsOnly: []string{"componentGroups"},
		id: func(x Component) int { return x.ID }, dec: decodeComponent}
}

// All reads every component the token may see, disabled ones included
// (filter[enabled]=0,1 unless opts sets "enabled"), with group and meta
// unless opts.Include says otherwise. Components in hidden groups are
// invisible to every API caller.
func (s *ComponentsService) All(ctx context.Context, opts ListOptions) ([]Component, ReadReport, error) {
	opts.Filters = withDefault(opts.Filters, "enabled", "0,1")
	return s.lister().all(ctx, opts, []string{"group", "meta"})
}

// List reads one page (perPage 1..100) and tells whether another follows.
func (s *ComponentsService) List(ctx context.Context, opts ListOptions, page, perPage int) ([]Component, bool, error) {
	opts.Filters = withDefault(opts.Filters, "enabled", "0,1")
	return s.lister().list(ctx, opts, page, perPage)
}

func withDefault(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range m {
		out[key] = val
	}
	return out
}

// Get reads one component, with its group and meta.
func (s *ComponentsService) Get(ctx context.Context, id int) (Component, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/components", id), includeQuery("group", "meta"), nil, "", decodeComponent)
}

// Create creates a component (201). The answer has no meta.
func (s *ComponentsService) Create(ctx context.Context, p ComponentParams) (Component, error) {
	return one(ctx, s.c, http.MethodPost, "/components", nil, p, "components.manage", decodeComponent)
}

// Update changes the fields set in p. Sending a Status that differs fires
// a component_status_changed webhook (3.x has no silent updates).
func (s *ComponentsService) Update(ctx context.Context, id int, p ComponentParams) (Component, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/components", id), nil, p, "components.manage", decodeComponent)
}

// Delete soft-deletes a component and drops its subscriptions.
func (s *ComponentsService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/components", id), "components.delete")
}

// GroupsService manages /component-groups.
type GroupsService struct{ c *Client }

func (s *GroupsService) lister() lister[Group] {
	return lister[Group]{c: s.c, path: "/component-groups", sortByID: true, id: func(x Group) int { return x.ID }, dec: decodeGroup}
}

// All reads every group the token may see (hidden groups never show), with meta.
func (s *GroupsService) All(ctx context.Context, opts ListOptions) ([]Group, ReadReport, error) {
	return s.lister().all(ctx, opts, []string{"meta"})
}

// Get reads one group with its meta.
func (s *GroupsService) Get(ctx context.Context, id int) (Group, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/component-groups", id), includeQuery("meta"), nil, "", decodeGroup)
}

// Create creates a group. Columns left out read back with their defaults
// (order 0, collapsed 1, visible 0) although the server's answer shows null.
func (s *GroupsService) Create(ctx context.Context, p GroupParams) (Group, error) {
	return one(ctx, s.c, http.MethodPost, "/component-groups", nil, p, "component-groups.manage", decodeGroup)
}

// Update changes the fields set in p.
func (s *GroupsService) Update(ctx context.Context, id int, p GroupParams) (Group, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/component-groups", id), nil, p, "component-groups.manage", decodeGroup)
}

// Delete deletes a group; its components become ungrouped.
func (s *GroupsService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/component-groups", id), "component-groups.delete")
}

// SubscribersService manages /subscribers (every call needs a token;
// reads and writes need subscribers.manage, deletes subscribers.delete).
type SubscribersService struct{ c *Client }

func (s *SubscribersService) lister() lister[Subscriber] {
	return lister[Subscriber]{c: s.c, path: "/subscribers", ability: "subscribers.manage", sortByID: true, idsOnly: []string{"components"},
		id: func(x Subscriber) int { return x.ID }, dec: decodeSubscriber}
}

// All reads every subscriber with its components and meta.
func (s *SubscribersService) All(ctx context.Context, opts ListOptions) ([]Subscriber, ReadReport, error) {
	return s.lister().all(ctx, opts, []string{"components", "meta"})
}

// List reads one page (perPage 1..100) and tells whether another follows.
func (s *SubscribersService) List(ctx context.Context, opts ListOptions, page, perPage int) ([]Subscriber, bool, error) {
	return s.lister().list(ctx, opts, page, perPage)
}

// Get reads one subscriber with its components and meta.
func (s *SubscribersService) Get(ctx context.Context, id int) (Subscriber, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/subscribers", id), includeQuery("components", "meta"), nil, "subscribers.manage", decodeSubscriber)
}

// Create subscribes an e-mail address. For an address that already
// exists the server answers 200, keeps global and verified, and attaches
// the components again (created reports which happened). An unverified
// subscriber is sent a verification e-mail on every call.
func (s *SubscribersService) Create(ctx context.Context, p SubscriberParams) (sub Subscriber, created bool, err error) {
	var doc document
	status, err := s.c.do(ctx, &request{method: http.MethodPost, path: "/subscribers", body: p, ability: "subscribers.manage", out: &doc})
	if err != nil {
		return Subscriber{}, false, err
	}
	var res resource
	if err := json.Unmarshal(doc.Data, &res); err != nil {
		return Subscriber{}, false, fmt.Errorf("cachet3: POST /subscribers: %w", err)
	}
	sub, err = decodeSubscriber(&res, &doc)
	return sub, status == http.StatusCreated, err
}

// Update changes a subscriber in place: Components replaces the
// subscriptions, a new Email un-verifies.
func (s *SubscribersService) Update(ctx context.Context, id int, p SubscriberParams) (Subscriber, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/subscribers", id), nil, p, "subscribers.manage", decodeSubscriber)
}

// Delete deletes a subscriber and its subscriptions.
func (s *SubscribersService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/subscribers", id), "subscribers.delete")
}

// IncidentsService manages /incidents.
type IncidentsService struct{ c *Client }

func (s *IncidentsService) lister() lister[Incident] {
	return lister[Incident]{c: s.c, path: "/incidents", sortByID: true, id: func(x Incident) int { return x.ID }, dec: decodeIncident}
}

// All reads every incident the token may see (unpublished ones only with
// incidents.manage), with components and meta.
func (s *IncidentsService) All(ctx context.Context, opts ListOptions) ([]Incident, ReadReport, error) {
	return s.lister().all(ctx, opts, []string{"components", "meta"})
}

// Get reads one incident with components and meta.
func (s *IncidentsService) Get(ctx context.Context, id int) (Incident, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/incidents", id), includeQuery("components", "meta"), nil, "", decodeIncident)
}

// Create creates an incident (with its components, which cannot change later).
func (s *IncidentsService) Create(ctx context.Context, p IncidentParams) (Incident, error) {
	return one(ctx, s.c, http.MethodPost, "/incidents", includeQuery("components"), p, "incidents.manage", decodeIncident)
}

// Update changes the fields set in p (Components is ignored by the server).
func (s *IncidentsService) Update(ctx context.Context, id int, p IncidentParams) (Incident, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/incidents", id), nil, p, "incidents.manage", decodeIncident)
}

// Delete deletes an incident and its updates.
func (s *IncidentsService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/incidents", id), "incidents.delete")
}

// IncidentUpdatesService manages /incidents/{id}/updates.
type IncidentUpdatesService struct{ c *Client }

func updatesPath(incident int) string { return idPath("/incidents", incident) + "/updates" }

// All reads every update of an incident (id order).
func (s *IncidentUpdatesService) All(ctx context.Context, incident int) ([]IncidentUpdate, ReadReport, error) {
	l := lister[IncidentUpdate]{c: s.c, path: updatesPath(incident), id: func(x IncidentUpdate) int { return x.ID }, dec: decodeIncidentUpdate}
	return l.all(ctx, ListOptions{}, nil)
}

// Create adds an update; the incident takes its status.
func (s *IncidentUpdatesService) Create(ctx context.Context, incident int, p IncidentUpdateParams) (IncidentUpdate, error) {
	return one(ctx, s.c, http.MethodPost, updatesPath(incident), nil, p, "incident-updates.manage", decodeIncidentUpdate)
}

// Update edits an update.
func (s *IncidentUpdatesService) Update(ctx context.Context, incident, id int, p IncidentUpdateParams) (IncidentUpdate, error) {
	return one(ctx, s.c, http.MethodPut, idPath(updatesPath(incident), id), nil, p, "incident-updates.manage", decodeIncidentUpdate)
}

// Delete deletes an update.
func (s *IncidentUpdatesService) Delete(ctx context.Context, incident, id int) error {
	return remove(ctx, s.c, idPath(updatesPath(incident), id), "incident-updates.delete")
}

// MetricsService manages /metrics.
type MetricsService struct{ c *Client }

// All reads every metric the token may see.
func (s *MetricsService) All(ctx context.Context, opts ListOptions) ([]Metric, ReadReport, error) {
	l := lister[Metric]{c: s.c, path: "/metrics", sortByID: true, id: func(x Metric) int { return x.ID }, dec: decodeMetric}
	return l.all(ctx, opts, nil)
}

// Get reads one metric.
func (s *MetricsService) Get(ctx context.Context, id int) (Metric, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/metrics", id), nil, nil, "", decodeMetric)
}

// Create creates a metric.
func (s *MetricsService) Create(ctx context.Context, p MetricParams) (Metric, error) {
	return one(ctx, s.c, http.MethodPost, "/metrics", nil, p, "metrics.manage", decodeMetric)
}

// Update changes the fields set in p.
func (s *MetricsService) Update(ctx context.Context, id int, p MetricParams) (Metric, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/metrics", id), nil, p, "metrics.manage", decodeMetric)
}

// Delete deletes a metric and its points.
func (s *MetricsService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/metrics", id), "metrics.delete")
}

// MetricPointsService manages /metrics/{id}/points (no update).
type MetricPointsService struct{ c *Client }

func pointsPath(metric int) string { return idPath("/metrics", metric) + "/points" }

// All reads every point of a metric.
func (s *MetricPointsService) All(ctx context.Context, metric int) ([]MetricPoint, ReadReport, error) {
	l := lister[MetricPoint]{c: s.c, path: pointsPath(metric), sortByID: true, id: func(x MetricPoint) int { return x.ID }, dec: decodePoint}
	return l.all(ctx, ListOptions{}, nil)
}

// Create adds a point at (nil: now). Within the metric's threshold of the
// newest point, the server counts the newest point again instead and
// discards value.
func (s *MetricPointsService) Create(ctx context.Context, metric int, value float64, at *time.Time) (MetricPoint, error) {
	body := map[string]any{"value": value}
	if at != nil {
		body["timestamp"] = at.Unix()
	}
	return one(ctx, s.c, http.MethodPost, pointsPath(metric), nil, body, "metric-points.manage", decodePoint)
}

// Delete deletes a point.
func (s *MetricPointsService) Delete(ctx context.Context, metric, id int) error {
	return remove(ctx, s.c, idPath(pointsPath(metric), id), "metric-points.delete")
}

// SchedulesService manages /schedules.
type SchedulesService struct{ c *Client }

// All reads every schedule the token may see, with components and meta.
func (s *SchedulesService) All(ctx context.Context, opts ListOptions) ([]Schedule, ReadReport, error) {
	l := lister[Schedule]{c: s.c, path: "/schedules", sortByID: true, id: func(x Schedule) int { return x.ID }, dec: decodeSchedule}
	return l.all(ctx, opts, []string{"components", "meta"})
}

// Get reads one schedule with components and meta.
func (s *SchedulesService) Get(ctx context.Context, id int) (Schedule, error) {
	return one(ctx, s.c, http.MethodGet, idPath("/schedules", id), includeQuery("components", "meta"), nil, "", decodeSchedule)
}

// Create creates a schedule.
func (s *SchedulesService) Create(ctx context.Context, p ScheduleParams) (Schedule, error) {
	return one(ctx, s.c, http.MethodPost, "/schedules", includeQuery("components"), p, "schedules.manage", decodeSchedule)
}

// Update changes the fields set in p.
func (s *SchedulesService) Update(ctx context.Context, id int, p ScheduleParams) (Schedule, error) {
	return one(ctx, s.c, http.MethodPut, idPath("/schedules", id), includeQuery("components"), p, "schedules.manage", decodeSchedule)
}

// Delete soft-deletes a schedule.
func (s *SchedulesService) Delete(ctx context.Context, id int) error {
	return remove(ctx, s.c, idPath("/schedules", id), "schedules.delete")
}

// Ping calls /ping and reports whether the answer is "Pong!".
func (c *Client) Ping(ctx context.Context) (bool, error) {
	var doc document
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "/ping", out: &doc}); err != nil {
		return false, err
	}
	var s string
	return json.Unmarshal(doc.Data, &s) == nil && s == "Pong!", nil
}

// Version returns the server's version, e.g. "3.x-dev".
func (c *Client) Version(ctx context.Context) (string, error) {
	var doc document
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "/version", out: &doc}); err != nil {
		return "", err
	}
	var v struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(doc.Data, &v); err != nil || v.Version == "" {
		return "", fmt.Errorf("cachet3: GET /version: no version in %s", doc.Data)
	}
	return v.Version, nil
}

// SystemStatus is the answer of /status.
type SystemStatus struct {
	Status  string `json:"status"` // operational, partial_outage, major_outage or under_maintenance
	Message string `json:"message"`
}

// Status returns the page's overall status.
func (c *Client) Status(ctx context.Context) (SystemStatus, error) {
	var doc document
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "/status", out: &doc}); err != nil {
		return SystemStatus{}, err
	}
	var s SystemStatus
	err := json.Unmarshal(doc.Data, &s)
	return s, err
}

// CheckToken tells whether the server knows the token. Reads never fail on
// a bad token (they answer the guest view), so it asks for one subscriber,
// which needs a token: 401 means unknown, 200 or 403 (a token without
// subscribers.manage) means known.
func (c *Client) CheckToken(ctx context.Context) error {
	if c.token == "" {
		return fmt.Errorf("cachet3: no token: %w", ErrUnauthorized)
	}
	q := url.Values{"per_page": {"1"}}
	_, err := c.do(ctx, &request{method: http.MethodGet, path: "/subscribers", query: q})
	if errors.Is(err, ErrForbidden) {
		return nil
	}
	return err
}

package cachet3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ComponentStatus is ComponentStatusEnum (core:src/Enums/ComponentStatusEnum.php:12-17).
type ComponentStatus int

// Component statuses. There is no 0; 5 is what a new component gets.
const (
	StatusOperational       ComponentStatus = 1
	StatusPerformanceIssues ComponentStatus = 2
	StatusPartialOutage     ComponentStatus = 3
	StatusMajorOutage       ComponentStatus = 4
	StatusUnknown           ComponentStatus = 5
	StatusUnderMaintenance  ComponentStatus = 6
)

// IncidentStatus is IncidentStatusEnum: 0 reported ... 4 fixed.
type IncidentStatus int

// Incident statuses.
const (
	IncidentReported      IncidentStatus = 0
	IncidentInvestigating IncidentStatus = 1
	IncidentIdentified    IncidentStatus = 2
	IncidentWatching      IncidentStatus = 3
	IncidentFixed         IncidentStatus = 4
)

// Visibility of groups, incidents and metrics as read back: 0 logged-in
// users only, 1 everyone. Hidden (2) rows are never returned by the API.
const (
	VisibleAuthenticated = 0
	VisibleGuest         = 1
)

// Meta is a resource's key/value metadata. In params, nil leaves it alone
// and a non-nil map (even empty) replaces the whole set.
type Meta map[string]any

// Component is a component as the API shows it.
type Component struct {
	ID           int
	Name         string
	Description  string // "" when null
	Link         string // "" when null
	Order        *int   // nil when null
	Status       ComponentStatus
	LatestStatus ComponentStatus // the effective status: incidents and maintenance included
	Enabled      bool
	GroupID      int  // 0 ungrouped; read only with include=group (All does)
	Meta         Meta // nil unless read with include=meta (All does)
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ComponentParams are the fields of a create or update; nil fields are not
// sent, so an update leaves them alone. Cachet 3.x cannot clear
// Description, Link or Order, nor ungroup a component.
type ComponentParams struct {
	Name        *string          `json:"name,omitempty"`
	Description *string          `json:"description,omitempty"`
	Status      *ComponentStatus `json:"status,omitempty"`
	Link        *string          `json:"link,omitempty"`
	Order       *int             `json:"order,omitempty"`
	Enabled     *bool            `json:"enabled,omitempty"`
	GroupID     *int             `json:"component_group_id,omitempty"`
	Meta        Meta             `json:"-"`
}

// MarshalJSON sends meta when it is non-nil, even empty (which clears it).
func (p ComponentParams) MarshalJSON() ([]byte, error) {
	type plain ComponentParams
	return withMeta(plain(p), p.Meta)
}

// Group is a component group.
type Group struct {
	ID             int
	Name           string
	Order          int
	OrderColumn    string // "id", "last_updated", "name", "manual", "status" or "" (null: by status)
	OrderDirection string // "asc", "desc" or ""
	Collapsed      int    // 0 expanded, 1 collapsed, 2 collapsed unless an incident
	Visible        int    // VisibleAuthenticated or VisibleGuest
	Meta           Meta
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// GroupParams are the fields of a group create or update. Components only
// adds components to the group (it never removes any).
type GroupParams struct {
	Name           *string `json:"name,omitempty"`
	Order          *int    `json:"order,omitempty"`
	Visible        *bool   `json:"visible,omitempty"` // true: everyone, false: logged-in users
	Collapsed      *int    `json:"collapsed,omitempty"`
	OrderColumn    *string `json:"order_column,omitempty"`
	OrderDirection *string `json:"order_direction,omitempty"`
	Components     []int   `json:"components,omitempty"`
	Meta           Meta    `json:"-"`
}

// MarshalJSON sends meta when it is non-nil.
func (p GroupParams) MarshalJSON() ([]byte, error) {
	type plain GroupParams
	return withMeta(plain(p), p.Meta)
}

// Subscriber is a subscriber.
type Subscriber struct {
	ID         int
	Email      string
	Global     bool // notified of everything
	Verified   bool
	VerifiedAt *time.Time
	Components []int // read only with include=components (All does)
	Meta       Meta
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SubscriberParams are the fields of a subscriber create or update. On
// update, Components replaces the subscriptions (an empty list clears them)
// and nil leaves them; a new Email un-verifies the subscriber.
type SubscriberParams struct {
	Email      *string `json:"email,omitempty"`
	Global     *bool   `json:"global,omitempty"`
	Components *[]int  `json:"components,omitempty"`
	Verified   *bool   `json:"verified,omitempty"` // create only: true sends no verification e-mail
	Meta       Meta    `json:"-"`
}

// MarshalJSON sends meta when it is non-nil.
func (p SubscriberParams) MarshalJSON() ([]byte, error) {
	type plain SubscriberParams
	return withMeta(plain(p), p.Meta)
}

// Impact is a component affected by an incident or schedule, with the
// status it has meanwhile.
type Impact struct {
	ID     int             `json:"id"`
	Status ComponentStatus `json:"status"`
}

// Incident is an incident.
type Incident struct {
	ID            int
	GUID          string
	Name          string
	Message       string
	Status        IncidentStatus
	Visible       int
	Stickied      bool
	Notifications bool
	OccurredAt    *time.Time
	PublishedAt   *time.Time
	Components    []Impact // read only with include=components
	Meta          Meta
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// IncidentParams are the fields of an incident create or update.
// Components are taken on create only. Incidents are created visible to
// logged-in users only unless Visible is true.
type IncidentParams struct {
	Name          *string         `json:"name,omitempty"`
	Message       *string         `json:"message,omitempty"`
	Template      *string         `json:"template,omitempty"`
	TemplateVars  map[string]any  `json:"template_vars,omitempty"`
	Status        *IncidentStatus `json:"status,omitempty"`
	Visible       *bool           `json:"visible,omitempty"`
	Stickied      *bool           `json:"stickied,omitempty"`
	Notifications *bool           `json:"notifications,omitempty"`
	OccurredAt    *time.Time      `json:"occurred_at,omitempty"`
	PublishedAt   *time.Time      `json:"published_at,omitempty"`
	Components    []Impact        `json:"components,omitempty"`
	Meta          Meta            `json:"-"`
}

// MarshalJSON sends meta when it is non-nil.
func (p IncidentParams) MarshalJSON() ([]byte, error) {
	type plain IncidentParams
	return withMeta(plain(p), p.Meta)
}

// IncidentUpdate is an update of an incident.
type IncidentUpdate struct {
	ID         int
	IncidentID int
	Status     IncidentStatus
	Message    string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// IncidentUpdateParams are the fields of an incident update create or edit.
type IncidentUpdateParams struct {
	Status  *IncidentStatus `json:"status,omitempty"`
	Message *string         `json:"message,omitempty"`
}

// Metric is a metric.
type Metric struct {
	ID           int
	Name         string
	Suffix       string
	Description  string
	DefaultValue json.Number // "" when null
	CalcType     int         // 0 sum, 1 average
	DisplayChart bool
	Places       int
	DefaultView  int
	Threshold    int // minutes
	Order        int
	Visible      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MetricParams are the fields of a metric create or update. DefaultValue
// must have one or two decimals ("1.5", "0.25"). CalcType, DisplayChart and
// Places are taken on create only.
type MetricParams struct {
	Name         *string `json:"name,omitempty"`
	Suffix       *string `json:"suffix,omitempty"`
	Description  *string `json:"description,omitempty"`
	CalcType     *int    `json:"calc_type,omitempty"`
	DefaultValue *string `json:"default_value,omitempty"`
	DisplayChart *bool   `json:"display_chart,omitempty"`
	Threshold    *int    `json:"threshold,omitempty"`
	Places       *int    `json:"places,omitempty"`
}

// MetricPoint is a point of a metric.
type MetricPoint struct {
	ID              int
	MetricID        int
	Value           float64
	Counter         int
	CalculatedValue float64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Schedule is a maintenance window.
type Schedule struct {
	ID          int
	Name        string
	Message     string
	Status      int // computed from the dates: 0 upcoming, 1 in progress, 2 complete
	ScheduledAt *time.Time
	CompletedAt *time.Time
	PublishedAt *time.Time
	Components  []Impact
	Meta        Meta
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ScheduleParams are the fields of a schedule create or update. On update,
// a non-empty Components replaces the set. CompletedAt cannot be cleared.
type ScheduleParams struct {
	Name          *string    `json:"name,omitempty"`
	Message       *string    `json:"message,omitempty"`
	ScheduledAt   *time.Time `json:"scheduled_at,omitempty"`
	CompletedAt   *time.Time `json:"completed_at,omitempty"`
	PublishedAt   *time.Time `json:"published_at,omitempty"`
	Notifications *bool      `json:"notifications,omitempty"`
	Components    []Impact   `json:"components,omitempty"`
	Meta          Meta       `json:"-"`
}

// MarshalJSON sends meta when it is non-nil.
func (p ScheduleParams) MarshalJSON() ([]byte, error) {
	type plain ScheduleParams
	return withMeta(plain(p), p.Meta)
}

// withMeta encodes v and adds "meta" when meta is non-nil.
func withMeta(v any, meta Meta) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || meta == nil {
		return b, err
	}
	mb, err := json.Marshal(map[string]any(meta))
	if err != nil {
		return nil, err
	}
	if len(b) == 2 { // {}
		return append(append([]byte(`{"meta":`), mb...), '}'), nil
	}
	return append(append(append(b[:len(b)-1:len(b)-1], `,"meta":`...), mb...), '}'), nil
}

// Wire decoding.

type wireTime struct {
	String *string `json:"string"`
}

// time parses "Y-m-d H:i:s" as UTC (Cachet renders in the app timezone,
// UTC by default, without an offset).
func (w wireTime) time() *time.Time {
	if w.String == nil {
		return nil
	}
	t, err := time.ParseInLocation(time.DateTime, *w.String, time.UTC)
	if err != nil {
		return nil
	}
	return &t
}

func (w wireTime) value() time.Time {
	if t := w.time(); t != nil {
		return *t
	}
	return time.Time{}
}

type wireEnum struct {
	Value *int `json:"value"`
}

func (w wireEnum) int() int {
	if w.Value == nil {
		return 0
	}
	return *w.Value
}

// relID returns the id of a to-one relationship (0 for null or absent).
func relID(res *resource, name string) int {
	raw, ok := res.Relationships[name]
	if !ok {
		return 0
	}
	var rel struct {
		Data *struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(raw, &rel) != nil || rel.Data == nil {
		return 0
	}
	id, _ := strconv.Atoi(rel.Data.ID)
	return id
}

// relIDs returns the ids of a to-many relationship.
func relIDs(res *resource, name string) []int {
	raw, ok := res.Relationships[name]
	if !ok {
		return nil
	}
	var rel struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(raw, &rel) != nil {
		return nil
	}
	ids := make([]int, 0, len(rel.Data))
	for _, d := range rel.Data {
		id, _ := strconv.Atoi(d.ID)
		ids = append(ids, id)
	}
	return ids
}

// impacts reads an incident's or schedule's components with the pivot
// status of each from the included resources.
func impacts(res *resource, doc *document) []Impact {
	ids := relIDs(res, "components")
	if ids == nil {
		return nil
	}
	out := make([]Impact, 0, len(ids))
	for _, id := range ids {
		imp := Impact{ID: id}
		for i := range doc.Included {
			inc := &doc.Included[i]
			if inc.Type != "components" || inc.ID != strconv.Itoa(id) {
				continue
			}
			var a struct {
				Pivot struct {
					ComponentStatus wireEnum `json:"component_status"`
				} `json:"pivot"`
			}
			if json.Unmarshal(inc.Attributes, &a) == nil {
				imp.Status = ComponentStatus(a.Pivot.ComponentStatus.int())
			}
		}
		out = append(out, imp)
	}
	return out
}

// decodeMeta reads the meta attribute: an object, or [] when empty.
func decodeMeta(raw json.RawMessage) Meta {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		return Meta(m)
	}
	return Meta{} // [] is an empty meta
}

func decodeComponent(res *resource, _ *document) (Component, error) {
	var a struct {
		ID           int             `json:"id"`
		Name         string          `json:"name"`
		Description  *string         `json:"description"`
		Link         *string         `json:"link"`
		Order        *int            `json:"order"`
		Status       wireEnum        `json:"status"`
		LatestStatus wireEnum        `json:"latest_status"`
		Enabled      bool            `json:"enabled"`
		Meta         json.RawMessage `json:"meta"`
		Created      wireTime        `json:"created"`
		Updated      wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Component{}, fmt.Errorf("component %s: %w", res.ID, err)
	}
	c := Component{ID: a.ID, Name: a.Name, Order: a.Order, Status: ComponentStatus(a.Status.int()),
		LatestStatus: ComponentStatus(a.LatestStatus.int()), Enabled: a.Enabled, GroupID: relID(res, "group"),
		Meta: decodeMeta(a.Meta), CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}
	if a.Description != nil {
		c.Description = *a.Description
	}
	if a.Link != nil {
		c.Link = *a.Link
	}
	return c, nil
}

func decodeGroup(res *resource, _ *document) (Group, error) {
	var a struct {
		ID             int             `json:"id"`
		Name           string          `json:"name"`
		Order          *int            `json:"order"`
		OrderColumn    *string         `json:"order_column"`
		OrderDirection *string         `json:"order_direction"`
		Collapsed      *int            `json:"collapsed"`
		Visible        *int            `json:"visible"`
		Meta           json.RawMessage `json:"meta"`
		Created        wireTime        `json:"created"`
		Updated        wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Group{}, fmt.Errorf("group %s: %w", res.ID, err)
	}
	g := Group{ID: a.ID, Name: a.Name, Meta: decodeMeta(a.Meta), CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}
	// A create response shows null for the columns the database defaults
	// (order 0, collapsed 1, visible 0): the model is not reloaded.
	g.Order, g.Collapsed, g.Visible = deref(a.Order, 0), deref(a.Collapsed, 1), deref(a.Visible, 0)
	g.OrderColumn, g.OrderDirection = deref(a.OrderColumn, ""), deref(a.OrderDirection, "")
	return g, nil
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func decodeSubscriber(res *resource, _ *document) (Subscriber, error) {
	var a struct {
		ID         int             `json:"id"`
		Email      string          `json:"email"`
		Global     bool            `json:"global"`
		Verified   bool            `json:"verified"`
		VerifiedAt wireTime        `json:"verified_at"`
		Meta       json.RawMessage `json:"meta"`
		Created    wireTime        `json:"created"`
		Updated    wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Subscriber{}, fmt.Errorf("subscriber %s: %w", res.ID, err)
	}
	return Subscriber{ID: a.ID, Email: a.Email, Global: a.Global, Verified: a.Verified, VerifiedAt: a.VerifiedAt.time(),
		Components: relIDs(res, "components"), Meta: decodeMeta(a.Meta), CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}, nil
}

// looseBool reads a bool that may come as 0/1 (incident notifications are
// not cast by core:src/Http/Resources/Incident.php).
type looseBool bool

func (b *looseBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", "1", `"1"`:
		*b = true
	default:
		*b = false
	}
	return nil
}

func decodeIncident(res *resource, doc *document) (Incident, error) {
	var a struct {
		ID            int             `json:"id"`
		GUID          string          `json:"guid"`
		Name          string          `json:"name"`
		Message       string          `json:"message"`
		Visible       int             `json:"visible"`
		Stickied      bool            `json:"stickied"`
		Notifications looseBool       `json:"notifications"`
		Meta          json.RawMessage `json:"meta"`
		Status        wireEnum        `json:"status"`
		Occurred      wireTime        `json:"occurred"`
		Published     wireTime        `json:"published"`
		Created       wireTime        `json:"created"`
		Updated       wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Incident{}, fmt.Errorf("incident %s: %w", res.ID, err)
	}
	return Incident{ID: a.ID, GUID: a.GUID, Name: a.Name, Message: a.Message, Status: IncidentStatus(a.Status.int()),
		Visible: a.Visible, Stickied: a.Stickied, Notifications: bool(a.Notifications), OccurredAt: a.Occurred.time(),
		PublishedAt: a.Published.time(), Components: impacts(res, doc), Meta: decodeMeta(a.Meta),
		CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}, nil
}

func decodeIncidentUpdate(res *resource, _ *document) (IncidentUpdate, error) {
	var a struct {
		ID       int      `json:"id"`
		Parent   int      `json:"updateable_id"`
		Message  string   `json:"message"`
		Status   wireEnum `json:"status"`
		Created  wireTime `json:"created"`
		Updated  wireTime `json:"updated"`
		Updateab string   `json:"updateable_type"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return IncidentUpdate{}, fmt.Errorf("update %s: %w", res.ID, err)
	}
	return IncidentUpdate{ID: a.ID, IncidentID: a.Parent, Status: IncidentStatus(a.Status.int()), Message: a.Message,
		CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}, nil
}

func decodeMetric(res *resource, _ *document) (Metric, error) {
	var a struct {
		ID           int             `json:"id"`
		Name         string          `json:"name"`
		Suffix       string          `json:"suffix"`
		Description  *string         `json:"description"`
		DefaultValue json.RawMessage `json:"default_value"`
		CalcType     int             `json:"calc_type"`
		DisplayChart bool            `json:"display_chart"`
		Places       int             `json:"places"`
		DefaultView  *int            `json:"default_view"`
		Threshold    int             `json:"threshold"`
		Order        *int            `json:"order"`
		Visible      *int            `json:"visible"`
		Created      wireTime        `json:"created"`
		Updated      wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Metric{}, fmt.Errorf("metric %s: %w", res.ID, err)
	}
	m := Metric{ID: a.ID, Name: a.Name, Suffix: a.Suffix, Description: deref(a.Description, ""), CalcType: a.CalcType,
		DisplayChart: a.DisplayChart, Places: a.Places, Threshold: a.Threshold,
		DefaultView: deref(a.DefaultView, 1), Order: deref(a.Order, 0), Visible: deref(a.Visible, 1),
		CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}
	// A float in a create response, a decimal string ("0.500") on read.
	var s string
	var n json.Number
	if json.Unmarshal(a.DefaultValue, &s) == nil {
		m.DefaultValue = json.Number(s)
	} else if json.Unmarshal(a.DefaultValue, &n) == nil {
		m.DefaultValue = n
	}
	return m, nil
}

func decodePoint(res *resource, _ *document) (MetricPoint, error) {
	var a struct {
		ID         int      `json:"id"`
		MetricID   int      `json:"metric_id"`
		Calculated float64  `json:"calculated_value"`
		Value      float64  `json:"value"`
		Counter    int      `json:"counter"`
		Created    wireTime `json:"created"`
		Updated    wireTime `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return MetricPoint{}, fmt.Errorf("point %s: %w", res.ID, err)
	}
	return MetricPoint{ID: a.ID, MetricID: a.MetricID, Value: a.Value, Counter: a.Counter, CalculatedValue: a.Calculated,
		CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}, nil
}

func decodeSchedule(res *resource, doc *document) (Schedule, error) {
	var a struct {
		ID        int             `json:"id"`
		Name      string          `json:"name"`
		Message   string          `json:"message"`
		Meta      json.RawMessage `json:"meta"`
		Status    wireEnum        `json:"status"`
		Scheduled wireTime        `json:"scheduled"`
		Completed wireTime        `json:"completed"`
		Published wireTime        `json:"published"`
		Created   wireTime        `json:"created"`
		Updated   wireTime        `json:"updated"`
	}
	if err := json.Unmarshal(res.Attributes, &a); err != nil {
		return Schedule{}, fmt.Errorf("schedule %s: %w", res.ID, err)
	}
	return Schedule{ID: a.ID, Name: a.Name, Message: a.Message, Status: a.Status.int(), ScheduledAt: a.Scheduled.time(),
		CompletedAt: a.Completed.time(), PublishedAt: a.Published.time(), Components: impacts(res, doc),
		Meta: decodeMeta(a.Meta), CreatedAt: a.Created.value(), UpdatedAt: a.Updated.value()}, nil
}

// one sends a request whose answer is a single resource.
func one[T any](ctx context.Context, c *Client, method, path string, q url.Values, body any, ability string, dec decoder[T]) (T, error) {
	var zero T
	var doc document
	if _, err := c.do(ctx, &request{method: method, path: path, query: q, body: body, ability: ability, out: &doc}); err != nil {
		return zero, err
	}
	var res resource
	if err := json.Unmarshal(doc.Data, &res); err != nil {
		return zero, fmt.Errorf("cachet3: %s %s: data is not a resource: %w", method, path, err)
	}
	v, err := dec(&res, &doc)
	if err != nil {
		return zero, fmt.Errorf("cachet3: %s %s: %w", method, path, err)
	}
	return v, nil
}

// remove sends a DELETE.
func remove(ctx context.Context, c *Client, path, ability string) error {
	_, err := c.do(ctx, &request{method: http.MethodDelete, path: path, ability: ability})
	return err
}

func includeQuery(include ...string) url.Values {
	if len(include) == 0 {
		return nil
	}
	q := url.Values{}
	for i, s := range include {
		if i == 0 {
			q.Set("include", s)
		} else {
			q.Set("include", q.Get("include")+","+s)
		}
	}
	return q
}

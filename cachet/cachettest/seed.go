package cachettest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

// Seeding and snapshots work on the store directly: no HTTP, no stats, no
// faults. They are safe for concurrent use with requests.

// SeedGroup stores g (a zero ID takes the next id; an existing ID is
// replaced) and returns it as the API shows it. Zero timestamps mean now.
func (e *Emulator) SeedGroup(g cachet.ComponentGroup) cachet.ComponentGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	rec := &group{
		id:        g.ID,
		name:      g.Name,
		order:     g.Order,
		collapsed: int(g.Collapsed),
		visible:   int(g.Visible),
		createdAt: orNow(g.CreatedAt, now),
		updatedAt: orNow(g.UpdatedAt, now),
	}
	if e.v23 {
		rec.visible = 1
	}
	if rec.id <= 0 {
		rec.id = e.st.groups.alloc()
	}
	e.st.groups.put(rec.id, rec)
	return e.groupModel(rec)
}

// SeedComponent stores c (a zero ID takes the next id) and returns it as the
// API shows it. StatusName is ignored; zero timestamps mean now.
func (e *Emulator) SeedComponent(c cachet.Component) cachet.Component {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	rec := &component{
		id:          c.ID,
		name:        c.Name,
		description: c.Description,
		link:        c.Link,
		status:      int(c.Status),
		order:       c.Order,
		groupID:     c.GroupID,
		enabled:     c.Enabled,
		tags:        e.st.attachTags(c.Tags.Names()),
		createdAt:   orNow(c.CreatedAt, now),
		updatedAt:   orNow(c.UpdatedAt, now),
	}
	if c.Meta != nil {
		rec.meta = map[string]any(maps.Clone(c.Meta))
	}
	if rec.id <= 0 {
		rec.id = e.st.components.alloc()
	}
	e.st.components.put(rec.id, rec)
	e.st.allComp = nil
	return e.componentModel(rec)
}

// SeedSubscriber stores a verified subscriber subscribed to componentIDs
// (every live component when none are given; unknown ids are skipped). An
// existing e-mail is returned unchanged, as the API does.
func (e *Emulator) SeedSubscriber(email string, componentIDs ...int) cachet.Subscriber {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.st.byEmail[lower(email)]; ok {
		return subscriberModel(s)
	}
	return subscriberModel(e.newSubscriber(email, componentIDs, true, e.now()))
}

// SeedUnverifiedSubscriber is SeedSubscriber for a subscriber who has not
// confirmed the address: the API shows its verified_at as the time of the
// request, as Cachet does, and cachet.Subscriber.Verified reads false.
func (e *Emulator) SeedUnverifiedSubscriber(email string, componentIDs ...int) cachet.Subscriber {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.st.byEmail[lower(email)]; ok {
		return subscriberModel(s)
	}
	return subscriberModel(e.newSubscriber(email, componentIDs, false, e.now()))
}

// SeedIncidentTemplate stores a read-only incident template (Cachet has no
// API to create one) and returns its id. The template uses Twig-style
// {{ var }} placeholders.
func (e *Emulator) SeedIncidentTemplate(name, slug, template string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	t := &incidentTemplate{id: e.st.templates.alloc(), name: name, slug: slug, template: template, createdAt: now, updatedAt: now}
	e.st.templates.put(t.id, t)
	return t.id
}

// Groups returns every group, id ascending, as the API shows it.
func (e *Emulator) Groups() []cachet.ComponentGroup {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]cachet.ComponentGroup, 0, e.st.groups.len())
	for _, g := range e.st.groups.rows {
		out = append(out, e.groupModel(g))
	}
	return out
}

// Components returns every live (not deleted) component, id ascending.
func (e *Emulator) Components() []cachet.Component {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]cachet.Component, 0, e.st.components.len())
	for _, c := range e.st.components.rows {
		out = append(out, e.componentModel(c))
	}
	return out
}

// Subscribers returns every subscriber with its subscriptions, id ascending.
// VerifiedAt is the verification date (midnight), or zero when unverified.
func (e *Emulator) Subscribers() []cachet.Subscriber {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]cachet.Subscriber, 0, e.st.subscribers.len())
	for _, s := range e.st.subscribers.rows {
		out = append(out, subscriberModel(s))
	}
	return out
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC().Truncate(time.Second)
}

func (e *Emulator) componentModel(c *component) cachet.Component {
	m := cachet.Component{
		ID:          c.id,
		Name:        c.name,
		Description: c.description,
		Link:        c.link,
		Status:      cachet.ComponentStatus(c.status),
		StatusName:  e.componentStatusName(c.status),
		Order:       c.order,
		GroupID:     c.groupID,
		Enabled:     c.enabled,
		Tags:        cachet.Tags{},
		CreatedAt:   c.createdAt,
		UpdatedAt:   c.updatedAt,
	}
	if !e.v23 {
		m.Meta = cachet.Meta{}
		if mm, ok := c.meta.(map[string]any); ok {
			m.Meta = cachet.Meta(maps.Clone(mm))
		}
	}
	for _, n := range c.tags {
		m.Tags.Add(n)
	}
	return m
}

func (e *Emulator) groupModel(g *group) cachet.ComponentGroup {
	m := cachet.ComponentGroup{
		ID:            g.id,
		Name:          g.name,
		Order:         g.order,
		Collapsed:     cachet.GroupCollapsed(g.collapsed),
		Visible:       cachet.GroupVisibility(g.visible),
		HasVisibility: !e.v23,
		CreatedAt:     g.createdAt,
		UpdatedAt:     g.updatedAt,
	}
	if e.v23 {
		m.Visible = cachet.GroupPublic
	}
	byOrder, lowest := e.members(g, nil)
	for _, c := range byOrder {
		m.EnabledComponents = append(m.EnabledComponents, e.componentModel(c))
	}
	for _, c := range lowest {
		m.EnabledComponentsLowest = append(m.EnabledComponentsLowest, e.componentModel(c))
	}
	if len(lowest) > 0 {
		m.LowestHumanStatus = e.componentStatusName(lowest[0].status)
	}
	return m
}

func subscriberModel(s *subscriber) cachet.Subscriber {
	m := cachet.Subscriber{
		ID:         s.id,
		Email:      s.email,
		VerifyCode: s.verifyCode,
		Global:     s.global,
		CreatedAt:  s.createdAt,
		UpdatedAt:  s.updatedAt,
	}
	if !s.verifiedAt.IsZero() {
		y, mo, d := s.verifiedAt.Date()
		m.VerifiedAt = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		m.Verified = true
	}
	m.Subscriptions = make([]cachet.Subscription, len(s.subComp))
	for i, comp := range s.subComp {
		m.Subscriptions[i] = cachet.Subscription{
			ID: s.subID(i), SubscriberID: s.id, ComponentID: comp, CreatedAt: s.createdAt, UpdatedAt: s.createdAt,
		}
	}
	return m
}

// SeedIncident stores in (a zero ID takes the next id; an existing ID is
// replaced, keeping its updates) and returns it as the API shows it. Its
// Updates are not stored: use SeedIncidentUpdate. Visible, Stickied,
// Notifications, Message, Meta and the times are taken as given; zero
// times mean now. HumanStatus, IsResolved, Permalink and the like are
// computed, as the API does.
func (e *Emulator) SeedIncident(in cachet.Incident) cachet.Incident {
	e.mu.Lock()
	now := e.now()
	rec := &incident{
		id:            int(in.ID),
		userID:        in.UserID,
		componentID:   in.ComponentID,
		name:          in.Name,
		status:        int(in.Status),
		visible:       b2i(in.Visible),
		stickied:      in.Stickied,
		notifications: in.Notifications,
		message:       in.Message,
		occurredAt:    orNow(in.OccurredAt, now),
		createdAt:     orNow(in.CreatedAt, now),
		updatedAt:     orNow(in.UpdatedAt, now),
	}
	if len(in.Meta) > 0 {
		rec.meta = maps.Clone(map[string]any(in.Meta))
		rec.metaKeys = slices.Sorted(maps.Keys(rec.meta))
	}
	if rec.id <= 0 {
		rec.id = e.st.incidents.alloc()
	} else if old, ok := e.st.incidents.get(rec.id); ok {
		rec.updates = old.updates
	}
	e.st.incidents.put(rec.id, rec)
	e.mu.Unlock()
	got, _ := e.Incident(cachet.IncidentID(rec.id))
	return got
}

// SeedIncidentUpdate stores u on the incident u.IncidentID (Cachet 2.4;
// a zero ID takes the next id) and returns it as the API shows it. It
// panics when the incident does not exist or the emulator runs 2.3, which
// has no incident updates.
func (e *Emulator) SeedIncidentUpdate(u cachet.IncidentUpdate) cachet.IncidentUpdate {
	if e.v23 {
		panic("cachettest: SeedIncidentUpdate: Cachet 2.3 has no incident updates")
	}
	e.mu.Lock()
	inc, ok := e.st.incidents.get(int(u.IncidentID))
	if !ok {
		e.mu.Unlock()
		panic(fmt.Sprintf("cachettest: SeedIncidentUpdate: no incident %d", u.IncidentID))
	}
	now := e.now()
	rec := &incidentUpdate{
		id:         u.ID,
		incidentID: inc.id,
		status:     int(u.Status),
		message:    u.Message,
		userID:     u.UserID,
		createdAt:  orNow(u.CreatedAt, now),
		updatedAt:  orNow(u.UpdatedAt, now),
	}
	if rec.id <= 0 {
		rec.id = e.st.updates.alloc()
	}
	e.st.updates.put(rec.id, rec)
	i, _ := slices.BinarySearchFunc(inc.updates, rec.id, func(x *incidentUpdate, id int) int { return x.id - id })
	if i < len(inc.updates) && inc.updates[i].id == rec.id {
		inc.updates[i] = rec
	} else {
		inc.updates = slices.Insert(inc.updates, i, rec)
	}
	e.mu.Unlock()
	got, err := e.inspector.client().IncidentUpdates.Get(context.Background(), u.IncidentID, rec.id)
	if err != nil {
		panic("cachettest: SeedIncidentUpdate: " + err.Error())
	}
	return got
}

// SeedMetric stores m (a zero ID takes the next id; an existing ID is
// replaced, keeping its points) and returns it as the API shows it. A zero
// Threshold means Cachet's default of 5 minutes; zero times mean now.
func (e *Emulator) SeedMetric(m cachet.Metric) cachet.Metric {
	e.mu.Lock()
	now := e.now()
	rec := &metric{
		id:           int(m.ID),
		name:         m.Name,
		suffix:       m.Suffix,
		description:  m.Description,
		defaultValue: m.DefaultValue,
		calcType:     int(m.CalcType),
		displayChart: m.DisplayChart,
		places:       m.Places,
		defaultView:  int(m.DefaultView),
		threshold:    m.Threshold,
		order:        m.Order,
		visible:      int(m.Visible),
		createdAt:    orNow(m.CreatedAt, now),
		updatedAt:    orNow(m.UpdatedAt, now),
	}
	if rec.threshold <= 0 {
		rec.threshold = 5
	}
	if rec.id <= 0 {
		rec.id = e.st.metrics.alloc()
	} else if old, ok := e.st.metrics.get(rec.id); ok {
		rec.points = old.points
	}
	e.st.metrics.put(rec.id, rec)
	e.mu.Unlock()
	got, err := e.inspector.client().Metrics.Get(context.Background(), cachet.MetricID(rec.id))
	if err != nil {
		panic("cachettest: SeedMetric: " + err.Error())
	}
	return got
}

// SeedMetricPoint stores p on the metric p.MetricID as given (no merging of
// equal values; a zero Counter is 1; a zero ID takes the next id; zero
// times mean now) and returns it as the API shows it. It panics when the
// metric does not exist.
func (e *Emulator) SeedMetricPoint(p cachet.MetricPoint) cachet.MetricPoint {
	e.mu.Lock()
	m, ok := e.st.metrics.get(int(p.MetricID))
	if !ok {
		e.mu.Unlock()
		panic(fmt.Sprintf("cachettest: SeedMetricPoint: no metric %d", p.MetricID))
	}
	now := e.now()
	rec := &metricPoint{
		id:        p.ID,
		metricID:  m.id,
		value:     p.Value,
		counter:   max(p.Counter, 1),
		createdAt: orNow(p.CreatedAt, now),
		updatedAt: orNow(p.UpdatedAt, now),
	}
	if rec.id <= 0 {
		rec.id = e.st.points.alloc()
	}
	e.st.points.put(rec.id, rec)
	i, _ := slices.BinarySearchFunc(m.points, rec.id, func(x *metricPoint, id int) int { return x.id - id })
	if i < len(m.points) && m.points[i].id == rec.id {
		m.points[i] = rec
	} else {
		m.points = slices.Insert(m.points, i, rec)
	}
	e.mu.Unlock()
	for _, got := range e.MetricPoints(p.MetricID) {
		if got.ID == rec.id {
			return got
		}
	}
	panic("cachettest: SeedMetricPoint: the point is not listed")
}

// SeedSchedule stores s (Cachet 2.4; a zero ID takes the next id; an
// existing ID is replaced) and returns it as the API shows it. Its
// Components are not stored. A zero ScheduledAt or CreatedAt means now; a
// zero CompletedAt means none. It panics on 2.3, which has no schedules.
func (e *Emulator) SeedSchedule(s cachet.Schedule) cachet.Schedule {
	if e.v23 {
		panic("cachettest: SeedSchedule: Cachet 2.3 has no schedules")
	}
	e.mu.Lock()
	now := e.now()
	rec := &schedule{
		id:          s.ID,
		name:        s.Name,
		message:     s.Message,
		status:      int(s.Status),
		scheduledAt: orNow(s.ScheduledAt, now),
		createdAt:   orNow(s.CreatedAt, now),
		updatedAt:   orNow(s.UpdatedAt, now),
	}
	if !s.CompletedAt.IsZero() {
		rec.completedAt = s.CompletedAt.UTC().Truncate(time.Second)
	}
	if rec.id <= 0 {
		rec.id = e.st.schedules.alloc()
	}
	e.st.schedules.put(rec.id, rec)
	e.mu.Unlock()
	got, err := e.inspector.client().Schedules.Get(context.Background(), rec.id)
	if err != nil {
		panic("cachettest: SeedSchedule: " + err.Error())
	}
	return got
}

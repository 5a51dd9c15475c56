package cachettest

import (
	"maps"
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
		tags:        c.Tags.Names(),
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
	}
	m.Subscriptions = make([]cachet.Subscription, len(s.subComp))
	for i, comp := range s.subComp {
		m.Subscriptions[i] = cachet.Subscription{
			ID: s.subID(i), SubscriberID: s.id, ComponentID: comp, CreatedAt: s.createdAt, UpdatedAt: s.createdAt,
		}
	}
	return m
}

package cachettest

import (
	"net/http"
	"strings"
	"time"
	"unicode"
)

type template3 struct {
	id        int
	name      string
	slug      string
	template  string
	engine    string // "" is null (a create response without engine)
	createdAt time.Time
	updatedAt time.Time
}

// slug3 is Str::slug for ASCII-ish input: lower case, runs of anything but
// letters and digits become one "-", trimmed.
func slug3(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

var templateSpec3 = spec3[template3]{
	filters: []string{"name", "slug"},
	filter: map[string]filter3[template3]{
		"name": func(x *template3, vs []any) bool { return anyPartial(x.name, vs) },
		"slug": func(x *template3, vs []any) bool { return anyPartial(x.slug, vs) },
	},
	sorts: []string{"name", "slug", "id"},
	sort: map[string]func(a, b *template3) int{
		"name": func(a, b *template3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"slug": func(a, b *template3) int { return strings.Compare(a.slug, b.slug) },
		"id":   func(a, b *template3) int { return cmpInt(a.id, b.id) },
	},
}

// templateRes writes a template (core:src/Http/Resources/IncidentTemplate.php:11-28).
func (c *c3) templateRes(w *jw, x *template3, _ []string, _ *included3) {
	resource3(w, "incidentTemplates", x.id, func(w *jw) {
		w.kint("id", x.id)
		w.kstr("name", x.name)
		w.kstr("slug", x.slug)
		w.kstr("template", x.template)
		if x.engine == "" {
			w.knull("engine")
		} else {
			w.kstr("engine", x.engine)
		}
		w.ktime3("created", &x.createdAt, c.now)
		w.ktime3("updated", &x.updatedAt, c.now)
	}, nil)
}

// listTemplates has no includes: any include is ignored (the controller
// sets none, so the serializer reads none).
func (c *c3) listTemplates() r3 {
	delete(c.q, "include")
	return index3(c, c.e.v3.st.templates.rows, templateSpec3, c.templateRes)
}

func (c *c3) bindTemplate() (*template3, *r3) {
	return bind3(&c.e.v3.st.templates, c.ids[0], c.keys[0], "IncidentTemplate", nil)
}

func (c *c3) showTemplate() r3 {
	x, nf := c.bindTemplate()
	if nf != nil {
		return *nf
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.templateRes(w, x, nil, inc) })
}

// validateTemplate is Create/UpdateIncidentTemplateRequestData::rules; the
// blade engine is refused (CACHET_BLADE_RENDERER is off by default).
func (c *c3) validateTemplate(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("name", "required", "string", "max:255")
		v.field("template", "required", "string")
	} else {
		v.field("name", "string", "max:255")
		v.field("template", "string")
	}
	v.field("slug", "string")
	v.field("engine", "enum:twig")
	return v.result()
}

func (c *c3) createTemplate() r3 {
	if bad := c.validateTemplate(true); bad != nil {
		return *bad
	}
	if denied := c.guard("incident-templates.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	x := &template3{id: st.templates.alloc(), name: phpString(c.in["name"]), template: phpString(c.in["template"]), createdAt: c.now, updatedAt: c.now}
	x.slug = slug3(x.name)
	if s, ok := c.in["slug"].(string); ok {
		x.slug = s
	}
	if e, ok := c.in["engine"].(string); ok {
		x.engine = e
	}
	st.templates.put(x.id, x)
	resp := c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.templateRes(w, x, nil, inc) })
	if x.engine == "" {
		x.engine = "twig" // the DB default, shown from the next read on
	}
	return resp
}

// updateTemplate always writes slug: the given one, else Str::slug of the
// given name, else "" (UpdateIncidentTemplateRequestData::toArray).
func (c *c3) updateTemplate() r3 {
	x, nf := c.bindTemplate()
	if nf != nil {
		return *nf
	}
	if bad := c.validateTemplate(false); bad != nil {
		return *bad
	}
	if denied := c.guard("incident-templates.manage"); denied != nil {
		return *denied
	}
	name, hasName := c.in["name"].(string)
	if hasName {
		x.name = name
	}
	if t, ok := c.in["template"].(string); ok {
		x.template = t
	}
	if e, ok := c.in["engine"].(string); ok {
		x.engine = e
	}
	if s, ok := c.in["slug"].(string); ok {
		x.slug = s
	} else {
		x.slug = slug3(name)
	}
	x.updatedAt = c.now
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.templateRes(w, x, nil, inc) })
}

func (c *c3) deleteTemplate() r3 {
	x, nf := c.bindTemplate()
	if r := c.guarded(nf, "incident-templates.delete"); r != nil {
		return *r
	}
	c.e.v3.st.templates.remove(x.id)
	return r3{status: http.StatusNoContent}
}

// templateBySlug is the first template with slug (slugs are not unique).
func (c *c3) templateBySlug(slug string) *template3 {
	for _, x := range c.e.v3.st.templates.rows {
		if x.slug == slug {
			return x
		}
	}
	return nil
}

var scheduleUpdateSpec3 = spec3[update3]{
	sorts: []string{"created_at"},
	sort: map[string]func(a, b *update3) int{
		"created_at": func(a, b *update3) int { return a.createdAt.Compare(b.createdAt) },
	},
	includes: []string{"schedule", "scheduleCount", "scheduleExists"},
}

// Schedule updates are not gated by the schedule's publication
// (core:src/Http/Controllers/Api/ScheduleUpdateController.php).
func (c *c3) listScheduleUpdates() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	rows := where(c.e.v3.st.updates.rows, func(u *update3) bool { return u.kind == "schedule" && u.parent == s.id })
	return index3(c, rows, scheduleUpdateSpec3, c.updateRes)
}

func (c *c3) showScheduleUpdate() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("schedule", s.id)
	if nf != nil {
		return *nf
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.updateRes(w, u, nil, inc) })
}

// createScheduleUpdate: a completed_at quietly ends the window
// (core:src/Actions/Update/CreateUpdate.php:66-81).
func (c *c3) createScheduleUpdate() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	v := c.validator()
	v.field("message", "required", "string")
	v.field("completed_at", "nullable", "date")
	if bad := v.result(); bad != nil {
		return *bad
	}
	if denied := c.guard("schedule-updates.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	u := &update3{id: st.updates.alloc(), kind: "schedule", parent: s.id, message: phpString(c.in["message"]), createdAt: c.now, updatedAt: c.now}
	st.updates.put(u.id, u)
	if t, ok := parseDate3(c.in["completed_at"]); ok {
		s.completedAt = &t
	}
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.updateRes(w, u, nil, inc) })
}

func (c *c3) editScheduleUpdate() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("schedule", s.id)
	if nf != nil {
		return *nf
	}
	v := c.validator()
	v.field("message", "string")
	if bad := v.result(); bad != nil {
		return *bad
	}
	if denied := c.guard("schedule-updates.manage"); denied != nil {
		return *denied
	}
	// EditUpdate is $update->update($data->toArray())
	// (core:src/Actions/Update/EditUpdate.php): only a new message saves.
	if m, ok := c.in["message"].(string); ok && m != u.message {
		u.message, u.updatedAt = m, c.now
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.updateRes(w, u, nil, inc) })
}

func (c *c3) deleteScheduleUpdate() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("schedule", s.id)
	if r := c.guarded(nf, "schedule-updates.delete"); r != nil {
		return *r
	}
	c.e.v3.st.updates.remove(u.id)
	return r3{status: http.StatusNoContent}
}

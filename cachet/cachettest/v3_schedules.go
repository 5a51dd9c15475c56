package cachettest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// scheduleStatus is the computed status (core:src/Models/Schedule.php:115-129).
func scheduleStatus(s *schedule3, now time.Time) int {
	switch {
	case s.scheduledAt.After(now):
		return 0
	case s.completedAt == nil || !s.completedAt.Before(now):
		return 1
	}
	return 2
}

func (c *c3) scheduleVisible3(s *schedule3) bool {
	return published3(s.publishedAt, c.now) || c.can("schedules.manage")
}

func (c *c3) scheduleSpec() spec3[schedule3] {
	return spec3[schedule3]{
		filters: []string{"name", "status", "meta"},
		filter: map[string]filter3[schedule3]{
			"name":   func(x *schedule3, vs []any) bool { return anyPartial(x.name, vs) },
			"status": func(x *schedule3, vs []any) bool { return anyExactInt(scheduleStatus(x, c.now), vs) },
		},
		sorts: []string{"name", "id", "scheduled_at", "completed_at"},
		sort: map[string]func(a, b *schedule3) int{
			"name":         func(a, b *schedule3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
			"id":           func(a, b *schedule3) int { return cmpInt(a.id, b.id) },
			"scheduled_at": func(a, b *schedule3) int { return a.scheduledAt.Compare(b.scheduledAt) },
			"completed_at": func(a, b *schedule3) int {
				return derefTime(a.completedAt).Compare(derefTime(b.completedAt))
			},
		},
		includes: []string{"components", "componentsCount", "componentsExists", "components.group", "updates", "updatesCount", "updatesExists",
			"user", "userCount", "userExists", "meta", "metaCount", "metaExists"}, // as spatie expands them (see incidentSpec3)
		meta: func(x *schedule3) meta3 { return x.meta },
	}
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func (c *c3) listSchedules() r3 {
	return index3(c, where(c.e.v3.st.schedules.rows, c.scheduleVisible3), c.scheduleSpec(), c.scheduleRes)
}

// scheduleRes writes a schedule (core:src/Http/Resources/Schedule.php:11-46).
func (c *c3) scheduleRes(w *jw, s *schedule3, incl []string, inc *included3) {
	resource3(w, "schedules", s.id, func(w *jw) {
		w.kint("id", s.id)
		w.kstr("name", s.name)
		w.kstr("message", s.message)
		if slices.Contains(incl, "meta") {
			w.key("meta")
			s.meta.write(w)
		}
		w.kenum("status", scheduleStatus(s, c.now), scheduleStatus3)
		w.ktime3("scheduled", &s.scheduledAt, c.now)
		w.ktime3("completed", s.completedAt, c.now)
		w.ktime3("published", s.publishedAt, c.now)
		w.ktime3("created", &s.createdAt, c.now)
		w.ktime3("updated", &s.updatedAt, c.now)
	}, func(w *jw) bool {
		if inc == nil || !slices.Contains(incl, "components") && !slices.Contains(incl, "components.group") {
			return false
		}
		c.pivotRel(w, s.components, slices.Contains(incl, "components.group"), inc)
		return true
	})
}

func (c *c3) bindSchedule() (*schedule3, *r3) {
	return bind3(&c.e.v3.st.schedules, c.ids[0], c.keys[0], "Schedule", nil)
}

func (c *c3) showSchedule() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	incl, bad := c.includes3(c.scheduleSpec().includes, true)
	if bad != nil {
		return *bad
	}
	if slices.Contains(incl, "user") { // no user() relation: RelationNotFoundException
		return msg3(http.StatusInternalServerError, "Server Error")
	}
	if !c.scheduleVisible3(s) {
		return notFound3("Schedule", s.id)
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.scheduleRes(w, s, incl, inc) })
}

// validateSchedule is CreateScheduleRequestData::rules (:32-62) and
// UpdateScheduleRequestData::rules (:31-60).
func (c *c3) validateSchedule(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("name", "required", "string", "max:255")
		v.field("message", "required", "string")
		v.field("scheduled_at", "required", "date")
	} else {
		v.field("name", "string", "max:255")
		v.field("message", "string")
		v.field("scheduled_at", "nullable", "date")
	}
	v.field("completed_at", "nullable", "date")
	v.field("published_at", "nullable", "date")
	if create {
		v.field("notifications", "bool")
	}
	v.field("components", "array")
	v.field("meta", "nullable", "array")
	// Laravel appends the components.* expansions after every plain rule
	// (lf:src/Illuminate/Validation/ValidationRuleParser.php:69-82 at 12.x).
	if create {
		v.eachPivot("components", "required", "int", "enum:1,2,3,4,5,6")
	} else {
		v.eachPivot("components", "required", "enum:1,2,3,4,5,6")
	}
	return v.result()
}

func (c *c3) applySchedule(s *schedule3, create bool) {
	if v, ok := c.in["name"].(string); ok {
		s.name = v
	}
	if v, ok := c.in["message"].(string); ok {
		s.message = v
	}
	if t, ok := parseDate3(c.in["scheduled_at"]); ok {
		s.scheduledAt = t
	}
	if t, ok := parseDate3(c.in["completed_at"]); ok {
		s.completedAt = &t
	}
	if t, ok := parseDate3(c.in["published_at"]); ok {
		s.publishedAt = &t
	}
	// Create syncs; update replaces the set when non-empty, [] is a no-op
	// (core:src/Actions/Schedule/UpdateSchedule.php:22-30).
	if list, ok := c.in["components"].([]any); ok && (create || len(list) > 0) {
		s.components = s.components[:0]
		for _, el := range list {
			m, _ := el.(map[string]any)
			id, _ := enumInt(m["id"])
			st, _ := enumInt(m["status"])
			s.components = append(s.components, pivot3{id, st})
		}
	}
	if c.in["meta"] != nil {
		s.meta = s.meta.sync(metaIn(c.in))
	}
}

func (c *c3) createSchedule() r3 {
	if bad := c.validateSchedule(true); bad != nil {
		return *bad
	}
	if denied := c.guard("schedules.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	s := &schedule3{id: st.schedules.alloc(), publishedAt: ptr(c.now), createdAt: c.now, updatedAt: c.now}
	c.applySchedule(s, true)
	st.schedules.put(s.id, s)
	incl, _ := c.includes3(c.scheduleSpec().includes, false)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.scheduleRes(w, s, without(incl, "meta"), inc) })
}

func (c *c3) updateSchedule() r3 {
	s, nf := c.bindSchedule()
	if nf != nil {
		return *nf
	}
	if bad := c.validateSchedule(false); bad != nil {
		return *bad
	}
	if denied := c.guard("schedules.manage"); denied != nil {
		return *denied
	}
	before := scheduleColumns(s)
	c.applySchedule(s, false)
	// UpdateSchedule is $schedule->update(...) (core:src/Actions/Schedule/UpdateSchedule.php:17):
	// Eloquent saves, and bumps updated_at, only a dirty model; components
	// and meta live in other tables.
	if scheduleColumns(s) != before {
		s.updatedAt = c.now
	}
	incl, _ := c.includes3(c.scheduleSpec().includes, false)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.scheduleRes(w, s, without(incl, "meta"), inc) })
}

// scheduleColumnValues are the columns a schedule update can make dirty;
// dates compare as stored, to the second (-1: null).
type scheduleColumnValues struct {
	name, message                   string
	scheduled, completed, published int64
}

func scheduleColumns(s *schedule3) scheduleColumnValues {
	secs := func(t *time.Time) int64 {
		if t == nil {
			return -1
		}
		return t.Unix()
	}
	return scheduleColumnValues{s.name, s.message, s.scheduledAt.Unix(), secs(s.completedAt), secs(s.publishedAt)}
}

// deleteSchedule soft-deletes (core:src/Actions/Schedule/DeleteSchedule.php:12-15).
func (c *c3) deleteSchedule() r3 {
	s, nf := c.bindSchedule()
	if r := c.guarded(nf, "schedules.delete"); r != nil {
		return *r
	}
	c.e.v3.st.schedules.remove(s.id)
	return r3{status: http.StatusNoContent}
}

// ping is GeneralController::ping (core:src/Http/Controllers/Api/GeneralController.php:16-19).
func (c *c3) ping() r3 {
	return r3{status: http.StatusOK, body: []byte(`{"data":"Pong!"}`)}
}

// version is GeneralController::version (:24-31); VERSION is 3.x-dev.
func (c *c3) version() r3 {
	return r3{status: http.StatusOK, body: []byte(`{"data":{"version":"3.x-dev"}}`)}
}

// systemStatus is core:src/Status.php:27-48 via StatusController.
func (c *c3) systemStatus() r3 {
	st := &c.e.v3.st
	enabled, major, maint, nonOp := 0, 0, false, false
	for _, x := range st.components.rows {
		if !x.enabled {
			continue
		}
		enabled++
		switch c.latestStatus3(x) {
		case 4:
			major++
		case 6:
			maint = true
		case 1:
		default:
			nonOp = true
		}
	}
	unresolved := false
	for _, in := range st.incidents.rows {
		if in.status < 4 && in.visible == 1 && published3(in.publishedAt, c.now) {
			unresolved = true
		}
	}
	name, msg := "operational", "All systems are operational."
	switch {
	case enabled > 0 && major*100 >= 25*enabled:
		name, msg = "major_outage", "Some systems are experiencing major issues."
	case maint:
		name, msg = "under_maintenance", "Some systems are under maintenance."
	case nonOp || unresolved || major > 0:
		name, msg = "partial_outage", "Some systems are experiencing issues."
	}
	w := &jw{}
	w.obj()
	w.key("data")
	w.obj()
	w.kstr("status", name)
	w.kstr("message", msg)
	w.endObj()
	w.endObj()
	return r3{status: http.StatusOK, body: w.b}
}

package cachettest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

func published3(p *time.Time, now time.Time) bool { return p == nil || !p.After(now) }

// incidentVisible3 is Incident::scopeViewableBy (core:src/Models/Incident.php:201-205):
// guests see visible=1 and published; tokens see 0 and 1, unpublished only
// with incidents.manage; visible=2 never.
func (c *c3) incidentVisible3(in *incident3) bool {
	if !c.authed() {
		return in.visible == 1 && published3(in.publishedAt, c.now)
	}
	return (in.visible == 0 || in.visible == 1) && (published3(in.publishedAt, c.now) || c.can("incidents.manage"))
}

var incidentSpec3 = spec3[incident3]{
	filters: []string{"name", "status", "occurs_after", "occurs_before", "occurs_on", "meta"},
	filter: map[string]filter3[incident3]{
		"name":   func(x *incident3, vs []any) bool { return anyPartial(x.name, vs) },
		"status": func(x *incident3, vs []any) bool { return anyExactInt(x.status, vs) },
		"occurs_after": func(x *incident3, vs []any) bool {
			t, ok := parseDate3(vs[0])
			return ok && x.occurredAt != nil && !x.occurredAt.Before(t)
		},
		"occurs_before": func(x *incident3, vs []any) bool {
			t, ok := parseDate3(vs[0])
			return ok && x.occurredAt != nil && !x.occurredAt.After(t)
		},
		"occurs_on": func(x *incident3, vs []any) bool {
			t, ok := parseDate3(vs[0])
			return ok && x.occurredAt != nil && x.occurredAt.Format(time.DateOnly) == t.Format(time.DateOnly)
		},
	},
	sorts: []string{"name", "status", "id", "created_at"},
	sort: map[string]func(a, b *incident3) int{
		"name":       func(a, b *incident3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"status":     func(a, b *incident3) int { return cmpInt(a.status, b.status) },
		"id":         func(a, b *incident3) int { return cmpInt(a.id, b.id) },
		"created_at": func(a, b *incident3) int { return a.createdAt.Compare(b.createdAt) },
	},
	defaultSort: "-created_at", // core:src/Http/Controllers/Api/IncidentController.php:79
	// spatie expands each plain relationship name with its Count and Exists
	// forms; the components.group callback stays alone
	// (qb:src/AllowedInclude.php relationship/callback at 6.4.4).
	includes: []string{"components", "componentsCount", "componentsExists", "components.group", "updates", "updatesCount", "updatesExists",
		"user", "userCount", "userExists", "meta", "metaCount", "metaExists"},
	meta: func(x *incident3) meta3 { return x.meta },
}

func (c *c3) listIncidents() r3 {
	return index3(c, where(c.e.v3.st.incidents.rows, c.incidentVisible3), incidentSpec3, c.incidentRes)
}

// incidentRes writes an incident (core:src/Http/Resources/Incident.php:13-51).
func (c *c3) incidentRes(w *jw, in *incident3, incl []string, inc *included3) {
	resource3(w, "incidents", in.id, func(w *jw) {
		w.kint("id", in.id)
		w.kstr("guid", in.guid)
		w.kstr("name", in.name)
		w.kstr("message", in.message)
		w.kint("visible", in.visible)
		w.kbool("stickied", in.stickied)
		// notifications has no cast (core:src/Models/Incident.php:81-90): the
		// create response shows the bool the Data class set, every read the
		// integer the database returns (0/1 on SQLite and MySQL).
		if c.created == in {
			w.kbool("notifications", in.notifications)
		} else {
			w.kint("notifications", b2i(in.notifications))
		}
		if slices.Contains(incl, "meta") {
			w.key("meta")
			in.meta.write(w)
		}
		// whenCounted('components'): ?include=componentsCount ran withCount,
		// which skips soft-deleted components (core:src/Http/Resources/Incident.php:27-29).
		if slices.Contains(incl, "componentsCount") {
			n := 0
			for _, p := range in.components {
				if _, live := c.e.v3.st.components.get(p.component); live {
					n++
				}
			}
			w.kint("components_count", n)
		}
		w.kenum("status", in.status, incidentStatus3)
		w.ktime3("occurred", in.occurredAt, c.now)
		w.ktime3("published", in.publishedAt, c.now)
		w.ktime3("created", &in.createdAt, c.now)
		w.ktime3("updated", &in.updatedAt, c.now)
	}, func(w *jw) bool {
		if inc == nil {
			return false
		}
		wrote := false
		if slices.Contains(incl, "components") || slices.Contains(incl, "components.group") {
			wrote = true
			c.pivotRel(w, in.components, slices.Contains(incl, "components.group"), inc)
		}
		if slices.Contains(incl, "updates") {
			wrote = true
			var ids []int
			for _, u := range c.e.v3.st.updates.rows {
				if u.kind == "incident" && u.parent == in.id {
					ids = append(ids, u.id)
					inc.add("updates", u.id, func(w *jw) { c.updateRes(w, u, nil, nil) })
				}
			}
			relMany(w, "updates", "updates", ids)
		}
		if slices.Contains(incl, "user") {
			wrote = true
			relOne(w, "user", "users", 0) // API-created incidents have no user
		}
		return wrote
	})
}

// pivotRel writes the components relationship of an incident or schedule,
// each included component carrying its pivot component_status; a hidden
// group is never revealed (ComponentGroup visibility applies).
func (c *c3) pivotRel(w *jw, pivots []pivot3, withGroup bool, inc *included3) {
	var ids []int
	for _, p := range pivots {
		x, ok := c.e.v3.st.components.get(p.component)
		if !ok {
			continue
		}
		ids = append(ids, x.id)
		inc.add("components", x.id, func(w *jw) {
			resource3(w, "components", x.id, func(w *jw) {
				// the component's attributes, then its pivot
				w.kint("id", x.id)
				w.kstr("name", x.name)
				kstrOrNull(w, "description", x.description)
				kstrOrNull(w, "link", x.link)
				w.key("order")
				if x.order == nil {
					w.null()
				} else {
					w.int(*x.order)
				}
				w.kenum("status", x.status, componentStatus3)
				w.kenum("latest_status", c.latestStatus3(x), componentStatus3)
				w.kbool("enabled", x.enabled)
				w.ktime3("created", &x.createdAt, c.now)
				w.ktime3("updated", &x.updatedAt, c.now)
				w.key("pivot")
				w.obj()
				w.kenum("component_status", p.status, componentStatus3)
				w.endObj()
			}, func(w *jw) bool {
				if !withGroup {
					return false
				}
				g, ok := c.e.v3.st.groups.get(x.groupID)
				if !ok || !groupVisible3(g, c.authed()) {
					relOne(w, "group", "componentGroups", 0)
					return true
				}
				relOne(w, "group", "componentGroups", g.id)
				inc.add("componentGroups", g.id, func(w *jw) { c.groupRes(w, g, nil, nil) })
				return true
			})
		})
	}
	relMany(w, "components", "components", ids)
}

func (c *c3) bindIncident(i int) (*incident3, *r3) {
	return bind3(&c.e.v3.st.incidents, c.ids[i], c.keys[i], "Incident", nil)
}

func (c *c3) showIncident() r3 {
	in, nf := c.bindIncident(0)
	if nf != nil {
		return *nf
	}
	return show3(c, in, in.id, "Incident", incidentSpec3, c.incidentVisible3, c.incidentRes)
}

// validateIncident is CreateIncidentRequestData::rules (:49-89) and
// UpdateIncidentRequestData::rules (:31-57), in the order spatie/laravel-data
// hands them to the validator: the constructor's properties first (a
// property with a default whose snake_case name differs from its own and
// that the payload lacks comes after them, with the rules() keys no property
// claimed), wildcard rules last because Laravel appends their expansions
// (laravel-data:src/Resolvers/DataValidationRulesResolver.php:33-125 at 4.x,
// lf:src/Illuminate/Validation/ValidationRuleParser.php:69-82 at 12.x).
func (c *c3) validateIncident(create bool) *r3 {
	v := c.validator()
	if !create {
		v.field("name", "string", "max:255")
		v.field("message", "string")
		v.field("status", "enum:0,1,2,3,4")
		v.field("visible", "bool")
		v.field("stickied", "bool")
		v.field("notifications", "bool")
		v.field("occurred_at", "nullable", "date")
		v.field("published_at", "nullable", "date")
		v.field("meta", "nullable", "array")
		return v.result()
	}
	v.field("name", "required", "string", "max:255")
	v.field("status", "required", "enum:0,1,2,3,4")
	v.field("message", "required_without:template", "string")
	v.field("template", "required_without:message", "string", "exists:incident_templates")
	v.field("visible", "bool")
	v.field("stickied", "bool")
	v.field("notifications", "bool")
	mapped := []struct {
		attr  string
		rules []string
	}{
		{"occurred_at", []string{"nullable", "date"}},
		{"published_at", []string{"nullable", "date"}},
		{"template_vars", []string{"array"}},
		{"component_id", []string{"exists:components"}},
		{"component_status", []string{"nullable", "enum:1,2,3,4,5,6", "required_with:component_id"}},
	}
	for _, m := range mapped {
		if _, given := c.in[m.attr]; given {
			v.field(m.attr, m.rules...)
		}
	}
	v.field("components", "array")
	v.field("meta", "nullable", "array")
	for _, m := range mapped {
		if _, given := c.in[m.attr]; !given {
			v.field(m.attr, m.rules...)
		}
	}
	v.eachPivot("components", "required", "int", "enum:1,2,3,4,5,6")
	return v.result()
}

func (c *c3) applyIncident(in *incident3) {
	if v, ok := c.in["name"].(string); ok {
		in.name = v
	}
	if v, ok := c.in["message"].(string); ok {
		in.message = v
	}
	if n, ok := enumInt(c.in["status"]); ok && c.in["status"] != nil {
		in.status = n
	}
	if v := c.in["visible"]; v != nil {
		in.visible = b2i(boolOf(v))
	}
	if v := c.in["stickied"]; v != nil {
		in.stickied = boolOf(v)
	}
	if v := c.in["notifications"]; v != nil {
		in.notifications = boolOf(v)
	}
	if t, ok := parseDate3(c.in["occurred_at"]); ok {
		in.occurredAt = &t
	}
	if t, ok := parseDate3(c.in["published_at"]); ok {
		in.publishedAt = &t
	}
	if c.in["meta"] != nil {
		in.meta = in.meta.sync(metaIn(c.in))
	}
}

// createIncident is CreateIncident (core:src/Actions/Incident/CreateIncident.php:24-61).
// API-created incidents are visible=0 (authenticated) unless visible is true.
func (c *c3) createIncident() r3 {
	if bad := c.validateIncident(true); bad != nil {
		return *bad
	}
	// An array of existing ids passes exists:components,id, then cannot be
	// the ?int $componentId the Data object is built with: a TypeError,
	// before the ability check (core:src/Data/Requests/Incident/CreateIncidentRequestData.php).
	if isArray(c.in["component_id"]) {
		return msg3(http.StatusInternalServerError, "Server Error")
	}
	if denied := c.guard("incidents.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	in := &incident3{id: st.incidents.alloc(), guid: uuid4(), publishedAt: ptr(c.now), createdAt: c.now, updatedAt: c.now}
	c.applyIncident(in)
	if slug, ok := c.in["template"].(string); ok {
		// CreateIncident::parseTemplate (core:src/Actions/Incident/CreateIncident.php:64-83).
		vars := map[string]any{}
		if tv, ok := c.in["template_vars"].(map[string]any); ok {
			for k, v := range tv {
				vars[k] = v
			}
		}
		vars["incident"] = map[string]any{"name": in.name, "status": c.in["status"], "message": c.in["message"],
			"visible": c.in["visible"], "notify": c.in["notifications"], "stickied": c.in["stickied"],
			"occurred_at": c.now.Format(dateTime), "component": nil, "component_status": c.in["component_status"]}
		msg, err := c.e.render(c.templateBySlug(slug).template, vars)
		if err != nil {
			return msg3(http.StatusInternalServerError, "Server Error")
		}
		in.message = strings.TrimSuffix(msg, " ") // the 2.x renderer's trailing space is not 3.x's
	}
	// The components list and the legacy pair both attach (CreateIncident.php:38-51).
	if list, ok := c.in["components"].([]any); ok {
		for _, el := range list {
			m, _ := el.(map[string]any)
			id, _ := enumInt(m["id"])
			s, _ := enumInt(m["status"])
			in.components = append(in.components, pivot3{id, s})
		}
	}
	if id, ok := enumInt(c.in["component_id"]); ok && c.in["component_id"] != nil {
		s, _ := enumInt(c.in["component_status"])
		in.components = slices.DeleteFunc(in.components, func(p pivot3) bool { return p.component == id })
		in.components = append(in.components, pivot3{id, s})
	}
	st.incidents.put(in.id, in)
	c.created = in
	incl, _ := c.includes3(incidentSpec3.includes, false)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.incidentRes(w, in, without(incl, "meta"), inc) })
}

func (c *c3) updateIncident() r3 {
	in, nf := c.bindIncident(0)
	if nf != nil {
		return *nf
	}
	if bad := c.validateIncident(false); bad != nil {
		return *bad
	}
	if denied := c.guard("incidents.manage"); denied != nil {
		return *denied
	}
	before := incidentColumns(in)
	c.applyIncident(in)
	// UpdateIncident is $incident->update(...) (core:src/Actions/Incident/UpdateIncident.php:17):
	// Eloquent saves, and bumps updated_at, only a dirty model.
	// notifications has no cast (core:src/Models/Incident.php:81-90), so a
	// given bool never equals the 0/1 read back: it is always dirty.
	if incidentColumns(in) != before || c.in["notifications"] != nil {
		in.updatedAt = c.now
	}
	incl, _ := c.includes3(incidentSpec3.includes, false)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.incidentRes(w, in, without(incl, "meta"), inc) })
}

// deleteIncident hard-deletes the updates and soft-deletes the incident
// (core:src/Actions/Incident/DeleteIncident.php:14-16).
func (c *c3) deleteIncident() r3 {
	in, nf := c.bindIncident(0)
	if r := c.guarded(nf, "incidents.delete"); r != nil {
		return *r
	}
	st := &c.e.v3.st
	for _, u := range slices.Clone(st.updates.rows) {
		if u.kind == "incident" && u.parent == in.id {
			st.updates.remove(u.id)
		}
	}
	st.incidents.remove(in.id)
	return r3{status: http.StatusNoContent}
}

var updateSpec3 = spec3[update3]{
	filters: []string{"status"},
	filter: map[string]filter3[update3]{
		"status": func(x *update3, vs []any) bool { return anyExactInt(x.status, vs) },
	},
	sorts: []string{"status", "created_at"},
	sort: map[string]func(a, b *update3) int{
		"status":     func(a, b *update3) int { return cmpInt(a.status, b.status) },
		"created_at": func(a, b *update3) int { return a.createdAt.Compare(b.createdAt) },
	},
	includes: []string{"incident", "incidentCount", "incidentExists"},
}

// updateRes writes an update (core:src/Http/Resources/Update.php:15-35).
func (c *c3) updateRes(w *jw, u *update3, incl []string, inc *included3) {
	resource3(w, "updates", u.id, func(w *jw) {
		w.kint("id", u.id)
		w.kint("updateable_id", u.parent)
		w.kstr("updateable_type", u.kind)
		w.kstr("message", u.message)
		if u.kind == "incident" {
			w.kenum("status", u.status, incidentStatus3)
		}
		w.ktime3("created", &u.createdAt, c.now)
		w.ktime3("updated", &u.updatedAt, c.now)
	}, func(w *jw) bool {
		if inc == nil || !slices.Contains(incl, "incident") {
			return false
		}
		in, ok := c.e.v3.st.incidents.get(u.parent)
		if !ok {
			relOne(w, "incident", "incidents", 0)
			return true
		}
		relOne(w, "incident", "incidents", in.id)
		inc.add("incidents", in.id, func(w *jw) { c.incidentRes(w, in, nil, nil) })
		return true
	})
}

// parentIncident binds {incident} and checks the caller may view it
// (core:src/Http/Controllers/Api/IncidentUpdateController.php:92-101: 404 with an empty message).
func (c *c3) parentIncident(read bool) (*incident3, *r3) {
	in, nf := c.bindIncident(0)
	if nf != nil {
		return nil, nf
	}
	if read && !c.incidentVisible3(in) {
		r := msg3(http.StatusNotFound, "")
		return nil, &r
	}
	return in, nil
}

// bindUpdate is the scoped binding of {update} through $incident->updates().
func (c *c3) bindUpdate(kind string, parent int) (*update3, *r3) {
	return bind3(&c.e.v3.st.updates, c.ids[1], c.keys[1], "Update", func(u *update3) bool { return u.kind != kind || u.parent != parent })
}

func (c *c3) listUpdates() r3 {
	in, nf := c.parentIncident(true)
	if nf != nil {
		return *nf
	}
	rows := where(c.e.v3.st.updates.rows, func(u *update3) bool { return u.kind == "incident" && u.parent == in.id })
	return index3(c, rows, updateSpec3, c.updateRes)
}

func (c *c3) showUpdate() r3 {
	in, nf := c.parentIncident(true)
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("incident", in.id)
	if nf != nil {
		return *nf
	}
	return show3(c, u, u.id, "Update", updateSpec3, nil, c.updateRes)
}

// incidentColumns are an incident's own columns an update can make dirty;
// dates compare as stored, to the second.
type incidentColumnValues struct {
	name, message                    string
	status, visible                  int
	stickied                         bool
	occurred, published, hasOccurred int64
}

func incidentColumns(in *incident3) incidentColumnValues {
	v := incidentColumnValues{name: in.name, message: in.message, status: in.status, visible: in.visible, stickied: in.stickied, hasOccurred: -1}
	if in.occurredAt != nil {
		v.occurred, v.hasOccurred = in.occurredAt.Unix(), 1
	}
	if in.publishedAt != nil {
		v.published = in.publishedAt.Unix()
	}
	return v
}

// syncIncidentStatus sets the incident's status to its newest update's
// (core:src/Actions/Incident/SyncIncidentStatus.php:17-36); a change is an
// $incident->update(), which bumps updated_at.
func (c *c3) syncIncidentStatus(in *incident3) {
	var newest *update3
	for _, u := range c.e.v3.st.updates.rows {
		if u.kind != "incident" || u.parent != in.id {
			continue
		}
		if newest == nil || !u.createdAt.Before(newest.createdAt) {
			newest = u
		}
	}
	if newest != nil && in.status != newest.status {
		in.status = newest.status
		in.updatedAt = c.now
	}
}

func (c *c3) createUpdate() r3 {
	in, nf := c.parentIncident(false)
	if nf != nil {
		return *nf
	}
	v := c.validator()
	v.field("status", "required", "enum:0,1,2,3,4")
	v.field("message", "required", "string")
	if bad := v.result(); bad != nil {
		return *bad
	}
	if denied := c.guard("incident-updates.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	s, _ := enumInt(c.in["status"])
	u := &update3{id: st.updates.alloc(), kind: "incident", parent: in.id, status: s, message: phpString(c.in["message"]), createdAt: c.now, updatedAt: c.now}
	st.updates.put(u.id, u)
	c.syncIncidentStatus(in)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.updateRes(w, u, nil, inc) })
}

func (c *c3) editUpdate() r3 {
	in, nf := c.parentIncident(false)
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("incident", in.id)
	if nf != nil {
		return *nf
	}
	v := c.validator()
	v.field("status", "enum:0,1,2,3,4")
	v.field("message", "string")
	if bad := v.result(); bad != nil {
		return *bad
	}
	if denied := c.guard("incident-updates.manage"); denied != nil {
		return *denied
	}
	// EditUpdate is $update->update($data->toArray())
	// (core:src/Actions/Update/EditUpdate.php): updated_at moves only when
	// the status or the message changes.
	if n, ok := enumInt(c.in["status"]); ok && c.in["status"] != nil && n != u.status {
		u.status, u.updatedAt = n, c.now
	}
	if m, ok := c.in["message"].(string); ok && m != u.message {
		u.message, u.updatedAt = m, c.now
	}
	c.syncIncidentStatus(in)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.updateRes(w, u, nil, inc) })
}

func (c *c3) deleteUpdate() r3 {
	in, nf := c.parentIncident(false)
	if nf != nil {
		return *nf
	}
	u, nf := c.bindUpdate("incident", in.id)
	if r := c.guarded(nf, "incident-updates.delete"); r != nil {
		return *r
	}
	c.e.v3.st.updates.remove(u.id)
	c.syncIncidentStatus(in)
	return r3{status: http.StatusNoContent}
}

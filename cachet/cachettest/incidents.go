package cachettest

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var incidentStatusNames = []string{"", "Investigating", "Identified", "Watching", "Fixed"}

func incidentHumanStatus(s int) string {
	if s < 1 || s > 4 {
		return "cachet.incidents.status." + strconv.Itoa(s)
	}
	return incidentStatusNames[s]
}

var incidentIcons = map[int]string{
	0: "icon ion-android-calendar",
	1: "icon ion-flag oranges",
	2: "icon ion-alert yellows",
	3: "icon ion-eye blues",
	4: "icon ion-checkmark greens",
}

func (i *incident) latest() *incidentUpdate {
	var best *incidentUpdate
	for _, u := range i.updates {
		if best == nil || !u.createdAt.Before(best.createdAt) {
			best = u
		}
	}
	return best
}

func (i *incident) latestStatus() int {
	if u := i.latest(); u != nil {
		return u.status
	}
	return i.status
}

func (i *incident) resolved() bool { return i.latestStatus() == 4 }

// updatesNewestFirst orders updates by created_at DESC, newest id first on ties.
func updatesNewestFirst(us []*incidentUpdate) []*incidentUpdate {
	out := make([]*incidentUpdate, 0, len(us))
	for i := len(us) - 1; i >= 0; i-- {
		out = append(out, us[i])
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].createdAt.After(out[j-1].createdAt); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (c *call) writeIncident(w *jw, i *incident, created bool) {
	w.obj()
	w.kint("id", i.id)
	w.kintOrNull("user_id", i.userID)
	w.kint("component_id", i.componentID)
	w.kstr("name", i.name)
	w.kint("status", i.status)
	w.kint("visible", i.visible)
	w.kbool("stickied", i.stickied)
	w.kbool("notifications", i.notifications)
	w.kstr("message", i.message)
	w.ktime("occurred_at", i.occurredAt, c.loc)
	w.ktime("created_at", i.createdAt, c.loc)
	w.ktime("updated_at", i.updatedAt, c.loc)
	if !created {
		w.knull("deleted_at")
	}
	w.kbool("is_resolved", i.resolved())
	w.key("meta")
	if len(i.metaKeys) == 0 {
		w.arr()
		w.endArr()
	} else {
		w.obj()
		for _, k := range i.metaKeys {
			w.key(k)
			w.value(i.meta[k])
		}
		w.endObj()
	}
	w.key("updates")
	w.arr()
	for _, u := range updatesNewestFirst(i.updates) {
		c.writeUpdate(w, u)
	}
	w.endArr()
	w.kstr("human_status", incidentHumanStatus(i.status))
	latest := i.latest()
	if latest != nil {
		w.kint("latest_update_id", latest.id)
	} else {
		w.knull("latest_update_id")
	}
	w.kint("latest_status", i.latestStatus())
	w.kstr("latest_human_status", incidentHumanStatus(i.latestStatus()))
	w.kstr("latest_icon", incidentIcons[i.latestStatus()])
	w.kstr("permalink", c.base+"/incidents/"+strconv.Itoa(i.id))
	w.kint("duration", int(max(c.now.Sub(i.occurredAt), 0)/time.Second))
	w.endObj()
}

func (e *Emulator) incidentColumn(i *incident, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(i.id), true
	case "user_id":
		return numCell(i.userID), true
	case "component_id":
		return numCell(i.componentID), true
	case "name":
		return strCell(i.name), true
	case "status":
		return numCell(i.status), true
	case "visible":
		return numCell(i.visible), true
	case "stickied":
		return boolCell(i.stickied), true
	case "notifications":
		return boolCell(i.notifications), true
	case "message":
		return strCell(i.message), true
	case "occurred_at":
		return strCell(i.occurredAt.Format(dateTime)), true
	case "created_at":
		return strCell(i.createdAt.Format(dateTime)), true
	case "updated_at":
		return strCell(i.updatedAt.Format(dateTime)), true
	case "deleted_at":
		return strCell(""), true
	}
	return cell{}, false
}

func (e *Emulator) listIncidents(c *call) resp {
	rows := e.st.incidents.rows
	if !c.authed {
		rows = filter(rows, func(i *incident) bool { return i.visible >= 1 })
	}
	p, bad := list(c, rows, listSpec[incident]{
		searchable: []string{"id", "user_id", "component_id", "name", "status", "visible", "stickied"},
		column:     e.incidentColumn,
		sortable:   []string{"id", "user_id", "name", "status", "visible", "stickied", "message", "occurred_at"},
	})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, i *incident) { c.writeIncident(w, i, false) })
}

func (e *Emulator) getIncident(c *call) resp {
	i, _ := e.st.incidents.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeIncident(w, i, false) })
}

var twigVar = regexp.MustCompile(`\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*(?:\|\s*(?:e|escape|raw)\s*)?-?\}\}`)

// render is a minimal Twig: {{ name }} and {{ a.b }} from vars, HTML-escaped
// (Twig's default autoescape); unknown variables render empty.
func render(tpl string, vars map[string]any) string {
	return twigVar.ReplaceAllStringFunc(tpl, func(m string) string {
		path := twigVar.FindStringSubmatch(m)[1]
		var v any = vars
		for part := range strings.SplitSeq(path, ".") {
			obj, ok := v.(map[string]any)
			if !ok {
				return ""
			}
			v = obj[part]
		}
		if _, ok := v.(map[string]any); ok {
			return "Array"
		}
		return html.EscapeString(phpString(v))
	})
}

// renderTemplate renders the template with this slug, or reports false.
func (e *Emulator) renderTemplate(slug string, vars map[string]any) (string, bool) {
	for _, t := range e.st.templates.rows {
		if t.slug == slug {
			return render(t.template, vars), true
		}
	}
	return "", false
}

func parseMinute(v any, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", phpString(v), loc)
	return t.UTC(), err == nil
}

func (e *Emulator) createIncident(c *call) resp {
	in := c.in
	if msgs := validate(
		has(in, "name", "required|string"),
		has(in, "status", "required|int|min:0|max:4"),
		has(c.postMessageInput(), "message", "nullable|string"),
		val("visible", phpBool(orDefault(in, "visible", true)), "nullable|bool"),
		val("stickied", phpBool(in["stickied"]), "required|bool"),
		has(in, "component_id", "required_with:component_status|int"),
		has(in, "component_status", "required_with:component_id|int|min:0|max:4"),
		has(in, "occurred_at", "nullable|string"),
		has(in, "template", "nullable|string"),
		has(in, "meta", "nullable|array"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if v, ok := in["vars"]; ok && !isArray(v) {
		return errResp(http.StatusInternalServerError, "") // TypeError: vars must be an array
	}
	occurred := c.now
	if v, ok := in["occurred_at"]; ok && v != nil && phpString(v) != "" {
		t, ok := parseMinute(v, c.loc)
		if !ok {
			return errResp(http.StatusInternalServerError, "")
		}
		occurred = t
	}
	inc := &incident{
		userID:        1,
		componentID:   phpInt(in["component_id"]),
		name:          phpString(in["name"]),
		status:        phpInt(in["status"]),
		visible:       b2i(phpBool(orDefault(in, "visible", true))),
		stickied:      phpBool(in["stickied"]),
		notifications: phpBool(orDefault(in, "notify", true)),
		message:       phpString(c.postMessageInput()["message"]),
		occurredAt:    occurred,
		createdAt:     c.now,
		updatedAt:     c.now,
		meta:          map[string]any{},
	}
	if slug := phpString(in["template"]); slug != "" {
		vars := templateVars(in, inc.name, inc.status, inc.message, inc.visible == 1, inc.stickied)
		msg, _ := e.renderTemplate(slug, vars)
		inc.message = msg
	}
	if msgs := validate(val("message", inc.message, "required")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if m, ok := in["meta"].(map[string]any); ok {
		for k, v := range m {
			if !isEmptyValue(v) {
				inc.metaKeys = append(inc.metaKeys, k)
				inc.meta[k] = v
			}
		}
		slices.Sort(inc.metaKeys)
	}
	inc.id = e.st.incidents.alloc()
	e.st.incidents.put(inc.id, inc)
	e.incidentComponent(in, c.now)
	return dataResp(func(w *jw) { c.writeIncident(w, inc, true) })
}

// incidentComponent applies component_id/component_status (silently, as
// on the 2.4 head).
func (e *Emulator) incidentComponent(in map[string]any, now time.Time) {
	id, ok := in["component_id"]
	if !ok || id == nil {
		return
	}
	if comp, ok := e.st.components.get(phpInt(id)); ok {
		if s := phpInt(in["component_status"]); s != comp.status {
			comp.status = s
			comp.updatedAt = now
		}
	}
}

func templateVars(in map[string]any, name string, status int, message string, visible, stickied bool) map[string]any {
	vars := map[string]any{}
	if v, ok := in["vars"].(map[string]any); ok {
		for k, x := range v {
			vars[k] = x
		}
	}
	vars["incident"] = map[string]any{
		"name":             name,
		"status":           status,
		"message":          message,
		"visible":          visible,
		"stickied":         stickied,
		"component_id":     in["component_id"],
		"component_status": in["component_status"],
	}
	return vars
}

func (e *Emulator) updateIncident(c *call) resp {
	inc, _ := e.st.incidents.get(c.ids[0])
	in := c.in
	visible := phpBool(orDefault(in, "visible", true))
	stickied := phpBool(in["stickied"])
	if msgs := validate(
		has(in, "name", "nullable|string"),
		has(in, "status", "nullable|int|min:0|max:4"),
		has(in, "message", "nullable|string"),
		val("visible", visible, "nullable|bool"),
		val("stickied", stickied, "nullable|bool"),
		has(in, "component_id", "nullable|int"),
		has(in, "component_status", "nullable|int|min:0|max:4"),
		has(in, "occurred_at", "nullable|string"),
		has(in, "template", "nullable|string"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if v, ok := in["vars"]; ok && !isArray(v) {
		return errResp(http.StatusInternalServerError, "")
	}
	next := *inc
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["status"]; ok && v != nil {
		next.status = phpInt(v)
	}
	if v, ok := in["message"]; ok && v != nil {
		next.message = phpString(v)
	}
	if v, ok := in["component_id"]; ok && v != nil {
		next.componentID = phpInt(v)
	}
	if v, ok := in["occurred_at"]; ok && v != nil && phpString(v) != "" {
		t, ok := parseMinute(v, c.loc)
		if !ok {
			return errResp(http.StatusInternalServerError, "")
		}
		next.occurredAt = t
	}
	next.visible = b2i(visible)
	next.stickied = stickied
	next.notifications = phpBool(orDefault(in, "notify", true))
	if slug := phpString(in["template"]); slug != "" {
		vars := templateVars(in, next.name, next.status, next.message, visible, stickied)
		if msg, ok := e.renderTemplate(slug, vars); ok {
			next.message = msg
		}
	}
	if msgs := validate(val("name", next.name, "required"), val("message", next.message, "required")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	next.updatedAt = c.now
	*inc = next
	e.incidentComponent(in, c.now)
	return dataResp(func(w *jw) { c.writeIncident(w, inc, false) })
}

func (e *Emulator) deleteIncident(c *call) resp {
	e.st.incidents.remove(c.ids[0])
	return resp{status: http.StatusNoContent}
}

// Incident updates (2.4).

func (c *call) writeUpdate(w *jw, u *incidentUpdate) {
	w.obj()
	w.kint("id", u.id)
	w.kint("incident_id", u.incidentID)
	w.kint("status", u.status)
	w.kstr("message", u.message)
	w.kint("user_id", u.userID)
	w.ktime("created_at", u.createdAt, c.loc)
	w.ktime("updated_at", u.updatedAt, c.loc)
	w.kstr("human_status", incidentHumanStatus(u.status))
	w.kstr("permalink", c.base+"/incidents/"+strconv.Itoa(u.incidentID)+"#update-"+strconv.Itoa(u.id))
	w.endObj()
}

func (e *Emulator) listUpdates(c *call) resp {
	inc, _ := e.st.incidents.get(c.ids[0])
	rows := updatesNewestFirst(inc.updates)
	// created_at DESC comes first; a sort column only breaks ties, which
	// the emulator leaves in id-descending order.
	p, bad := list(c, rows, listSpec[incidentUpdate]{})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, u *incidentUpdate) { c.writeUpdate(w, u) })
}

// getUpdate resolves any update id, whatever the incident in the path.
func (e *Emulator) getUpdate(c *call) resp {
	u, _ := e.st.updates.get(c.ids[1])
	return dataResp(func(w *jw) { c.writeUpdate(w, u) })
}

func (e *Emulator) createUpdate(c *call) resp {
	inc, _ := e.st.incidents.get(c.ids[0])
	in := c.in
	if msgs := validate(
		has(in, "status", "required|int|min:1|max:4"),
		has(in, "message", "required|string"),
		has(in, "component_id", "required_with:component_status|int"),
		has(in, "component_status", "required_with:component_id|int|min:0|max:4"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	u := &incidentUpdate{
		id:         e.st.updates.alloc(),
		incidentID: inc.id,
		status:     phpInt(in["status"]),
		message:    phpString(in["message"]),
		userID:     1,
		createdAt:  c.now,
		updatedAt:  c.now,
	}
	e.st.updates.put(u.id, u)
	inc.updates = append(inc.updates, u)
	if inc.status != u.status {
		inc.status = u.status
		inc.updatedAt = c.now
	}
	return dataResp(func(w *jw) { c.writeUpdate(w, u) })
}

func (e *Emulator) updateUpdate(c *call) resp {
	u, _ := e.st.updates.get(c.ids[1])
	in := c.in
	if msgs := validate(
		has(in, "status", "nullable|int|min:1|max:4"),
		has(in, "message", "nullable|string"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if v, ok := in["status"]; ok && v != nil {
		u.status = phpInt(v)
	}
	if v, ok := in["message"]; ok && v != nil {
		u.message = phpString(v)
	}
	u.userID = 1
	u.updatedAt = c.now
	return dataResp(func(w *jw) { c.writeUpdate(w, u) })
}

func (e *Emulator) deleteUpdate(c *call) resp {
	u, _ := e.st.updates.get(c.ids[1])
	e.st.updates.remove(u.id)
	if inc, ok := e.st.incidents.get(u.incidentID); ok {
		for i, x := range inc.updates {
			if x == u {
				inc.updates = append(inc.updates[:i:i], inc.updates[i+1:]...)
				break
			}
		}
	}
	return resp{status: http.StatusNoContent}
}

// Incident templates (2.4, read-only).

func (c *call) writeTemplate(w *jw, t *incidentTemplate) {
	w.obj()
	w.kint("id", t.id)
	w.kstr("name", t.name)
	w.kstr("slug", t.slug)
	w.kstr("template", t.template)
	w.ktime("created_at", t.createdAt, time.UTC)
	w.ktime("updated_at", t.updatedAt, time.UTC)
	w.knull("deleted_at")
	w.endObj()
}

func (e *Emulator) listTemplates(c *call) resp {
	if _, ok := c.in["sort"]; ok {
		return errResp(http.StatusInternalServerError, "") // the model has no SortableTrait
	}
	p, bad := list(c, e.st.templates.rows, listSpec[incidentTemplate]{})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, t *incidentTemplate) { c.writeTemplate(w, t) })
}

func (e *Emulator) getTemplate(c *call) resp {
	t, _ := e.st.templates.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeTemplate(w, t) })
}

package cachettest

import (
	"cmp"
	"net/http"
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

// incidentShape selects the keys of an incident answer.
type incidentShape struct {
	created bool  // a POST answer: only the attributes the model was given
	notify  *bool // 2.3 POST: the handler sets $incident->notify
}

// writeIncident writes an incident as IncidentPresenter::toArray does:
// app/Presenters/IncidentPresenter.php:304-319 (2.4) over the model's
// attributes, or v2.3.18 app/Presenters/IncidentPresenter.php:191-199.
func (c *call) writeIncident(w *jw, i *incident, shape incidentShape) {
	if c.e.v23 {
		c.writeIncident23(w, i, shape)
		return
	}
	w.obj()
	w.kint("id", i.id)
	w.kintOrNull("user_id", i.userID)
	// CreateIncidentCommandHandler.php:94-96 sets component_id only when
	// truthy; a POST answer has no key otherwise.
	if !shape.created || i.componentID != 0 {
		w.kint("component_id", i.componentID)
	}
	w.kstr("name", i.name)
	w.kint("status", i.status)
	w.kint("visible", i.visible)
	w.kbool("stickied", i.stickied)
	w.kbool("notifications", i.notifications)
	w.kstr("message", i.message)
	w.ktime("occurred_at", i.occurredAt, c.loc)
	w.ktime("created_at", i.createdAt, c.loc)
	w.ktime("updated_at", i.updatedAt, c.loc)
	if !shape.created {
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
	// IncidentPresenter.php:280-287: 0 without updates; with one, the
	// seconds between created_at and the update's occurred_at, a column
	// incident updates do not have (null: Carbon compares with now).
	duration := 0
	if latest != nil {
		duration = int(c.now.Sub(i.createdAt).Abs() / time.Second)
	}
	w.kint("duration", duration)
	w.endObj()
}

// writeIncident23 writes a v2.3.18 incident: the columns id, component_id,
// name, status, visible, message, scheduled_at and timestamps, plus
// human_status. The presenter renders a null scheduled_at as now
// (DateFactory::make(null)).
func (c *call) writeIncident23(w *jw, i *incident, shape incidentShape) {
	w.obj()
	w.kint("id", i.id)
	if !shape.created || i.componentID != 0 {
		w.kint("component_id", i.componentID)
	}
	w.kstr("name", i.name)
	w.kint("status", i.status)
	w.kint("visible", i.visible)
	w.kstr("message", i.message)
	w.ktime("scheduled_at", orNow(i.scheduledAt, c.now), c.loc)
	w.ktime("created_at", i.createdAt, c.loc)
	w.ktime("updated_at", i.updatedAt, c.loc)
	if !shape.created {
		w.knull("deleted_at")
	}
	if shape.notify != nil {
		w.kbool("notify", *shape.notify) // ReportIncidentCommandHandler.php:102
	}
	w.kstr("human_status", incidentHumanStatus23(i.status))
	w.endObj()
}

// incidentHumanStatus23 is v2.3.18 cachet.incidents.status.*, which names 0.
func incidentHumanStatus23(s int) string {
	if s == 0 {
		return "Scheduled"
	}
	return incidentHumanStatus(s)
}

func (e *Emulator) incidentColumn(i *incident, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(i.id), true
	case "component_id":
		return numCell(i.componentID), true
	case "name":
		return strCell(i.name), true
	case "status":
		return numCell(i.status), true
	case "visible":
		return numCell(i.visible), true
	case "message":
		return strCell(i.message), true
	case "created_at":
		return strCell(i.createdAt.Format(dateTime)), true
	case "updated_at":
		return strCell(i.updatedAt.Format(dateTime)), true
	case "deleted_at":
		return strCell(""), true
	}
	if e.v23 {
		if key == "scheduled_at" {
			return strCell(i.scheduledAt.Format(dateTime)), true
		}
		return cell{}, false
	}
	switch key {
	case "user_id":
		return numCell(i.userID), true
	case "stickied":
		return boolCell(i.stickied), true
	case "notifications":
		return boolCell(i.notifications), true
	case "occurred_at":
		return strCell(i.occurredAt.Format(dateTime)), true
	}
	return cell{}, false
}

func (e *Emulator) listIncidents(c *call) resp {
	rows := e.st.incidents.rows
	if !c.authed {
		rows = filter(rows, func(i *incident) bool { return i.visible >= 1 })
	}
	spec := listSpec[incident]{
		searchable: []string{"id", "user_id", "component_id", "name", "status", "visible", "stickied"},
		column:     e.incidentColumn,
		sortable:   []string{"id", "user_id", "name", "status", "visible", "stickied", "message", "occurred_at"},
	}
	if e.v23 { // v2.3.18 app/Models/Incident.php:73-92
		spec.searchable = []string{"id", "component_id", "name", "status", "visible"}
		spec.sortable = []string{"id", "name", "status", "visible", "message"}
	}
	p, bad := list(c, rows, spec)
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, i *incident) { c.writeIncident(w, i, incidentShape{}) })
}

func (e *Emulator) getIncident(c *call) resp {
	i, _ := e.st.incidents.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeIncident(w, i, incidentShape{}) })
}

// findTemplate is IncidentTemplate::where('slug', $slug)->first().
func (e *Emulator) findTemplate(slug any) *incidentTemplate {
	if slug == nil {
		return nil
	}
	s := phpString(slug)
	for _, t := range e.st.templates.rows {
		if strings.EqualFold(t.slug, s) {
			return t
		}
	}
	return nil
}

// incidentTemplateVars are the variables of a 2.4 incident template: vars,
// then incident with the command's values (CreateIncidentCommandHandler.php:
// 182-194, UpdateIncidentCommandHandler.php:187-199).
func (e *Emulator) incidentTemplateVars(in map[string]any, message any, visible, notify, stickied bool) map[string]any {
	vars := map[string]any{}
	if v, ok := in["vars"].(map[string]any); ok {
		for k, x := range v {
			vars[k] = x
		}
	}
	var comp any
	if _, ok := e.st.components.get(phpInt(in["component_id"])); ok && phpInt(in["component_id"]) > 0 {
		comp = twigObject{}
	}
	vars["incident"] = map[string]any{
		"name":             in["name"],
		"status":           in["status"],
		"message":          message,
		"visible":          visible,
		"notify":           notify,
		"stickied":         stickied,
		"occurred_at":      in["occurred_at"],
		"component":        comp,
		"component_status": in["component_status"],
	}
	return vars
}

// storeMeta is StoresMeta::storeMeta (app/Bus/Handlers/Traits/
// StoresMeta.php:28-80): a value that PHP's empty() rejects (null, false, 0,
// "0", "", []) is not stored (and an existing key is deleted); inside an
// array value, such members are removed first (one level deep).
func storeMeta(i *incident, meta map[string]any) {
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := meta[k]
		switch x := v.(type) {
		case map[string]any:
			kept := map[string]any{}
			for mk, mv := range x {
				if !phpEmpty(mv) {
					kept[mk] = mv
				}
			}
			v = kept
		case []any:
			kept := map[string]any{}
			for j, mv := range x {
				if !phpEmpty(mv) {
					kept[strconv.Itoa(j)] = mv
				}
			}
			if len(kept) == len(x) {
				v = x
			} else {
				v = kept
			}
		}
		if phpEmpty(v) {
			if _, ok := i.meta[k]; ok {
				delete(i.meta, k)
				i.metaKeys = slices.DeleteFunc(i.metaKeys, func(s string) bool { return s == k })
			}
			continue
		}
		if _, ok := i.meta[k]; !ok {
			i.metaKeys = append(i.metaKeys, k)
		}
		i.meta[k] = v
	}
}

// phpEmpty is PHP's empty().
func phpEmpty(v any) bool {
	switch x := v.(type) {
	case string:
		return x == "" || x == "0"
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return !phpBool(v)
}

// incidentModelRules are Incident::$rules on save: app/Models/Incident.php:
// 128-137 (2.4), v2.3.18 app/Models/Incident.php:60-66.
func (e *Emulator) incidentModelRules(i *incident, visible any) []string {
	if e.v23 {
		fields := []field{}
		if i.componentID != 0 {
			fields = append(fields, val("component_id", i.componentID, "int"))
		}
		fields = append(fields,
			val("name", i.name, "required"),
			val("status", i.status, "required|int"),
			val("visible", visible, "required|bool"),
			val("message", i.message, "required"))
		return validate(fields...)
	}
	return validate(
		val("name", i.name, "required|string"),
		val("message", i.message, "required|string"))
}

// createIncident is IncidentController::store (2.4: app/Http/Controllers/
// Api/IncidentController.php:67-89 and CreateIncidentCommandHandler.php:
// 77-137; v2.3.18: IncidentController.php:67-86 and
// ReportIncidentCommandHandler.php:65-106).
func (e *Emulator) createIncident(c *call) resp {
	if e.v23 {
		return e.createIncident23(c)
	}
	in := c.in
	visible := phpBool(orDefault(in, "visible", true))
	notify := phpBool(orDefault(in, "notify", true))
	stickied := phpBool(orDefault(in, "stickied", false))
	message, hasMessage := c.raw["message"] // read raw (:73)
	// The command's constructor types vars and meta as arrays
	// (CreateIncidentCommand.php:143): anything else, null included, is a
	// TypeError (500) before validation.
	if badArrayArg(in, "vars") || badArrayArg(in, "meta") {
		return errResp(http.StatusInternalServerError, "")
	}
	if msgs := validate(
		has(in, "name", "required|string"),
		has(in, "status", "required|int|min:0|max:4"),
		field{name: "message", value: message, present: hasMessage, rules: "nullable|string"},
		val("visible", visible, "nullable|bool"),
		has(in, "component_id", "nullable|required_with:component_status|int"),
		has(in, "component_status", "nullable|required_with:component_id|int|min:0|max:4"),
		val("notify", notify, "nullable|bool"),
		val("stickied", stickied, "required|bool"),
		has(in, "occurred_at", "nullable|string"),
		has(in, "template", "nullable|string"),
		has(in, "meta", "nullable|array"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	inc := &incident{
		userID:    1,
		name:      phpString(in["name"]),
		status:    phpInt(in["status"]),
		visible:   b2i(visible),
		stickied:  stickied,
		message:   phpString(message),
		createdAt: c.now,
		updatedAt: c.now,
		meta:      map[string]any{},
	}
	if t := e.findTemplate(in["template"]); t != nil {
		msg, err := e.render(t.template, e.incidentTemplateVars(in, message, visible, notify, stickied))
		if err != nil {
			return errResp(http.StatusInternalServerError, "")
		}
		inc.message = msg
	}
	if phpBool(in["component_id"]) {
		inc.componentID = phpInt(in["component_id"])
	}
	inc.occurredAt = c.now
	if v := in["occurred_at"]; phpBool(v) {
		t, msg := parseMinute(v, c.loc)
		if msg != "" {
			return errResp(http.StatusInternalServerError, "") // Carbon's InvalidArgumentException
		}
		inc.occurredAt = t
	}
	if msgs := e.incidentModelRules(inc, visible); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if m, ok := in["meta"].(map[string]any); ok {
		storeMeta(inc, m)
	}
	inc.id = e.st.incidents.alloc()
	e.st.incidents.put(inc.id, inc)
	e.incidentComponent(in, c.now)
	return dataResp(func(w *jw) { c.writeIncident(w, inc, incidentShape{created: true}) })
}

// createIncident23 is v2.3.18's ReportIncidentCommandHandler: command rules
// are not enforced (app/Foundation/Providers/AppServiceProvider.php:43), the
// date input is created_at in d/m/Y H:i, and the component named by a
// truthy component_id is updated (a missing one is a 500).
func (e *Emulator) createIncident23(c *call) resp {
	in := c.in
	// ReportIncidentCommand.php:119: array $template_vars = null.
	if v, ok := in["vars"]; ok && v != nil && !isArray(v) {
		return errResp(http.StatusInternalServerError, "")
	}
	visible := orDefault(in, "visible", true)
	inc := &incident{
		name:      phpString(in["name"]),
		status:    phpInt(in["status"]),
		visible:   phpInt(visible),
		message:   phpString(in["message"]),
		createdAt: c.now,
		updatedAt: c.now,
		meta:      map[string]any{},
	}
	if t := e.findTemplate(in["template"]); t != nil && phpString(in["template"]) != "" {
		vars, _ := in["vars"].(map[string]any)
		msg, err := e.render(t.template, vars)
		if err != nil {
			return errResp(http.StatusInternalServerError, "")
		}
		inc.message = msg
	}
	if phpBool(in["component_id"]) {
		inc.componentID = phpInt(in["component_id"])
	}
	if v := in["created_at"]; phpBool(v) {
		t, msg := createFromFormat("d/m/Y H:i", phpString(v), c.loc)
		if msg != "" {
			return errResp(http.StatusInternalServerError, "")
		}
		inc.createdAt, inc.updatedAt = t.UTC(), t.UTC()
	}
	fields := []field{}
	if inc.componentID != 0 {
		fields = append(fields, val("component_id", in["component_id"], "int"))
	}
	fields = append(fields,
		val("name", in["name"], "required"),
		val("status", in["status"], "required|int"),
		val("visible", visible, "required|bool"),
		val("message", inc.message, "required"))
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if bad := e.incidentComponent23(in, c.now); bad != nil {
		return *bad
	}
	inc.id = e.st.incidents.alloc()
	e.st.incidents.put(inc.id, inc)
	notify := phpBool(orDefault(in, "notify", true))
	return dataResp(func(w *jw) { c.writeIncident(w, inc, incidentShape{created: true, notify: &notify}) })
}

// incidentComponent23 is v2.3.18's Component::find($id)->update(['status' =>
// $component_status]): a missing component is a 500 (a call on null), a
// null status fails the component's required rule, and every update mails
// subscribers (ComponentWasUpdatedEvent).
func (e *Emulator) incidentComponent23(in map[string]any, now time.Time) *resp {
	if !phpBool(in["component_id"]) {
		return nil
	}
	comp, ok := e.st.components.get(phpInt(in["component_id"]))
	if !ok {
		r := errResp(http.StatusInternalServerError, "")
		return &r
	}
	if msgs := validate(val("status", in["component_status"], "required|int")); len(msgs) > 0 {
		r := validationErr(msgs)
		return &r
	}
	if s := phpInt(in["component_status"]); s != comp.status {
		comp.status = s
		comp.updatedAt = now
	}
	e.st.statusEvents++
	return nil
}

// incidentComponent is the UpdateComponentCommand an incident with a
// component_id runs, silently on the 2.4 head (CreateIncidentCommandHandler.
// php:118-132): ComponentStatusWasChangedEvent still fires (and is counted)
// when the status is truthy and changes.
func (e *Emulator) incidentComponent(in map[string]any, now time.Time) {
	id, ok := in["component_id"]
	if !ok || id == nil {
		return
	}
	if comp, ok := e.st.components.get(phpInt(id)); ok && in["component_status"] != nil {
		if s := phpInt(in["component_status"]); s != comp.status {
			if s != 0 {
				e.st.statusEvents++
			}
			comp.status = s
			comp.updatedAt = now
		}
	}
}

// updateIncident is IncidentController::update (2.4 :98-120 and
// UpdateIncidentCommandHandler.php:76-122): visible and stickied are always
// sent ((bool), defaults true and false); notify and component_status are
// not columns; notifications is never written; meta is not passed.
func (e *Emulator) updateIncident(c *call) resp {
	if e.v23 {
		return e.updateIncident23(c)
	}
	inc, _ := e.st.incidents.get(c.ids[0])
	in := c.in
	visible := phpBool(orDefault(in, "visible", true))
	notify := phpBool(orDefault(in, "notify", true))
	stickied := phpBool(orDefault(in, "stickied", false))
	if badArrayArg(in, "vars") { // UpdateIncidentCommand.php:154: array $template_vars
		return errResp(http.StatusInternalServerError, "")
	}
	if msgs := validate(
		has(in, "name", "nullable|string"),
		has(in, "status", "nullable|int|min:0|max:4"),
		has(in, "message", "nullable|string"),
		val("visible", visible, "nullable|bool"),
		has(in, "component_id", "nullable|int"),
		has(in, "component_status", "nullable|int|min:0|max:4|required_with:component_id"),
		val("notify", notify, "nullable|bool"),
		val("stickied", stickied, "nullable|bool"),
		has(in, "occurred_at", "nullable|string"),
		has(in, "template", "nullable|string"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	message := in["message"]
	if t := e.findTemplate(in["template"]); t != nil {
		msg, err := e.render(t.template, e.incidentTemplateVars(in, message, visible, notify, stickied))
		if err != nil {
			return errResp(http.StatusInternalServerError, "")
		}
		message = msg
	}
	next := *inc
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["status"]; ok && v != nil {
		next.status = phpInt(v)
	}
	if message != nil {
		next.message = phpString(message)
	}
	if v, ok := in["component_id"]; ok && v != nil {
		next.componentID = phpInt(v)
	}
	next.visible = b2i(visible)
	next.stickied = stickied
	if v := in["occurred_at"]; phpBool(v) {
		t, msg := parseMinute(v, c.loc)
		if msg != "" {
			return errResp(http.StatusInternalServerError, "")
		}
		next.occurredAt = t
	}
	if msgs := e.incidentModelRules(&next, visible); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if !incidentColumnsEqual(inc, &next) {
		next.updatedAt = c.now
	}
	*inc = next
	e.incidentComponent(in, c.now)
	return dataResp(func(w *jw) { c.writeIncident(w, inc, incidentShape{}) })
}

func incidentColumnsEqual(a, b *incident) bool {
	return a.name == b.name && a.status == b.status && a.message == b.message && a.componentID == b.componentID &&
		a.visible == b.visible && a.stickied == b.stickied && a.occurredAt.Equal(b.occurredAt)
}

// updateIncident23 is v2.3.18's UpdateIncidentCommandHandler (:65-93): a
// template slug that does not exist is a 500 (a call on null); created_at
// (d/m/Y H:i) sets created_at and updated_at.
func (e *Emulator) updateIncident23(c *call) resp {
	inc, _ := e.st.incidents.get(c.ids[0])
	in := c.in
	if v, ok := in["vars"]; ok && v != nil && !isArray(v) {
		return errResp(http.StatusInternalServerError, "")
	}
	message := in["message"]
	if phpBool(in["template"]) {
		t := e.findTemplate(in["template"])
		if t == nil {
			return errResp(http.StatusInternalServerError, "")
		}
		vars, _ := in["vars"].(map[string]any)
		msg, err := e.render(t.template, vars)
		if err != nil {
			return errResp(http.StatusInternalServerError, "")
		}
		message = msg
	}
	visible := orDefault(in, "visible", true)
	next := *inc
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	status := any(next.status)
	if v, ok := in["status"]; ok && v != nil {
		status = v
		next.status = phpInt(v)
	}
	if message != nil {
		next.message = phpString(message)
	}
	if v, ok := in["component_id"]; ok && v != nil {
		next.componentID = phpInt(v)
	}
	if visible != nil {
		next.visible = phpInt(visible)
	} else {
		visible = inc.visible
	}
	fields := []field{}
	if next.componentID != 0 {
		fields = append(fields, val("component_id", next.componentID, "int"))
	}
	fields = append(fields,
		val("name", next.name, "required"),
		val("status", status, "required|int"),
		val("visible", visible, "required|bool"),
		val("message", next.message, "required"))
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if !incidentColumnsEqual(inc, &next) {
		next.updatedAt = c.now
	}
	if v := in["created_at"]; phpBool(v) {
		t, msg := createFromFormat("d/m/Y H:i", phpString(v), c.loc)
		if msg != "" {
			return errResp(http.StatusInternalServerError, "")
		}
		next.createdAt, next.updatedAt = t.UTC(), t.UTC()
	}
	if bad := e.incidentComponent23(in, c.now); bad != nil {
		return *bad
	}
	*inc = next
	return dataResp(func(w *jw) { c.writeIncident(w, inc, incidentShape{}) })
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
	// ORDER BY created_at DESC comes first; a sortable column only breaks
	// its ties, and always descending: SortableTrait gets a bool direction,
	// which Laravel's orderBy reads as desc
	// (app/Http/Controllers/Api/IncidentUpdateController.php:38-44 and
	// app/Models/IncidentUpdate.php:71-75, 2.4). Other ties stay id-descending.
	if col := phpString(c.in["sort"]); col == "id" || col == "status" || col == "user_id" {
		key := func(u *incidentUpdate) int {
			switch col {
			case "status":
				return u.status
			case "user_id":
				return u.userID
			}
			return u.id
		}
		slices.SortStableFunc(rows, func(a, b *incidentUpdate) int {
			if d := b.createdAt.Truncate(time.Second).Compare(a.createdAt.Truncate(time.Second)); d != 0 {
				return d
			}
			return cmp.Compare(key(b), key(a))
		})
	}
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
	// UpdateIncidentUpdateCommandHandler.php:53-77 (2.4): the non-null
	// values and the caller as user_id; updated_at moves only on a change,
	// then IncidentUpdate::$rules on save (app/Models/IncidentUpdate.php:59-64).
	next := *u
	if v, ok := in["status"]; ok && v != nil {
		next.status = phpInt(v)
	}
	if v, ok := in["message"]; ok && v != nil {
		next.message = phpString(v)
	}
	next.userID = 1
	if msgs := validate(val("message", next.message, "required|string")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if next != *u {
		next.updatedAt = c.now
	}
	*u = next
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

// badArrayArg reports an input that PHP refuses for a parameter typed
// array with a default: the key is present and its value (null included)
// is not an array.
func badArrayArg(in map[string]any, key string) bool {
	v, ok := in[key]
	return ok && !isArray(v)
}

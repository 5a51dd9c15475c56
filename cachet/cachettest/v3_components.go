package cachettest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// groupVisible3 is ComponentGroup::scopeVisible: guests see visible=1,
// token holders 0 and 1, nobody 2 (core:src/Http/Controllers/Api/ComponentGroupController.php:63).
func groupVisible3(g *group3, authed bool) bool {
	if authed {
		return g.visible == 0 || g.visible == 1
	}
	return g.visible == 1
}

// compVisible3 is ComponentController::visibleComponents
// (core:src/Http/Controllers/Api/ComponentController.php:90-101).
func (c *c3) compVisible3(x *comp3) bool {
	if !c.authed() && !x.enabled {
		return false
	}
	if x.groupID == 0 {
		return true
	}
	g, ok := c.e.v3.st.groups.get(x.groupID)
	return ok && groupVisible3(g, c.authed())
}

// latestStatus3 is Component::latest_status (core:src/Models/Component.php:265-276):
// an in-progress published maintenance window's impact replaces the
// baseline status (the worst impact if several), then the worst of that
// and the impacts of unresolved public incidents wins.
func (c *c3) latestStatus3(x *comp3) int {
	st := &c.e.v3.st
	baseline, inMaintenance := x.status, false
	for _, s := range st.schedules.rows {
		if scheduleStatus(s, c.now) != 1 || !published3(s.publishedAt, c.now) {
			continue
		}
		for _, p := range s.components {
			if p.component == x.id && (!inMaintenance || severity3[p.status] > severity3[baseline]) {
				baseline, inMaintenance = p.status, true
			}
		}
	}
	worst := baseline
	for _, in := range st.incidents.rows {
		if in.status >= 4 || in.visible != 1 || !published3(in.publishedAt, c.now) {
			continue // unresolvedIncidents: unresolved()->viewableBy(false) (Component.php:143-146)
		}
		for _, p := range in.components {
			if p.component == x.id && severity3[p.status] > severity3[worst] {
				worst = p.status
			}
		}
	}
	return worst
}

var compSpec3 = spec3[comp3]{
	filters:  []string{"name", "status", "enabled", "meta"},
	defaults: map[string]string{"enabled": "true"}, // AllowedFilter::exact('enabled')->default(true)
	filter: map[string]filter3[comp3]{
		"name":    func(x *comp3, vs []any) bool { return anyPartial(x.name, vs) },
		"status":  func(x *comp3, vs []any) bool { return anyExactInt(x.status, vs) },
		"enabled": func(x *comp3, vs []any) bool { return anyExactInt(b2i(x.enabled), vs) },
	},
	sorts: []string{"name", "order", "id"},
	sort: map[string]func(a, b *comp3) int{
		"name":  func(a, b *comp3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"order": func(a, b *comp3) int { return cmpInt(derefOr(a.order, -1), derefOr(b.order, -1)) },
		"id":    func(a, b *comp3) int { return cmpInt(a.id, b.id) },
	},
	includes: []string{"group", "groupCount", "groupExists", "incidents", "meta", "metaCount", "metaExists"},
	meta:     func(x *comp3) meta3 { return x.meta },
}

func derefOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// anyPartial is a partial filter: LOWER(col) LIKE %v% for any v. Members
// that loosely equal ” ("", null, false) are dropped from a list, and a
// list left empty constrains nothing (qb:src/Filters/FiltersPartial.php:28-41
// at 6.4.4).
func anyPartial(col string, vs []any) bool {
	kept := 0
	for _, v := range vs {
		if v == nil || v == "" || v == false {
			continue
		}
		kept++
		if lowerContains(col, phpString(v)) {
			return true
		}
	}
	return kept == 0
}

// anyExactInt is an exact filter on an int (or bool) column: = or IN.
func anyExactInt(col int, vs []any) bool {
	for _, v := range vs {
		switch v := v.(type) {
		case bool:
			if b2i(v) == col {
				return true
			}
		default:
			if n, ok := enumInt(v); ok && n == col {
				return true
			}
		}
	}
	return false
}

func (c *c3) listComponents() r3 {
	return index3(c, where(c.e.v3.st.components.rows, c.compVisible3), compSpec3, c.compRes)
}

// compRes writes a component (core:src/Http/Resources/Component.php:11-57).
func (c *c3) compRes(w *jw, x *comp3, incl []string, inc *included3) {
	c.compResOpts(w, x, incl, inc, nil)
}

// compResOpts writes a component; nulls lists attributes written as null
// (a create response serialises the in-memory model).
func (c *c3) compResOpts(w *jw, x *comp3, incl []string, inc *included3, nulls []string) {
	resource3(w, "components", x.id, func(w *jw) {
		w.kint("id", x.id)
		w.kstr("name", x.name)
		kstrOrNull(w, "description", x.description)
		kstrOrNull(w, "link", x.link)
		w.key("order")
		if x.order == nil || slices.Contains(nulls, "order") {
			w.null()
		} else {
			w.int(*x.order)
		}
		w.kenum("status", x.status, componentStatus3)
		w.kenum("latest_status", c.latestStatus3(x), componentStatus3)
		w.kbool("enabled", x.enabled)
		if slices.Contains(incl, "meta") {
			w.key("meta")
			x.meta.write(w)
		}
		w.ktime3("created", &x.createdAt, c.now)
		w.ktime3("updated", &x.updatedAt, c.now)
	}, func(w *jw) bool {
		wrote := false
		if slices.Contains(incl, "group") {
			wrote = true
			g, ok := c.e.v3.st.groups.get(x.groupID)
			if !ok {
				relOne(w, "group", "componentGroups", 0)
			} else {
				relOne(w, "group", "componentGroups", g.id)
				inc.add("componentGroups", g.id, func(w *jw) { c.groupRes(w, g, nil, nil) })
			}
		}
		if slices.Contains(incl, "incidents") {
			wrote = true
			var ids []int
			for _, in := range c.e.v3.st.incidents.rows {
				if !c.incidentVisible3(in) || !slices.ContainsFunc(in.components, func(p pivot3) bool { return p.component == x.id }) {
					continue
				}
				ids = append(ids, in.id)
				inc.add("incidents", in.id, func(w *jw) { c.incidentRes(w, in, nil, nil) })
			}
			relMany(w, "incidents", "incidents", ids)
		}
		return wrote
	})
}

// bindComponent is route-model binding: soft-deleted rows do not bind.
func (c *c3) bindComponent(i int) (*comp3, *r3) {
	return bind3(&c.e.v3.st.components, c.ids[i], c.keys[i], "Component", nil)
}

func (c *c3) showComponent() r3 {
	x, nf := c.bindComponent(0)
	if nf != nil {
		return *nf
	}
	return show3(c, x, x.id, "Component", compSpec3, c.compVisible3, c.compRes)
}

// validateComponent is Create/UpdateComponentRequestData::rules (:24-43).
func (c *c3) validateComponent(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("name", "string", "required", "max:255")
	} else {
		v.field("name", "string", "max:255")
	}
	v.field("description", "string")
	v.field("status", "enum:1,2,3,4,5,6")
	v.field("link", "string", "url")
	v.field("order", "int", "min:0")
	v.field("enabled", "bool")
	v.field("component_group_id", "int", "min:0", "exists:component_groups")
	v.field("meta", "nullable", "array")
	return v.result()
}

// createComponent is ComponentController::store and CreateComponent
// (core:src/Actions/Component/CreateComponent.php:15-17).
func (c *c3) createComponent() r3 {
	if bad := c.validateComponent(true); bad != nil {
		return *bad
	}
	if denied := c.guard("components.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	x := &comp3{id: st.components.alloc(), name: phpString(c.in["name"]), status: 5, enabled: true, createdAt: c.now, updatedAt: c.now}
	if n, ok := phpIntParam(c.in["status"]); ok && c.in["status"] != nil {
		x.status = n // no status event on create
	}
	c.applyComponent(x)
	x.meta = x.meta.sync(metaIn(c.in))
	st.components.put(x.id, x)
	incl, _ := c.includes3(compSpec3.includes, false)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.compRes(w, x, without(incl, "meta"), inc) })
}

// applyComponent sets the non-null fields of the input (BaseData::toArray
// drops nulls, core:src/Data/BaseData.php:21-27). It reports whether a
// column changed.
func (c *c3) applyComponent(x *comp3) bool {
	changed := false
	if v, ok := c.in["name"].(string); ok && v != x.name {
		x.name, changed = v, true
	}
	if v, ok := c.in["description"].(string); ok && (x.description == nil || *x.description != v) {
		x.description, changed = ptr(v), true
	}
	if v, ok := c.in["link"].(string); ok && (x.link == nil || *x.link != v) {
		x.link, changed = ptr(v), true
	}
	if n, ok := phpIntParam(c.in["order"]); ok && c.in["order"] != nil && (x.order == nil || *x.order != n) {
		x.order, changed = ptr(n), true
	}
	if v, ok := c.in["enabled"]; ok && v != nil && boolOf(v) != x.enabled {
		x.enabled, changed = boolOf(v), true
	}
	if n, ok := existsKey(c.in["component_group_id"]); ok && n != x.groupID {
		x.groupID, changed = n, true
	}
	return changed
}

func metaIn(in map[string]any) map[string]any {
	switch m := in["meta"].(type) {
	case map[string]any:
		return m
	case []any: // a JSON list: keys 0, 1, ...
		out := map[string]any{}
		for i, v := range m {
			out[strconv.Itoa(i)] = v
		}
		return out
	}
	return map[string]any{}
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}

// updateComponent is UpdateComponent (core:src/Actions/Component/UpdateComponent.php:21-43):
// a status that changes fires ComponentStatusWasChanged; meta is replaced
// when given.
func (c *c3) updateComponent() r3 {
	x, nf := c.bindComponent(0)
	if nf != nil {
		return *nf
	}
	if bad := c.validateComponent(false); bad != nil {
		return *bad
	}
	if denied := c.guard("components.manage"); denied != nil {
		return *denied
	}
	changed := false
	if n, ok := phpIntParam(c.in["status"]); ok && c.in["status"] != nil && n != x.status {
		x.status, changed = n, true
		c.e.v3.st.statusChanges++
	}
	if c.applyComponent(x) {
		changed = true
	}
	if _, ok := c.in["meta"]; ok && c.in["meta"] != nil {
		x.meta = x.meta.sync(metaIn(c.in))
	}
	if changed {
		x.updatedAt = c.now
	}
	incl, _ := c.includes3(compSpec3.includes, false)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.compRes(w, x, without(incl, "meta"), inc) })
}

// deleteComponent detaches its subscriptions and soft-deletes it
// (core:src/Actions/Component/DeleteComponent.php:14-16).
func (c *c3) deleteComponent() r3 {
	x, nf := c.bindComponent(0)
	if r := c.guarded(nf, "components.delete"); r != nil {
		return *r
	}
	st := &c.e.v3.st
	for _, s := range st.subs.rows {
		s.components = slices.DeleteFunc(s.components, func(id int) bool { return id == x.id })
	}
	st.components.remove(x.id)
	st.trashed[x.id] = true
	return r3{status: http.StatusNoContent}
}

var groupSpec3 = spec3[group3]{
	filters: []string{"meta"},
	sorts:   []string{"name", "id"},
	sort: map[string]func(a, b *group3) int{
		"name": func(a, b *group3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"id":   func(a, b *group3) int { return cmpInt(a.id, b.id) },
	},
	includes: []string{"components", "meta", "metaCount", "metaExists"},
	meta:     func(x *group3) meta3 { return x.meta },
}

// groupVisible is groupVisible3 for the caller.
func (c *c3) groupVisible(g *group3) bool { return groupVisible3(g, c.authed()) }

func (c *c3) listGroups() r3 {
	return index3(c, where(c.e.v3.st.groups.rows, c.groupVisible), groupSpec3, c.groupRes)
}

// groupRes writes a group (core:src/Http/Resources/ComponentGroup.php:11-40).
func (c *c3) groupRes(w *jw, g *group3, incl []string, inc *included3) {
	c.groupResOpts(w, g, incl, inc, nil)
}

func (c *c3) groupResOpts(w *jw, g *group3, incl []string, inc *included3, nulls []string) {
	resource3(w, "componentGroups", g.id, func(w *jw) {
		w.kint("id", g.id)
		w.kstr("name", g.name)
		intOrNull := func(k string, v int) {
			if slices.Contains(nulls, k) {
				w.knull(k)
			} else {
				w.kint(k, v)
			}
		}
		strOrNull := func(k, v string) {
			if v == "" {
				w.knull(k)
			} else {
				w.kstr(k, v)
			}
		}
		intOrNull("order", g.order)
		strOrNull("order_column", g.orderColumn)
		strOrNull("order_direction", g.orderDirection)
		intOrNull("collapsed", g.collapsed)
		intOrNull("visible", g.visible)
		if slices.Contains(incl, "meta") {
			w.key("meta")
			g.meta.write(w)
		}
		w.ktime3("created", &g.createdAt, c.now)
		w.ktime3("updated", &g.updatedAt, c.now)
	}, func(w *jw) bool {
		if !slices.Contains(incl, "components") || inc == nil {
			return false
		}
		var ids []int
		for _, x := range c.e.v3.st.components.rows {
			// Guests get enabled components only (ComponentGroupController.php:44-49).
			if x.groupID != g.id || !c.authed() && !x.enabled {
				continue
			}
			ids = append(ids, x.id)
			inc.add("components", x.id, func(w *jw) { c.compRes(w, x, nil, nil) })
		}
		relMany(w, "components", "components", ids)
		return true
	})
}

func (c *c3) bindGroup(i int) (*group3, *r3) {
	return bind3(&c.e.v3.st.groups, c.ids[i], c.keys[i], "ComponentGroup", nil)
}

func (c *c3) showGroup() r3 {
	g, nf := c.bindGroup(0)
	if nf != nil {
		return *nf
	}
	return show3(c, g, g.id, "ComponentGroup", groupSpec3, c.groupVisible, c.groupRes)
}

// validateGroup is Create/UpdateComponentGroupRequestData::rules (create :27-55).
func (c *c3) validateGroup(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("name", "required", "string", "max:255")
	} else {
		v.field("name", "string", "max:255")
	}
	v.field("order", "int", "min:0")
	v.field("visible", "bool")
	v.field("collapsed", "enum:0,1,2")
	v.field("order_column", "enum:id,last_updated,name,manual,status")
	direction := []string{"nullable", "enum:asc,desc"}
	// Rule::requiredIf(filled($column) && $column !== 'manual') (:35-43):
	// any filled value, a string or not.
	if col := c.in["order_column"]; !isEmptyValue(col) && col != "manual" {
		direction = []string{"nullable", "required", "enum:asc,desc"}
	}
	// laravel-data orders the rules by constructor property, but passes over
	// orderDirection (a default, a snake_case name of its own) when the
	// payload lacks it and appends its rules() entry after the properties;
	// Laravel appends the components.* expansions last (see validateIncident).
	_, directionGiven := c.in["order_direction"]
	if directionGiven {
		v.field("order_direction", direction...)
	}
	v.field("components", "array")
	v.field("meta", "nullable", "array")
	if !directionGiven {
		v.field("order_direction", direction...)
	}
	v.each("components", "", "int", "min:0", "exists:components")
	return v.result()
}

// groupColumnValues are a group's own columns, the ones an update can
// make dirty.
type groupColumnValues struct {
	name                        string
	order, visible, collapsed   int
	orderColumn, orderDirection string
}

func groupColumns(g *group3) groupColumnValues {
	return groupColumnValues{g.name, g.order, g.visible, g.collapsed, g.orderColumn, g.orderDirection}
}

func (c *c3) applyGroup(g *group3) {
	if v, ok := c.in["name"].(string); ok {
		g.name = v
	}
	if n, ok := phpIntParam(c.in["order"]); ok && c.in["order"] != nil {
		g.order = n
	}
	if v, ok := c.in["visible"]; ok && v != nil {
		g.visible = b2i(boolOf(v)) // a bool cast to ResourceVisibilityEnum: 1 guest, 0 authenticated
	}
	if n, ok := phpIntParam(c.in["collapsed"]); ok && c.in["collapsed"] != nil {
		g.collapsed = n
	}
	if v, ok := c.in["order_column"].(string); ok {
		g.orderColumn = v
	}
	if v, ok := c.in["order_direction"].(string); ok {
		g.orderDirection = v
	}
	// components is add-only (core:src/Actions/ComponentGroup/CreateComponentGroup.php:24-30),
	// a mass update through the Eloquent builder, which sets updated_at on
	// every row it matches, already a member or not
	// (lf:src/Illuminate/Database/Eloquent/Builder.php:1264,1359 at 12.x).
	if list, ok := c.in["components"].([]any); ok {
		for _, v := range list {
			if n, ok := existsKey(v); ok {
				if x, ok := c.e.v3.st.components.get(n); ok {
					x.groupID, x.updatedAt = g.id, c.now
				}
			}
		}
	}
	if _, ok := c.in["meta"]; ok && c.in["meta"] != nil {
		g.meta = g.meta.sync(metaIn(c.in))
	}
}

func (c *c3) createGroup() r3 {
	if bad := c.validateGroup(true); bad != nil {
		return *bad
	}
	if denied := c.guard("component-groups.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	// DB defaults: order 0, collapsed 1, visible 0.
	g := &group3{id: st.groups.alloc(), order: 0, collapsed: 1, visible: 0, createdAt: c.now, updatedAt: c.now}
	c.applyGroup(g)
	st.groups.put(g.id, g)
	var nulls []string // DB-defaulted columns the request left out read as null
	for _, k := range []string{"order", "collapsed", "visible"} {
		if c.in[k] == nil {
			nulls = append(nulls, k)
		}
	}
	// The serializer renders the relationships ?include= names, though no
	// query builder ran; meta is not loaded (syncMeta unsets it).
	incl, _ := c.includes3(groupSpec3.includes, false)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.groupResOpts(w, g, without(incl, "meta"), inc, nulls) })
}

func (c *c3) updateGroup() r3 {
	g, nf := c.bindGroup(0)
	if nf != nil {
		return *nf
	}
	if bad := c.validateGroup(false); bad != nil {
		return *bad
	}
	if denied := c.guard("component-groups.manage"); denied != nil {
		return *denied
	}
	before := groupColumns(g)
	c.applyGroup(g)
	// Eloquent saves, and so bumps updated_at, only a dirty model
	// (lf:src/Illuminate/Database/Eloquent/Model.php:1232); meta and
	// membership live in other tables.
	if groupColumns(g) != before {
		g.updatedAt = c.now
	}
	incl, _ := c.includes3(groupSpec3.includes, false)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.groupRes(w, g, without(incl, "meta"), inc) })
}

// deleteGroup orphans the group's components, then hard-deletes it
// (core:src/Actions/ComponentGroup/DeleteComponentGroup.php:14-16).
func (c *c3) deleteGroup() r3 {
	g, nf := c.bindGroup(0)
	if r := c.guarded(nf, "component-groups.delete"); r != nil {
		return *r
	}
	st := &c.e.v3.st
	for _, x := range st.components.rows {
		if x.groupID == g.id { // a builder update: updated_at moves too
			x.groupID, x.updatedAt = 0, c.now
		}
	}
	st.groups.remove(g.id)
	return r3{status: http.StatusNoContent}
}

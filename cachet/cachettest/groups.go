package cachettest

import (
	"cmp"
	"net/http"
	"slices"
)

// memberIndex maps group ids to their enabled components, id ascending.
func (e *Emulator) memberIndex() map[int][]*component {
	idx := map[int][]*component{}
	for _, comp := range e.st.components.rows {
		if comp.enabled && comp.groupID != 0 {
			idx[comp.groupID] = append(idx[comp.groupID], comp)
		}
	}
	return idx
}

// members returns a group's enabled components ordered by order, and the
// same set worst status first.
func (e *Emulator) members(g *group, index map[int][]*component) (byOrder, lowest []*component) {
	if index != nil {
		byOrder = slices.Clone(index[g.id])
	} else {
		for _, comp := range e.st.components.rows {
			if comp.groupID == g.id && comp.enabled {
				byOrder = append(byOrder, comp)
			}
		}
	}
	slices.SortStableFunc(byOrder, func(a, b *component) int { return cmp.Compare(a.order, b.order) })
	lowest = slices.Clone(byOrder)
	slices.SortStableFunc(lowest, func(a, b *component) int { return cmp.Compare(b.status, a.status) })
	return byOrder, lowest
}

// writeGroup writes a group as ComponentGroupPresenter does; created is the
// shape of a POST response (no nested components).
func (c *call) writeGroup(w *jw, g *group, created bool) {
	w.obj()
	w.kint("id", g.id)
	w.kstr("name", g.name)
	w.kint("order", g.order)
	w.kint("collapsed", g.collapsed)
	if !c.e.v23 {
		w.kint("visible", g.visible)
	}
	w.ktime("created_at", g.createdAt, c.loc)
	w.ktime("updated_at", g.updatedAt, c.loc)
	byOrder, lowest := c.e.members(g, c.members)
	if created {
		// ComponentGroupPresenter::lowest_human_status queries the members
		// (app/Presenters/ComponentGroupPresenter.php:47-52, 71-78): a new
		// group already has some when components named its id before.
		w.key("lowest_human_status")
		if len(lowest) == 0 {
			w.null()
		} else {
			w.str(c.e.componentStatusName(lowest[0].status))
		}
		w.endObj()
		return
	}
	w.key("enabled_components")
	w.arr()
	for _, comp := range byOrder {
		c.writeComponent(w, comp, false)
	}
	w.endArr()
	w.key("enabled_components_lowest")
	w.arr()
	for _, comp := range lowest {
		c.writeComponent(w, comp, false)
	}
	w.endArr()
	w.key("lowest_human_status")
	if len(lowest) == 0 {
		w.null()
	} else {
		w.str(c.e.componentStatusName(lowest[0].status))
	}
	w.endObj()
}

func (e *Emulator) groupColumn(g *group, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(g.id), true
	case "name":
		return strCell(g.name), true
	case "order":
		return numCell(g.order), true
	case "collapsed":
		return numCell(g.collapsed), true
	case "visible":
		return numCell(g.visible), !e.v23
	case "created_at":
		return strCell(g.createdAt.Format(dateTime)), true
	case "updated_at":
		return strCell(g.updatedAt.Format(dateTime)), true
	}
	return cell{}, false
}

func (e *Emulator) listGroups(c *call) resp {
	rows := e.st.groups.rows
	if !c.authed && !e.v23 {
		rows = filter(rows, func(g *group) bool { return g.visible == 1 })
	}
	spec := listSpec[group]{
		searchable: []string{"id", "name", "order", "collapsed", "visible"},
		column:     e.groupColumn,
		sortable:   []string{"id", "name", "order", "collapsed", "visible"},
		dirParam:   !e.v23,
	}
	if e.v23 {
		spec.searchable = []string{"id", "name", "order", "collapsed"}
		spec.sortable = []string{"id", "name", "order", "collapsed"}
	}
	p, bad := list(c, rows, spec)
	if bad != nil {
		return *bad
	}
	if len(p.items) > 1 {
		c.members = e.memberIndex()
	}
	return writeList(c, p, func(w *jw, g *group) { c.writeGroup(w, g, false) })
}

func (e *Emulator) getGroup(c *call) resp {
	g, _ := e.st.groups.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeGroup(w, g, false) })
}

func (e *Emulator) createGroup(c *call) resp {
	in := c.in
	order := phpInt(orDefault(in, "order", 0))
	collapsed := orDefault(in, "collapsed", 0)
	visible := phpInt(orDefault(in, "visible", 0))
	fields := []field{
		has(in, "name", "required|string"),
		val("order", order, "required|int"),
		val("collapsed", collapsed, "required|int|between:0,4"),
	}
	if e.v23 {
		// v2.3.18 enforces only ComponentGroup::$rules on save
		// (app/Models/ComponentGroup.php:58-62): collapsed is any int.
		fields = []field{has(in, "name", "required|string"), val("collapsed", collapsed, "nullable|int")}
	} else {
		fields = append(fields, val("visible", visible, "required|bool"))
	}
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	g := &group{
		id:        e.st.groups.alloc(),
		name:      phpString(in["name"]),
		order:     order,
		collapsed: phpInt(collapsed),
		visible:   visible,
		createdAt: c.now,
		updatedAt: c.now,
	}
	if e.v23 {
		g.visible = 1
	}
	e.st.groups.put(g.id, g)
	return dataResp(func(w *jw) { c.writeGroup(w, g, true) })
}

// updateGroup reproduces UpdateComponentGroupCommand's (int) casts: an
// omitted order or visible becomes 0.
func (e *Emulator) updateGroup(c *call) resp {
	g, _ := e.st.groups.get(c.ids[0])
	in := c.in
	order := phpInt(in["order"])
	visible := phpInt(in["visible"])
	fields := []field{
		has(in, "name", "nullable|string"),
		val("order", order, "nullable|int"),
		has(in, "collapsed", "nullable|int|between:0,4"),
	}
	if e.v23 {
		fields = []field{has(in, "collapsed", "nullable|int")}
	} else {
		fields = append(fields, val("visible", visible, "nullable|bool"))
	}
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	next := *g
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["collapsed"]; ok && v != nil {
		next.collapsed = phpInt(v)
	}
	next.order = order
	if !e.v23 {
		next.visible = visible
	}
	if msgs := validate(val("name", next.name, "required|string")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if next != *g {
		next.updatedAt = c.now
	}
	*g = next
	return dataResp(func(w *jw) { c.writeGroup(w, g, false) })
}

// deleteGroup hard-deletes the group and orphans its members (group_id 0).
func (e *Emulator) deleteGroup(c *call) resp {
	id := c.ids[0]
	for _, comp := range e.st.components.rows {
		if comp.groupID == id {
			comp.groupID = 0
			comp.updatedAt = c.now
		}
	}
	e.st.groups.remove(id)
	return resp{status: http.StatusNoContent}
}

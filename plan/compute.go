package plan

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/cachetsync/cachetsync/cachet/binput"
	"github.com/cachetsync/cachetsync/internal/laravelslug"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/spec"
)

// Policy holds the choices of the person running the plan.
type Policy struct {
	// Notify sends component status changes without silent, so that
	// Cachet notifies subscribers.
	Notify bool
	// DefaultStatus is the status a new component is created with when
	// the file does not declare one; nil leaves it to Cachet (0, unknown).
	DefaultStatus *page.Status
}

// RefusedError is a plan that a safety rule forbids; the CLI exits 3.
type RefusedError struct{ Reason string }

// Error says what was refused and why.
func (e *RefusedError) Error() string { return "refused: " + e.Reason }

// Compute compares the desired spec with the live page and returns the plan
// that makes the page match. It does no I/O.
func Compute(s *spec.Spec, live *Live, policy Policy) (*Plan, error) {
	c := &computer{spec: s, live: live, policy: policy, plan: &Plan{}}
	c.caps = live.Capabilities()
	c.clean = c.caps.Input
	if err := c.checkTags(); err != nil {
		return nil, err
	}
	if err := c.matchGroups(); err != nil {
		return nil, err
	}
	if err := c.matchComponents(); err != nil {
		return nil, err
	}
	c.planGroups()
	c.planComponents()
	c.markDeletedComponents()
	if !live.SkippedSubscribers {
		c.planSubscribers()
	}
	c.planDeletes()
	if err := refuseTorn(c.plan, live); err != nil {
		return nil, err
	}
	sort.SliceStable(c.plan.Ops, func(i, j int) bool { return c.plan.Ops[i].Step < c.plan.Ops[j].Step })
	c.dependOnIDSets()
	if !c.plan.Empty() {
		for _, g := range live.Groups {
			c.plan.ExistingGroups = append(c.plan.ExistingGroups, g.ID)
		}
		for _, lc := range live.Components {
			c.plan.ExistingComponents = append(c.plan.ExistingComponents, lc.ID)
		}
	}
	return c.plan, nil
}

// manualOrder is the order_column that makes a group's components show in
// their order (Cachet 3.x).
const manualOrder = "manual"

// atPos names a file position in a warning: " (at file:line:column)".
func atPos(p spec.Pos) string {
	if s := p.String(); s != "" {
		return " (at " + s + ")"
	}
	return ""
}

// checkTags refuses a file that declares tags for a server without them,
// with one diagnostic per component at its position.
func (c *computer) checkTags() error {
	if !c.caps.NoTags {
		return nil
	}
	var diags spec.Diagnostics
	for _, sc := range c.spec.AllComponents() {
		if sc.Tags != nil {
			diags = append(diags, spec.Diagnostic{Pos: sc.Pos, Message: fmt.Sprintf("component %q declares tags, which %s does not have; remove them (use `meta` to label components)", sc.Name, c.caps.Server)})
		}
	}
	if len(diags) > 0 {
		return diags
	}
	return nil
}

type computer struct {
	spec   *spec.Spec
	live   *Live
	policy Policy
	caps   Capabilities
	clean  binput.Version // Cachet's input filter (see stored.go)
	plan   *Plan

	groupMatch        map[int]*Group        // spec group index -> live group (nil: create)
	groupTaken        map[int]bool          // live group ids claimed by the spec
	compMatch         map[string]*Component // spec component name -> live component (nil: create)
	compTaken         map[int]bool          // live component ids claimed by the spec
	deletedComponents map[int]bool
	groupNames        map[int]string  // live group id -> name
	hiddenAfter       map[string]bool // spec group name -> hidden once the plan is applied
}

// liveGroupHidden reports whether a live group is shown to logged-in
// users only.
func (c *computer) liveGroupHidden(id int) bool {
	for _, g := range c.live.Groups {
		if g.ID == id {
			return c.caps.GroupVisibility && g.HasVisibility && g.Visible == page.LoggedInOnly
		}
	}
	return false
}

// exposure is the warning of an operation that makes public what was
// hidden.
func exposure(what string, names []string) string {
	return "makes public what was hidden: " + what + ": " + strings.Join(names, ", ")
}

// refuseTorn refuses a plan that would create, delete or re-create objects
// of a kind whose live list was not read whole.
func refuseTorn(p *Plan, live *Live) error {
	if live.Complete {
		return nil
	}
	torn := func(k Kind) (string, bool) {
		if len(live.Incomplete) == 0 {
			return "the read was incomplete", true
		}
		why, ok := live.Incomplete[k]
		return why, ok
	}
	for _, op := range p.Ops {
		why, isTorn := torn(op.Kind)
		risky := op.Action != Update || op.Kind == KindSubscriber
		if isTorn && risky {
			return &RefusedError{Reason: fmt.Sprintf("the live %ss were not read completely (%s), so the plan cannot safely %s %s %q; "+
				"nothing was planned: run it again when the page is not being edited", op.Kind, why, op.Action, op.Kind, op.Key)}
		}
	}
	return nil
}

// index finds live objects by id and by trimmed name without scanning.
type index[T any] struct {
	items  []T
	byID   map[int]int
	byName map[string][]int
	ident  func(T) (int, string)
}

func newIndex[T any](items []T, ident func(T) (int, string)) *index[T] {
	ix := &index[T]{items: items, byID: make(map[int]int, len(items)), byName: make(map[string][]int, len(items)), ident: ident}
	for i, it := range items {
		id, name := ident(it)
		ix.byID[id] = i
		key := strings.TrimSpace(name)
		ix.byName[key] = append(ix.byName[key], i)
	}
	return ix
}

// find returns the live object of a declared one: by pinned id, by name,
// then by earlier names, skipping objects another entry claimed. Live
// duplicates of a name are an error naming their ids.
func (ix *index[T]) find(kind, name string, previously []string, pin int, taken map[int]bool) (*T, error) {
	if pin != 0 {
		i, ok := ix.byID[pin]
		if !ok {
			return nil, fmt.Errorf("%s %q is pinned to id %d, which does not exist on the page", kind, name, pin)
		}
		if taken[pin] {
			return nil, fmt.Errorf("%s %q: id %d is claimed by another %s of the file", kind, name, pin, kind)
		}
		return &ix.items[i], nil
	}
	for _, candidate := range append([]string{name}, previously...) {
		var hits []int
		for _, i := range ix.byName[candidate] {
			if id, _ := ix.ident(ix.items[i]); !taken[id] {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			return &ix.items[hits[0]], nil
		default:
			ids := make([]string, len(hits))
			for k, i := range hits {
				id, _ := ix.ident(ix.items[i])
				ids[k] = fmt.Sprint(id)
			}
			return nil, fmt.Errorf("%s %q is ambiguous: the page has %d %ss named %q (ids %s); pin one with `id:` or rename the others", kind, name, len(hits), kind, candidate, strings.Join(ids, ", "))
		}
	}
	return nil, nil
}

func groupIdent(g Group) (int, string)    { return g.ID, g.Name }
func compIdent(c Component) (int, string) { return c.ID, c.Name }

// entry is a declared object as matching sees it.
type entry struct {
	name       string
	previously []string
	pin        int
}

// matchAll finds the live object of every entry in three passes, so that
// the file's order never matters: pinned ids first, then exact names, then
// earlier names. An object claimed by one entry is never matched by
// another. A nil result means the entry is created.
func matchAll[T any](kind string, entries []entry, ix *index[T]) ([]*T, map[int]bool, error) {
	found := make([]*T, len(entries))
	done := make([]bool, len(entries))
	taken := map[int]bool{}
	var errs []error
	for pass := 0; pass < 3; pass++ {
		for i, e := range entries {
			if done[i] || (pass == 0) != (e.pin != 0) {
				continue
			}
			var prev []string
			if pass == 2 {
				prev = e.previously
			}
			obj, err := ix.find(kind, e.name, prev, e.pin, taken)
			switch {
			case err != nil:
				errs = append(errs, err)
				done[i] = true
			case obj != nil:
				found[i], done[i] = obj, true
				id, _ := ix.ident(*obj)
				taken[id] = true
			case pass != 1: // a pin that matched nothing errs; a name may still match an earlier name
				done[i] = true
			}
		}
	}
	return found, taken, errors.Join(errs...)
}

func (c *computer) matchGroups() error {
	entries := make([]entry, len(c.spec.Groups))
	for i, g := range c.spec.Groups {
		entries[i] = entry{name: c.storedText(g.Name), previously: c.storedTexts(g.Previously), pin: g.ID}
	}
	found, taken, err := matchAll("group", entries, newIndex(c.live.Groups, groupIdent))
	c.groupMatch, c.groupTaken = map[int]*Group{}, taken
	for i, g := range found {
		c.groupMatch[i] = g
	}
	return err
}

func (c *computer) matchComponents() error {
	all := c.spec.AllComponents()
	entries := make([]entry, len(all))
	for i, sc := range all {
		entries[i] = entry{name: c.storedText(sc.Name), previously: c.storedTexts(sc.Previously), pin: sc.ID}
	}
	found, taken, err := matchAll("component", entries, newIndex(c.live.Components, compIdent))
	c.compMatch, c.compTaken = make(map[string]*Component, len(all)), taken
	for i, sc := range all {
		c.compMatch[sc.Name] = found[i]
	}
	return err
}

func (c *computer) add(op Op) { c.plan.Ops = append(c.plan.Ops, op) }

// depend records that the plan relies on fields of a live object.
func (c *computer) depend(kind Kind, id int, fields ...string) {
	c.plan.Depends = append(c.plan.Depends, Dependency{Kind: kind, ID: id, Fields: fields})
}

// dependOnIDSets records the id sets of the kinds the plan creates objects
// in or deletes from: an object of that kind created since (perhaps the
// same one, by someone else) or deleted since changes what the plan does.
// Subscribers are identified by e-mail instead, so that public sign-ups
// never make a saved plan stale.
func (c *computer) dependOnIDSets() {
	seen := map[Kind]bool{}
	for _, op := range c.plan.Ops {
		if op.Kind != KindSubscriber && op.Action != Update && !seen[op.Kind] {
			seen[op.Kind] = true
			c.plan.Depends = append(c.plan.Depends, Dependency{Kind: op.Kind, IDSet: true})
		}
	}
}

func (c *computer) planGroups() {
	members := make([]*rank, len(c.spec.Groups))
	for i := range c.spec.Groups {
		if lg := c.groupMatch[i]; lg != nil {
			members[i] = &rank{order: lg.Order, id: lg.ID}
		}
	}
	orders := pageOrders(members)
	c.hiddenAfter = map[string]bool{}
	for i, g := range c.spec.Groups {
		order := orders[i]
		live := c.groupMatch[i]
		if !c.caps.GroupVisibility && g.Visible != nil && !*g.Visible {
			c.plan.Warnings = append(c.plan.Warnings, fmt.Sprintf("group %q: %s has no group visibility, so `visible: false` cannot hide it", g.Name, c.caps.Server))
		}
		if live == nil {
			w := &GroupWrite{Name: g.Name, Order: order, Visible: page.Public}
			if g.Collapsed != nil {
				w.Collapsed = *g.Collapsed
			}
			if g.Visible != nil && !*g.Visible {
				w.Visible = page.LoggedInOnly
			}
			c.hiddenAfter[g.Name] = c.caps.GroupVisibility && w.Visible == page.LoggedInOnly
			op := Op{Step: StepGroups, Kind: KindGroup, Action: Create, Key: g.Name, Group: w}
			op.Changes = append(op.Changes, Change{Field: "name", After: Text(g.Name)}, Change{Field: "order", After: Int(order)},
				Change{Field: "collapsed", After: Text(w.Collapsed.String())})
			if c.caps.GroupVisibility {
				op.Changes = append(op.Changes, Change{Field: "visible", After: Bool(w.Visible == page.Public)})
			}
			op.Notes = c.groupStorageNotes(g.Name, nil)
			if c.caps.ManualOrder && len(g.Components) > 0 {
				w.OrderColumn = manualOrder
				op.Changes = append(op.Changes, Change{Field: "order_column", After: Text(manualOrder)})
				op.Notes = append(op.Notes, "order_column manual: the components show in the file's order")
			}
			if c.caps.HiddenGroupsUnseen {
				op.Warnings = append(op.Warnings, fmt.Sprintf("%s hides from the API the groups hidden in its dashboard: if %q exists there as a hidden group, this creates a second one%s",
					c.caps.Server, g.Name, atPos(g.Pos)))
			}
			c.add(op)
			continue
		}
		// Every update sends all four fields; unmanaged ones keep the live value.
		w := &GroupWrite{Name: g.Name, Order: order, Collapsed: live.Collapsed, Visible: live.Visible}
		if !c.caps.GroupVisibility || !live.HasVisibility {
			w.Visible = page.Public
		}
		var changes []Change
		if live.Name != c.storedText(g.Name) {
			changes = append(changes, Change{Field: "name", Before: Text(live.Name), After: Text(g.Name)})
		}
		if live.Order != order {
			changes = append(changes, Change{Field: "order", Before: Int(live.Order), After: Int(order)})
		}
		if g.Collapsed != nil && *g.Collapsed != live.Collapsed {
			w.Collapsed = *g.Collapsed
			changes = append(changes, Change{Field: "collapsed", Before: Text(live.Collapsed.String()), After: Text(g.Collapsed.String())})
		}
		if g.Visible != nil && c.caps.GroupVisibility && live.HasVisibility {
			want := page.LoggedInOnly
			if *g.Visible {
				want = page.Public
			}
			if want != live.Visible {
				w.Visible = want
				changes = append(changes, Change{Field: "visible", Before: Bool(live.Visible == page.Public), After: Bool(*g.Visible)})
			}
		}
		var orderNote []string
		if have := live.OrderColumn; c.caps.ManualOrder && len(g.Components) > 0 && have != manualOrder {
			w.OrderColumn = manualOrder
			changes = append(changes, Change{Field: "order_column", Before: Text(cmp.Or(have, "(by status)")), After: Text(manualOrder)})
			orderNote = []string{"order_column manual: the components show in the file's order"}
		}
		c.hiddenAfter[g.Name] = c.caps.GroupVisibility && live.HasVisibility && w.Visible == page.LoggedInOnly
		var exposed []string
		if c.liveGroupHidden(live.ID) && !c.hiddenAfter[g.Name] {
			for _, lc := range c.live.Components {
				if lc.GroupID == live.ID && lc.Enabled {
					exposed = append(exposed, lc.Name)
				}
			}
		}
		if len(changes) > 0 {
			var warnings []string
			if len(exposed) > 0 {
				warnings = append(warnings, exposure("the group becomes visible with its enabled components", exposed))
			}
			// An update sends all four fields, the unmanaged ones as read.
			c.depend(KindGroup, live.ID, "name", "order", "collapsed", "visible")
			c.add(Op{Step: StepGroups, Kind: KindGroup, Action: Update, Key: g.Name, ID: live.ID, Changes: changes, Group: w,
				Warnings: warnings, Exposes: exposed, Notes: append(c.groupStorageNotes(g.Name, changes), orderNote...)})
		} else {
			fields := []string{"name", "order"}
			if g.Collapsed != nil {
				fields = append(fields, "collapsed")
			}
			if g.Visible != nil {
				fields = append(fields, "visible")
			}
			c.depend(KindGroup, live.ID, fields...)
		}
	}
}

// placement is where the file puts a component: its group and order.
type placement struct {
	groupName string // "" = ungrouped
	groupID   int    // 0 for ungrouped or a group created by this plan
	order     int
}

func (c *computer) planComponents() {
	place := func(sc spec.Component, p placement) {
		live := c.compMatch[sc.Name]
		if live == nil {
			c.createComponent(sc, p)
		} else {
			c.updateComponent(sc, p, live)
		}
	}
	for i, g := range c.spec.Groups {
		gid, container := 0, -1 // a group this plan creates has no live members
		if lg := c.groupMatch[i]; lg != nil {
			gid, container = lg.ID, lg.ID
		}
		orders := c.componentOrders(g.Components, container)
		for j, sc := range g.Components {
			place(sc, placement{groupName: g.Name, groupID: gid, order: orders[j]})
		}
	}
	orders := c.componentOrders(c.spec.Components, 0)
	for j, sc := range c.spec.Components {
		place(sc, placement{order: orders[j]})
	}
}

// componentOrders gives the order of each component of one list of the
// file; groupID is the live group the list is (0: ungrouped; -1: a group
// this plan creates, which has no live members).
func (c *computer) componentOrders(list []spec.Component, groupID int) []int {
	members := make([]*rank, len(list))
	for j, sc := range list {
		if lc := c.compMatch[sc.Name]; lc != nil && lc.GroupID == groupID {
			members[j] = &rank{order: lc.Order, id: lc.ID}
		}
	}
	return pageOrders(members)
}

// rank is where a live object sits in its list: Cachet sorts by order, and
// objects of equal order by id.
type rank struct{ order, id int }

// pageOrders returns the order to give each member of a list, in file
// order; nil members are new to the list (created, or moved in). List
// position is what the file declares, but a PUT can notify subscribers, so
// live orders that already rank the existing members as the file does are
// kept (pages made through the API often have every order 0), and new
// members take free orders that put them in place: after the last existing
// member, or strictly between their neighbours (never below 0). Only when
// the existing members are ranked otherwise, or there is no room, is the
// list renumbered 1, 2, 3...
func pageOrders(members []*rank) []int {
	out := make([]int, len(members))
	renumber := func() []int {
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	var prev *rank
	for _, m := range members {
		if m == nil {
			continue
		}
		if prev != nil && (m.order < prev.order || (m.order == prev.order && m.id < prev.id)) {
			return renumber()
		}
		prev = m
	}
	// Fill each run of new members between existing neighbours.
	for start := 0; start < len(members); {
		if members[start] != nil {
			out[start] = members[start].order
			start++
			continue
		}
		end := start
		for end < len(members) && members[end] == nil {
			end++
		}
		k := end - start
		var lo, hi int // the run takes lo, lo+1, ..., lo+k-1 <= hi
		switch {
		case start == 0 && end == len(members): // no existing member
			lo, hi = 1, k
		case end == len(members): // after the last existing member
			lo = members[start-1].order + 1
			hi = lo + k - 1
		case start == 0: // before the first existing member, not below 0
			hi = members[end].order - 1
			lo = max(hi-k+1, 0)
		default:
			lo, hi = members[start-1].order+1, members[end].order-1
		}
		if hi-lo+1 < k {
			return renumber()
		}
		for i := start; i < end; i++ {
			out[i] = lo + (i - start)
		}
		start = end
	}
	return out
}

func (c *computer) createComponent(sc spec.Component, p placement) {
	w := &ComponentWrite{Name: ptr(sc.Name), Order: ptr(p.order), Description: sc.Description, Link: sc.Link,
		Enabled: sc.Enabled, Status: sc.Status}
	op := Op{Step: StepComponents, Kind: KindComponent, Action: Create, Key: sc.Name, Component: w}
	op.Changes = append(op.Changes, Change{Field: "name", After: Text(sc.Name)})
	switch {
	case p.groupName == "":
		w.GroupID = ptr(0)
	case p.groupID == 0:
		w.Group = p.groupName
	default:
		w.GroupID = ptr(p.groupID)
	}
	op.Changes = append(op.Changes, Change{Field: "group", After: groupValue(groupLabel(p.groupName))}, Change{Field: "order", After: Int(p.order)})
	if sc.Description != nil {
		op.Changes = append(op.Changes, Change{Field: "description", After: Text(*sc.Description)})
	}
	if sc.Link != nil {
		op.Changes = append(op.Changes, Change{Field: "link", After: Text(*sc.Link)})
	}
	if sc.Enabled != nil {
		op.Changes = append(op.Changes, Change{Field: "enabled", After: Bool(*sc.Enabled)})
	}
	switch {
	case sc.Status != nil:
		op.Changes = append(op.Changes, Change{Field: "status", After: Text(sc.Status.String())})
	case c.policy.DefaultStatus != nil:
		w.Status = ptr(*c.policy.DefaultStatus)
		op.Changes = append(op.Changes, Change{Field: "status", After: Text(w.Status.String())})
		op.Notes = append(op.Notes, "the file declares no status: created "+w.Status.String()+" (--default-status)")
	}
	if len(sc.Tags) > 0 {
		w.Tags = slices.Clone(sc.Tags)
		op.Changes = append(op.Changes, Change{Field: "tags", After: List(sortedTags(sc.Tags))})
	}
	if sc.Meta != nil {
		if !c.caps.ComponentMeta {
			op.Warnings = append(op.Warnings, c.caps.Server+" has no component meta: meta is not sent")
		} else {
			w.Meta = sc.Meta
			op.Changes = append(op.Changes, Change{Field: "meta", After: Meta(sc.Meta)})
		}
	}
	op.Notes = append(op.Notes, c.componentStorageNotes(sendableOf(sc), nil)...)
	c.add(op)
}

func (c *computer) updateComponent(sc spec.Component, p placement, live *Component) {
	w := &ComponentWrite{}
	var changes []Change
	var warnings []string
	if strings.TrimSpace(live.Name) != c.storedText(sc.Name) {
		w.Name = ptr(sc.Name)
		changes = append(changes, Change{Field: "name", Before: Text(live.Name), After: Text(sc.Name)})
	}
	liveGroup := c.groupNameByID(live.GroupID)
	switch {
	case p.groupName == "" && live.GroupID != 0 && c.caps.NoClearing:
		warnings = append(warnings, fmt.Sprintf("%s cannot ungroup a component: it stays in group %s (move it to another group, or delete that group)%s",
			c.caps.Server, quote(liveGroup), atPos(sc.Pos)))
	case p.groupName == "" && live.GroupID != 0:
		w.GroupID = ptr(0)
	case p.groupName != "" && p.groupID == 0:
		w.Group = p.groupName
	case p.groupName != "" && p.groupID != live.GroupID:
		w.GroupID = ptr(p.groupID)
	}
	if w.GroupID != nil || w.Group != "" {
		changes = append(changes, Change{Field: "group", Before: groupValue(liveGroup), After: groupValue(groupLabel(p.groupName))})
	}
	if c.caps.NoClearing {
		for _, f := range []struct {
			name string
			want **string
			live string
		}{{"description", &sc.Description, live.Description}, {"link", &sc.Link, live.Link}} {
			if *f.want != nil && c.storedText(**f.want) == "" && strings.TrimSpace(f.live) != "" {
				warnings = append(warnings, fmt.Sprintf("%s cannot clear a component's %s: it stays %q%s", c.caps.Server, f.name, f.live, atPos(sc.Pos)))
				*f.want = nil
			}
		}
	}
	if live.Order != p.order {
		w.Order = ptr(p.order)
		changes = append(changes, Change{Field: "order", Before: Int(live.Order), After: Int(p.order)})
	}
	if sc.Description != nil && strings.TrimSpace(live.Description) != c.storedText(*sc.Description) {
		w.Description = sc.Description
		changes = append(changes, Change{Field: "description", Before: Text(live.Description), After: Text(*sc.Description)})
	}
	if sc.Link != nil && strings.TrimSpace(live.Link) != c.storedText(*sc.Link) {
		w.Link = sc.Link
		changes = append(changes, Change{Field: "link", Before: Text(live.Link), After: Text(*sc.Link)})
	}
	if sc.Enabled != nil && live.Enabled != *sc.Enabled {
		w.Enabled = sc.Enabled
		changes = append(changes, Change{Field: "enabled", Before: Bool(live.Enabled), After: Bool(*sc.Enabled)})
	}
	enabledAfter := live.Enabled || sc.Enabled != nil && *sc.Enabled
	hiddenAfter := p.groupName != "" && c.hiddenAfter[p.groupName]
	var exposed string
	switch {
	case !enabledAfter || hiddenAfter:
	case (w.GroupID != nil || w.Group != "") && c.liveGroupHidden(live.GroupID):
		exposed = "moved out of hidden group " + quote(c.groupNameByID(live.GroupID))
	case !live.Enabled:
		exposed = "enabled outside a hidden group"
	}
	if exposed != "" {
		warnings = append(warnings, exposure(exposed, []string{sc.Name}))
	}
	if sc.Status != nil && live.Status != *sc.Status {
		w.Status = sc.Status
		w.Silent = !c.policy.Notify && !c.caps.StatusWebhook
		if c.caps.StatusWebhook {
			warnings = append(warnings, c.caps.Server+" cannot change a status silently: the component_status_changed webhook fires")
		}
		changes = append(changes, Change{Field: "status", Before: Text(live.Status.String()), After: Text(sc.Status.String())})
	}
	if sc.Tags != nil {
		// Tags are compared by slug: Cachet keeps one tag table for the
		// whole page and attaches an existing tag whose name matches, so
		// "Prod" and "prod" are the same tag.
		want := tagSlugs(c.storedTags(sc.Tags))
		have := tagSlugs(live.Tags)
		if len(want) == 0 && len(have) > 0 {
			warnings = append(warnings, fmt.Sprintf("Cachet cannot clear tags: %s stay", strings.Join(live.Tags, ", ")))
		} else if !maps.Equal(want, have) {
			w.Tags = slices.Clone(sc.Tags)
			changes = append(changes, Change{Field: "tags", Before: List(live.Tags), After: List(sortedTags(sc.Tags))})
		}
	}
	if sc.Meta != nil {
		if !c.caps.ComponentMeta {
			warnings = append(warnings, c.caps.Server+" has no component meta: meta is not managed")
		} else if canonicalJSON(asStoredJSON(c.storedMeta(sc.Meta))) != canonicalJSON(asStoredJSON(withoutNulls(live.Meta))) {
			w.Meta = sc.Meta
			if len(w.Meta) == 0 {
				w.Meta = map[string]any{}
			}
			changes = append(changes, Change{Field: "meta", Before: Meta(map[string]any(live.Meta)), After: Meta(sc.Meta)})
		}
	}
	fields := []string{"name", "group", "order"}
	for field, declared := range map[string]bool{"description": sc.Description != nil, "link": sc.Link != nil,
		"enabled": sc.Enabled != nil || c.caps.UpdateResetsOmitted && len(changes) > 0, "status": sc.Status != nil || c.caps.UpdateResetsOmitted && len(changes) > 0,
		"tags": sc.Tags != nil, "meta": sc.Meta != nil} {
		if declared {
			fields = append(fields, field)
		}
	}
	slices.Sort(fields)
	c.depend(KindComponent, live.ID, fields...)
	if len(changes) == 0 {
		if len(warnings) > 0 {
			c.plan.Warnings = append(c.plan.Warnings, prefixAll("component "+quote(sc.Name)+": ", warnings)...)
		}
		return
	}
	if c.caps.UpdateResetsOmitted {
		// A 2.3 PUT resets status to 0 and enabled to true unless both are sent.
		if w.Status == nil {
			w.Status = ptr(live.Status)
		}
		if w.Enabled == nil {
			w.Enabled = ptr(live.Enabled)
		}
	}
	op := Op{Step: StepComponents, Kind: KindComponent, Action: Update, Key: sc.Name, ID: live.ID, Changes: changes, Warnings: warnings, Component: w,
		Notes: c.componentStorageNotes(sendableOf(sc), changes)}
	if exposed != "" {
		op.Exposes = []string{sc.Name}
	}
	c.add(op)
}

func (c *computer) groupNameByID(id int) string {
	if id == 0 {
		return groupLabel("")
	}
	if c.groupNames == nil {
		c.groupNames = make(map[int]string, len(c.live.Groups))
		for _, g := range c.live.Groups {
			c.groupNames[g.ID] = g.Name
		}
	}
	if name, ok := c.groupNames[id]; ok {
		return groupLabel(name)
	}
	return fmt.Sprintf("#%d (missing)", id)
}

func groupLabel(name string) string {
	if name == "" {
		return LabelUngrouped
	}
	return name
}

// groupValue is a group label as a plan value: "(ungrouped)" is a label,
// anything else the group's name.
func groupValue(label string) *Value {
	if label == LabelUngrouped {
		return Label(label)
	}
	return Text(label)
}

// componentRefs maps every declared component name to its live id (0 when
// the plan creates it).
func (c *computer) componentRefs() map[string]ComponentRef {
	refs := map[string]ComponentRef{}
	for _, sc := range c.spec.AllComponents() {
		ref := ComponentRef{Name: sc.Name}
		if live := c.compMatch[sc.Name]; live != nil {
			ref.ID = live.ID
		}
		refs[sc.Name] = ref
	}
	return refs
}

// markDeletedComponents notes the live components the plan prunes.
func (c *computer) markDeletedComponents() {
	c.deletedComponents = map[int]bool{}
	if c.spec.Prune.Components {
		for _, lc := range c.live.Components {
			if !c.compTaken[lc.ID] {
				c.deletedComponents[lc.ID] = true
			}
		}
	}
}

func (c *computer) planSubscribers() {
	refs := c.componentRefs()
	liveByEmail := make(map[string]*Subscriber, len(c.live.Subscribers))
	for i := range c.live.Subscribers {
		liveByEmail[strings.ToLower(strings.TrimSpace(c.live.Subscribers[i].Email))] = &c.live.Subscribers[i]
	}
	declared := make(map[string]bool, len(c.spec.Subscribers))
	componentName := make(map[int]string, len(c.live.Components))
	for _, lc := range c.live.Components {
		componentName[lc.ID] = lc.Name
	}
	c.plan.Depends = slices.Grow(c.plan.Depends, len(c.spec.Subscribers))
	for _, ss := range c.spec.Subscribers {
		key := strings.ToLower(c.storedText(ss.Email))
		declared[key] = true
		var want []ComponentRef
		if ss.Components != nil {
			want = make([]ComponentRef, 0, len(ss.Components))
			for _, name := range ss.Components {
				want = append(want, refs[name])
			}
		}
		live := liveByEmail[key]
		dep := Dependency{Kind: KindSubscriber, Email: key}
		if ss.Components != nil {
			dep.Fields = []string{"components"}
			if c.caps.GlobalSubscribers {
				dep.Fields = append(dep.Fields, "global")
			}
		}
		c.plan.Depends = append(c.plan.Depends, dep)
		if live == nil {
			op := Op{Step: StepSubscribers, Kind: KindSubscriber, Action: Create, Key: key,
				Subscriber: &SubscriberWrite{Email: ss.Email, Components: want}}
			op.Changes = []Change{{Field: "email", After: Text(ss.Email)}, {Field: "components", After: refNames(want)}}
			c.add(op)
			continue
		}
		if ss.Components == nil {
			continue // subscribed to everything on create; the set is not managed afterwards
		}
		wantIDs := map[int]bool{}
		added := false
		for _, r := range want {
			if r.ID == 0 {
				added = true
				continue
			}
			wantIDs[r.ID] = true
		}
		haveIDs := map[int]bool{}
		var remove []int
		var removedNames []string
		for _, sub := range live.Subscriptions {
			haveIDs[sub.ComponentID] = true
			if !wantIDs[sub.ComponentID] && !c.deletedComponents[sub.ComponentID] {
				if _, exists := componentName[sub.ComponentID]; exists {
					remove = append(remove, sub.ID)
					removedNames = append(removedNames, componentName[sub.ComponentID])
				}
			}
		}
		for id := range wantIDs {
			if !haveIDs[id] {
				added = true
			}
		}
		// A global subscriber is notified of every component: the file's
		// list means nothing to it until the flag is cleared.
		unglobal := c.caps.GlobalSubscribers && live.Global
		switch {
		case c.caps.SubscribersInPlace && (added || len(remove) > 0 || unglobal):
			op := Op{Step: StepSubscribers, Kind: KindSubscriber, Action: Update, Key: key, ID: live.ID,
				Subscriber: &SubscriberWrite{Email: ss.Email, Components: want, InPlace: true}}
			if added || len(remove) > 0 {
				op.Changes = append(op.Changes, Change{Field: "components", Before: List(c.subscribedNames(live, componentName)), After: refNames(want)})
			}
			if unglobal {
				op.Changes = append(op.Changes, Change{Field: "global", Before: Bool(true), After: Bool(false)})
				op.Notes = append(op.Notes, "notified of every component today; afterwards only of the components the file lists")
			}
			c.add(op)
		case added:
			before := c.subscribedNames(live, componentName)
			c.add(Op{Step: StepSubscribers, Kind: KindSubscriber, Action: Replace, Key: key, ID: live.ID,
				Changes:    []Change{{Field: "components", Before: List(before), After: refNames(want)}},
				Notes:      []string{"Cachet cannot add subscriptions: the subscriber is deleted and re-created (verified, no e-mail sent)"},
				Subscriber: &SubscriberWrite{Email: ss.Email, Components: want}})
		case len(remove) > 0:
			before := c.subscribedNames(live, componentName)
			slices.Sort(removedNames)
			c.add(Op{Step: StepSubscribers, Kind: KindSubscriber, Action: Update, Key: key, ID: live.ID,
				Changes:    []Change{{Field: "components", Before: List(before), After: refNames(want)}},
				Notes:      []string{"removes the subscriptions to " + strings.Join(removedNames, ", ")},
				Subscriber: &SubscriberWrite{Email: ss.Email, Components: want, RemoveSubscriptions: remove}})
		}
	}
	var undeclared []string
	for _, ls := range c.live.Subscribers {
		key := strings.ToLower(strings.TrimSpace(ls.Email))
		if declared[key] {
			continue
		}
		if c.spec.Prune.Subscribers {
			c.depend(KindSubscriber, ls.ID)
			c.add(Op{Step: StepSubscribers, Kind: KindSubscriber, Action: Delete, Key: key, ID: ls.ID,
				Changes: []Change{{Field: "email", Before: Text(ls.Email)}}})
		} else {
			undeclared = append(undeclared, key)
		}
	}
	if len(undeclared) > 0 {
		c.plan.Notes = append(c.plan.Notes, undeclaredSubscribersNote(len(undeclared)))
	}
}

func (c *computer) subscribedNames(s *Subscriber, names map[int]string) []string {
	out := []string{}
	for _, sub := range s.Subscriptions {
		if n, ok := names[sub.ComponentID]; ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func (c *computer) planDeletes() {
	var keepComponents, keepGroups []string
	orphans := map[int][]string{}        // live group id -> members left in it
	enabledOrphans := map[int][]string{} // and those of them that are enabled
	for _, lc := range c.live.Components {
		if lc.GroupID != 0 && !c.compTaken[lc.ID] && !c.deletedComponents[lc.ID] {
			orphans[lc.GroupID] = append(orphans[lc.GroupID], lc.Name)
			if lc.Enabled {
				enabledOrphans[lc.GroupID] = append(enabledOrphans[lc.GroupID], lc.Name)
			}
		}
	}
	for _, lc := range c.live.Components {
		if c.compTaken[lc.ID] {
			continue
		}
		if c.spec.Prune.Components {
			c.depend(KindComponent, lc.ID, "name", "group")
			c.add(Op{Step: StepComponentDeletes, Kind: KindComponent, Action: Delete, Key: lc.Name, ID: lc.ID,
				Changes: []Change{{Field: "name", Before: Text(lc.Name)}}})
		} else {
			keepComponents = append(keepComponents, fmt.Sprintf("%s (#%d)", lc.Name, lc.ID))
		}
	}
	for _, lg := range c.live.Groups {
		if c.groupTaken[lg.ID] {
			continue
		}
		if c.spec.Prune.Groups {
			c.depend(KindGroup, lg.ID, "name", "visible")
			op := Op{Step: StepGroupDeletes, Kind: KindGroup, Action: Delete, Key: lg.Name, ID: lg.ID,
				Changes: []Change{{Field: "name", Before: Text(lg.Name)}}}
			if members := orphans[lg.ID]; len(members) > 0 {
				op.Notes = append(op.Notes, "Cachet moves its remaining components out of the group (ungrouped): "+strings.Join(members, ", "))
			}
			if exposed := enabledOrphans[lg.ID]; len(exposed) > 0 && c.liveGroupHidden(lg.ID) {
				op.Warnings = append(op.Warnings, exposure("the group is hidden, and Cachet ungroups its enabled components, which are then public", exposed))
				op.Exposes = exposed
			}
			c.add(op)
		} else {
			keepGroups = append(keepGroups, fmt.Sprintf("%s (#%d)", lg.Name, lg.ID))
		}
	}
	if len(keepGroups) > 0 {
		c.plan.Notes = append(c.plan.Notes, "live groups not in the file are left alone (prune.groups is false): "+strings.Join(keepGroups, ", "))
	}
	if len(keepComponents) > 0 {
		c.plan.Notes = append(c.plan.Notes, "live components not in the file are left alone (prune.components is false): "+strings.Join(keepComponents, ", "))
	}
}

func refNames(refs []ComponentRef) *Value {
	if refs == nil {
		return Label(LabelAll)
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	slices.Sort(out)
	return List(out)
}

func tagSlugs(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[laravelslug.Slug(n)] = true
	}
	return m
}

func sortedTags(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return out
}

// canonicalJSON renders a meta value with sorted keys, so values decoded
// from YAML and from JSON compare equal ("" for nil and empty maps).
func canonicalJSON(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return fmt.Sprint(m)
	}
	return strings.TrimSpace(buf.String())
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func prefixAll(prefix string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = prefix + l
	}
	return out
}

// undeclaredSubscribersNote says that n live subscribers the file does not
// declare stay, in the singular for one.
func undeclaredSubscribersNote(n int) string {
	if n == 1 {
		return "1 live subscriber not in the file is left alone (prune.subscribers is false)"
	}
	return fmt.Sprintf("%d live subscribers not in the file are left alone (prune.subscribers is false)", n)
}

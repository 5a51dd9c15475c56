package cachettest

// Group3 is a 3.x component group as SeedGroups3 stores it.
type Group3 struct {
	ID          int // 0 takes the next id
	Name        string
	Order       int
	Collapsed   int    // ComponentGroupVisibilityEnum: 0 expanded, 1 collapsed, 2 collapsed unless an incident
	Visible     int    // ResourceVisibilityEnum: 0 authenticated, 1 guest, 2 hidden
	OrderColumn string // "" is null; e.g. "manual"
	Meta        map[string]any
}

// Component3 is a 3.x component as SeedComponentList3 stores it.
type Component3 struct {
	ID          int // 0 takes the next id
	Name        string
	Description *string // nil is null
	Link        *string // nil is null
	Order       *int    // nil is null
	Status      int     // ComponentStatusEnum 1..6; 0 takes 5 (unknown)
	Enabled     bool
	GroupID     int // 0 is ungrouped
	Meta        map[string]any
}

// SeedGroups3 stores groups directly (no HTTP, no stats, no faults) and
// returns their ids. It panics in 2.x mode.
func (e *Emulator) SeedGroups3(groups ...Group3) []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	now := e.now()
	ids := make([]int, 0, len(groups))
	for _, g := range groups {
		id := g.ID
		if id <= 0 {
			id = st.groups.alloc()
		}
		x := &group3{id: id, name: g.Name, order: g.Order, orderColumn: g.OrderColumn, collapsed: g.Collapsed, visible: g.Visible,
			createdAt: now, updatedAt: now}
		if g.Meta != nil {
			x.meta = x.meta.sync(g.Meta)
		}
		st.groups.put(id, x)
		ids = append(ids, id)
	}
	return ids
}

// SeedComponentList3 stores components directly (no HTTP, no stats, no
// faults) and returns their ids. It panics in 2.x mode.
func (e *Emulator) SeedComponentList3(comps ...Component3) []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	now := e.now()
	ids := make([]int, 0, len(comps))
	for _, c := range comps {
		id := c.ID
		if id <= 0 {
			id = st.components.alloc()
		}
		status := c.Status
		if status == 0 {
			status = 5 // ComponentStatusEnum::unknown, the column's default
		}
		x := &comp3{id: id, name: c.Name, status: status, enabled: c.Enabled, groupID: c.GroupID, createdAt: now, updatedAt: now}
		if c.Description != nil {
			x.description = ptr(*c.Description)
		}
		if c.Link != nil {
			x.link = ptr(*c.Link)
		}
		if c.Order != nil {
			x.order = ptr(*c.Order)
		}
		if c.Meta != nil {
			x.meta = x.meta.sync(c.Meta)
		}
		st.components.put(id, x)
		ids = append(ids, id)
	}
	return ids
}

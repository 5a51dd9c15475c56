package cachettest

import (
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

func TestGroupList(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	e.SeedGroup(cachet.ComponentGroup{Name: "Public", Visible: cachet.GroupPublic, Collapsed: 2})
	e.SeedGroup(cachet.ComponentGroup{Name: "Private", Visible: cachet.GroupLoggedInOnly})
	e.SeedComponent(cachet.Component{Name: "B", Status: 1, Order: 2, GroupID: 1, Enabled: true})
	e.SeedComponent(cachet.Component{Name: "A", Status: 3, Order: 1, GroupID: 1, Enabled: true})
	e.SeedComponent(cachet.Component{Name: "Off", Status: 4, GroupID: 1, Enabled: false})

	r := a.guest().get("/components/groups").expect(t, 200)
	assertIDs(t, r.ids(), 1)
	g := r.list()[0]
	for _, k := range []string{"id", "name", "created_at", "updated_at", "order", "collapsed", "visible",
		"enabled_components", "enabled_components_lowest", "lowest_human_status"} {
		if _, ok := g[k]; !ok {
			t.Errorf("group has no %q", k)
		}
	}
	ids := func(v any) (out []int) {
		for _, c := range v.([]any) {
			out = append(out, num(c.(map[string]any)["id"]))
		}
		return out
	}
	assertIDs(t, ids(g["enabled_components"]), 2, 1)        // by order
	assertIDs(t, ids(g["enabled_components_lowest"]), 2, 1) // worst first
	assertFields(t, g, map[string]any{"lowest_human_status": "Partial Outage", "collapsed": 2, "visible": 1})

	// A logged-in user sees every group; a bad token reads as a guest.
	assertIDs(t, a.get("/components/groups").ids(), 1, 2)
	assertIDs(t, a.withToken("nope").get("/components/groups").expect(t, 200).ids(), 1)
	// show has no visibility check.
	assertFields(t, a.guest().get("/components/groups/2").expect(t, 200).data(), map[string]any{"name": "Private", "lowest_human_status": nil})
	a.get("/components/groups/3").expect(t, 404)
}

func TestGroupSort(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for _, n := range []string{"b", "a", "c"} {
		e.SeedGroup(cachet.ComponentGroup{Name: n, Visible: cachet.GroupPublic})
	}
	assertIDs(t, a.get("/components/groups?sort=name").ids(), 2, 1, 3) // asc by default
	assertIDs(t, a.get("/components/groups?sort=name&order=asc").ids(), 2, 1, 3)
	assertIDs(t, a.get("/components/groups?sort=name&order=desc").ids(), 3, 1, 2)
	assertIDs(t, a.get("/components/groups?sort=id&order=desc").ids(), 3, 2, 1)
	assertIDs(t, a.get("/components/groups?sort=id").ids(), 1, 2, 3)
}

func TestGroupCreate(t *testing.T) {
	a := newAPI(t)
	a.guest().post("/components/groups", map[string]any{"name": "Foo"}).expect(t, 401)
	r := a.post("/components/groups", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The name field is required."}}})
	r = a.post("/components/groups", map[string]any{"name": "Foo", "visible": 2, "collapsed": 5}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{
		"The collapsed must be between 0 and 4.", "The visible field must be true or false."}}})

	d := a.post("/components/groups", map[string]any{"name": "Foo", "order": 1, "collapsed": 1, "visible": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "order": 1, "collapsed": 1, "visible": 1, "lowest_human_status": nil})
	for _, k := range []string{"enabled_components", "enabled_components_lowest"} {
		if _, ok := d[k]; ok {
			t.Errorf("POST response has %s", k)
		}
	}
	d = a.post("/components/groups", map[string]any{"name": "Bar"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"order": 0, "collapsed": 0, "visible": 0}) // private by default
	assertFields(t, a.get("/components/groups/1").expect(t, 200).data(), map[string]any{"name": "Foo", "enabled_components": []any{}})
}

func TestGroupUpdate(t *testing.T) {
	a := newAPI(t)
	a.srv.SeedGroup(cachet.ComponentGroup{Name: "Old", Order: 3, Collapsed: 2, Visible: cachet.GroupPublic})
	d := a.put("/components/groups/1", map[string]any{"name": "Foo"}).expect(t, 200).data()
	// The (int) casts reset order and visible; collapsed is kept.
	assertFields(t, d, map[string]any{"name": "Foo", "order": 0, "visible": 0, "collapsed": 2})
	d = a.put("/components/groups/1", map[string]any{"order": 4, "visible": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "order": 4, "visible": 1, "enabled_components": []any{}})
	a.put("/components/groups/1", map[string]any{"collapsed": 9}).expect(t, 400)
	a.guest().put("/components/groups/1", map[string]any{"name": "x"}).expect(t, 401)
	// PUT /components/groups has no id: Laravel matches /components/{component}.
	r := a.put("/components/groups", map[string]any{}).expect(t, 404)
	assertFields(t, r.errorOf(), map[string]any{"detail": `No query results for model [CachetHQ\Cachet\Models\Component].`})
}

func TestGroupDeleteOrphansMembers(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	e.SeedGroup(cachet.ComponentGroup{Name: "G"})
	seedComponent(e, "A", 1, 1)
	e.SeedComponent(cachet.Component{Name: "B", GroupID: 1, Enabled: false})
	seedComponent(e, "C", 1, 7)
	a.del("/components/groups/1").expect(t, 204)
	a.get("/components/groups/1").expect(t, 404)
	for _, c := range e.Components() {
		want := map[int]int{1: 0, 2: 0, 3: 7}[c.ID]
		if c.GroupID != want {
			t.Errorf("component %d group_id = %d, want %d", c.ID, c.GroupID, want)
		}
	}
	assertFields(t, a.get("/components/2").data(), map[string]any{"group_id": 0})
}

package cachettest

import (
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

func TestComponentReads(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	c1 := seedComponent(e, "API", 1, 0)
	c2 := seedComponent(e, "Web", 1, 0)
	assertIDs(t, a.get("/components").expect(t, 200).ids(), c1.ID, c2.ID)
	assertFields(t, a.get("/components/1").expect(t, 200).data(), map[string]any{"name": "API", "deleted_at": nil, "tags": []any{}, "meta": nil})
	a.get("/components/3").expect(t, 404)
	a.get("/components/abc").expect(t, 404)
}

func TestComponentTagFilter(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "Tagged", "status": 1, "tags": "Foo,Bar"}).expect(t, 200)
	a.post("/components", map[string]any{"name": "Plain", "status": 1}).expect(t, 200)
	assertIDs(t, a.get("/components?tags[]=foo").expect(t, 200).ids(), 1)
	assertIDs(t, a.get("/components?tags=bar").expect(t, 200).ids(), 1)
	assertIDs(t, a.get("/components?tags[]=nope").expect(t, 200).ids())
}

func TestComponentCreate(t *testing.T) {
	a := newAPI(t)
	tests := []struct {
		name string
		body map[string]any
		want map[string]any
	}{
		{"full", map[string]any{"name": "Foo", "description": "Bar", "status": 1, "link": "http://example.com", "order": 1, "group_id": 1, "enabled": true},
			map[string]any{"name": "Foo", "description": "Bar", "status": 1, "status_name": "Operational", "link": "http://example.com", "order": 1, "group_id": 1, "enabled": true}},
		{"minimal", map[string]any{"name": "Foo", "status": 1}, map[string]any{"name": "Foo", "status": 1, "description": "", "link": "", "group_id": 0, "order": 0}},
		{"tags", map[string]any{"name": "Foo", "status": 1, "tags": "Foo,Bar"}, map[string]any{"tags": map[string]any{"foo": "Foo", "bar": "Bar"}}},
		{"without enabled", map[string]any{"name": "Foo", "status": 1}, map[string]any{"enabled": true}},
		{"meta", map[string]any{"name": "Foo", "status": 1, "meta": map[string]any{"uuid": "172ff3fb-41f7-49d3-8bcd-f57b53627fa0"}},
			map[string]any{"meta": map[string]any{"uuid": "172ff3fb-41f7-49d3-8bcd-f57b53627fa0"}}},
		{"disabled", map[string]any{"name": "Foo", "status": 1, "enabled": 0}, map[string]any{"enabled": false}},
		{"without status", map[string]any{"name": "Foo"}, map[string]any{"status": 0, "status_name": "Unknown"}},
		{"no tags", map[string]any{"name": "Foo"}, map[string]any{"tags": []any{}, "meta": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := a.post("/components", tc.body).expect(t, 200).data()
			assertFields(t, d, tc.want)
			if _, ok := d["deleted_at"]; ok {
				t.Error("POST response has deleted_at")
			}
			if _, ok := d["id"]; !ok {
				t.Error("POST response has no id")
			}
		})
	}
}

func TestComponentCreateErrors(t *testing.T) {
	a := newAPI(t)
	a.guest().post("/components", map[string]any{"name": "Foo", "status": 1}).expect(t, 401)
	a.withToken("wrong").post("/components", map[string]any{"name": "Foo", "status": 1}).expect(t, 401)
	tests := []struct {
		body any
		want []string
	}{
		{map[string]any{}, []string{"The name field is required."}},
		{map[string]any{"name": "Foo", "tags": []string{"a", "b"}}, []string{"The tags must be a string."}},
		{map[string]any{"name": "Foo", "status": 9}, []string{"The status may not be greater than 4."}},
		{map[string]any{"name": "Foo", "status": -1}, []string{"The status must be at least 0."}},
		{map[string]any{"name": "Foo", "link": "not a url"}, []string{"The link format is invalid."}},
		{map[string]any{"name": "Foo", "group_id": "x"}, []string{"The group id must be an integer."}},
		{map[string]any{"name": "Foo", "meta": "x"}, []string{"The meta must be an array."}},
		{map[string]any{"name": 5}, []string{"The name must be a string."}},
	}
	for _, tc := range tests {
		r := a.post("/components", tc.body).expect(t, 400)
		assertFields(t, r.errorOf(), map[string]any{"status": 400, "title": "Bad Request",
			"detail": "The request cannot be fulfilled due to bad syntax.", "meta": map[string]any{"details": tc.want}})
	}
	if n := len(a.srv.Components()); n != 0 {
		t.Errorf("%d components stored by failed creates", n)
	}
}

func TestComponentUpdate(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	e.SeedComponent(cachet.Component{Name: "Old", Status: 1, Enabled: false, Meta: cachet.Meta{"a": "b"}, Tags: cachet.Tags{"x": "X"}})

	d := a.put("/components/1", map[string]any{"name": "Foo"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "enabled": false, "status": 1, "meta": map[string]any{"a": "b"}, "tags": map[string]any{"x": "X"}, "deleted_at": nil})

	d = a.put("/components/1", map[string]any{"name": "Foo", "tags": "Hello"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"tags": map[string]any{"hello": "Hello"}})
	d = a.put("/components/1", map[string]any{"tags": ""}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"tags": map[string]any{"hello": "Hello"}}) // cannot be cleared

	d = a.put("/components/1", map[string]any{"meta": map[string]any{"c": 1}}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"meta": map[string]any{"c": 1}})

	a.put("/components/1", map[string]any{"tags": []string{"a"}}).expect(t, 500)
	r := a.put("/components/1", map[string]any{"enabled": "false"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The enabled field must be true or false."}}})
	a.put("/components/1", map[string]any{"name": ""}).expect(t, 400)
	a.guest().put("/components/1", map[string]any{"name": "x"}).expect(t, 401)
}

func TestComponentStatusEvent(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	seedComponent(e, "API", 1, 0)
	events := func() int { e.mu.RLock(); defer e.mu.RUnlock(); return e.st.statusEvents }

	a.put("/components/1", map[string]any{"name": "Foo"}).expect(t, 200)
	if events() != 0 {
		t.Error("a PUT without status fired the status event")
	}
	a.put("/components/1", map[string]any{"status": 1}).expect(t, 200)
	if events() != 0 {
		t.Error("an unchanged status fired the status event")
	}
	d := a.put("/components/1", map[string]any{"status": 2}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"status": 2, "status_name": "Performance Issues"})
	if events() != 1 {
		t.Errorf("events = %d, want 1", events())
	}
	a.put("/components/1", map[string]any{"status": 0}).expect(t, 200)
	if events() != 1 {
		t.Error("status 0 fired the status event")
	}
}

func TestComponentDelete(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	seedComponent(e, "API", 1, 0)
	seedComponent(e, "Web", 1, 0)
	e.SeedSubscriber("a@example.com")
	r := a.del("/components/1").expect(t, 204)
	if len(r.body) != 0 {
		t.Errorf("204 with body %q", r.body)
	}
	a.get("/components/1").expect(t, 404)
	a.del("/components/1").expect(t, 404)
	if subs := e.Subscribers()[0].ComponentIDs(); len(subs) != 1 || subs[0] != 2 {
		t.Errorf("subscriptions after delete = %v, want [2]", subs)
	}
	// Ids are not reused.
	assertFields(t, a.post("/components", map[string]any{"name": "New"}).expect(t, 200).data(), map[string]any{"id": 3})
}

func TestComponentGuestVisibility(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	seedComponent(e, "On", 1, 0)
	e.SeedComponent(cachet.Component{Name: "Off", Status: 1, Enabled: false})

	assertIDs(t, a.get("/components").ids(), 1, 2)
	assertIDs(t, a.guest().get("/components").ids(), 1)
	// A bad token on a public GET reads as a guest, without error.
	assertIDs(t, a.withToken("bad").get("/components").expect(t, 200).ids(), 1)
	// show has no visibility check.
	a.guest().get("/components/2").expect(t, 200)
}

func TestComponentSortIsAlwaysDesc(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for _, n := range []string{"b", "a", "c"} {
		seedComponent(e, n, 1, 0)
	}
	names := func(r result) (out []string) {
		for _, m := range r.list() {
			out = append(out, m["name"].(string))
		}
		return out
	}
	for _, q := range []string{"sort=name&order=asc", "sort=name", "sort=name&order=desc"} {
		if got := names(a.get("/components?" + q)); string(mustJSON(got)) != `["c","b","a"]` {
			t.Errorf("%s: %v, want DESC", q, got)
		}
	}
	assertIDs(t, a.get("/components?sort=id&order=asc").ids(), 3, 2, 1)
	assertIDs(t, a.get("/components").ids(), 1, 2, 3)            // no sort: id ascending
	assertIDs(t, a.get("/components?sort=bogus").ids(), 1, 2, 3) // unknown column ignored
}

func TestComponentFilters(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	seedComponent(e, "API", 1, 0)
	seedComponent(e, "Web", 2, 1)
	e.SeedComponent(cachet.Component{Name: "Off", Status: 1, Enabled: false})

	tests := []struct {
		query  string
		status int
		ids    []int
	}{
		{"name=API", 200, []int{1}},
		{"name=api", 200, []int{1}}, // MySQL collation: case-insensitive
		{"status=1", 200, []int{1, 3}},
		{"status=1&enabled=1", 200, []int{1}},
		{"enabled=0", 200, []int{3}},
		{"enabled=true", 200, []int{3}}, // MySQL reads 'true' as 0
		{"group_id=1&sort=id&per_page=5", 200, []int{2}},
		{"name=API&page=2", 500, nil},
		{"name=API&page=1", 500, nil},
		{"name=API&search=x", 500, nil},
		{"name=API&tags[]=x", 500, nil},
		{"search=x", 200, []int{1, 2, 3}}, // a non-searchable key alone is ignored
		{"page=1", 200, []int{1, 2, 3}},
		{"name=API&description=", 200, []int{1}}, // a real column is a valid condition
	}
	for _, tc := range tests {
		r := a.get("/components?"+tc.query).expect(t, tc.status)
		if tc.status == 200 {
			assertIDs(t, r.ids(), tc.ids...)
		} else {
			assertFields(t, r.errorOf(), map[string]any{"title": "Internal Server Error",
				"detail": "An error has occurred and this resource cannot be displayed."})
		}
	}
}

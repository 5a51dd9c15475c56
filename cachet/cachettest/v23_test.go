package cachettest

import (
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

func TestV23Routes(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1}).expect(t, 200)
	generic := "The requested resource could not be found but may be available again in the future."
	for _, path := range []string{"/schedules", "/schedules/1", "/incidents/1/updates", "/incidents/templates", "/incidents/templates/1"} {
		r := a.get(path).expect(t, 404)
		assertFields(t, r.errorOf(), map[string]any{"detail": generic})
	}
	a.post("/schedules", map[string]any{"name": "x"}).expect(t, 404)
	// Unknown ids give the generic detail too.
	assertFields(t, a.get("/components/9").expect(t, 404).errorOf(), map[string]any{"detail": generic})
	if _, ok := a.get("/status").expect(t, 200).header["Cache-Control"]; ok {
		t.Error("2.3 /status sends Cache-Control")
	}
}

func TestV23Components(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	d := a.post("/components", map[string]any{"name": "API", "status": 3, "enabled": false, "meta": map[string]any{"a": 1}}).expect(t, 200).data()
	if _, ok := d["meta"]; ok {
		t.Error("2.3 component has meta")
	}
	assertFields(t, d, map[string]any{"status": 3, "enabled": false})
	a.post("/components", map[string]any{}).expect(t, 400)
	a.post("/components", map[string]any{"name": "x", "tags": []string{"a"}}).expect(t, 500)

	// PUT resets status to 0 and enabled to true unless sent.
	d = a.put("/components/1", map[string]any{"name": "API 2"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "API 2", "status": 0, "enabled": true, "status_name": "cachet.components.status.0"})
	d = a.put("/components/1", map[string]any{"status": 2, "enabled": false}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"status": 2, "enabled": false})
	if _, ok := a.get("/components/1").data()["meta"]; ok {
		t.Error("2.3 GET component has meta")
	}
	if got := a.srv.Components()[0].Meta; got != nil {
		t.Errorf("2.3 snapshot Meta = %v, want nil", got)
	}
}

func TestV23Groups(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	e := a.srv.Emulator
	for _, n := range []string{"b", "a", "c"} {
		a.post("/components/groups", map[string]any{"name": n, "order": 1}).expect(t, 200)
	}
	d := a.get("/components/groups/1").data()
	if _, ok := d["visible"]; ok {
		t.Error("2.3 group has visible")
	}
	// Guests see every group; sorting is always DESC.
	assertIDs(t, a.guest().get("/components/groups").ids(), 1, 2, 3)
	assertIDs(t, a.get("/components/groups?sort=name&order=asc").ids(), 3, 1, 2)
	assertIDs(t, a.get("/components/groups?sort=id&order=asc").ids(), 3, 2, 1)
	// order is still reset by PUT.
	assertFields(t, a.put("/components/groups/1", map[string]any{"name": "z"}).expect(t, 200).data(), map[string]any{"order": 0})
	if g := e.Groups()[0]; g.HasVisibility || g.Visible != cachet.GroupPublic {
		t.Errorf("2.3 snapshot: %+v", g)
	}
}

func TestV23Subscribers(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	a.post("/subscribers", map[string]any{"email": "a@example.com"}).expect(t, 200)
	l := a.get("/subscribers").list()
	if _, ok := l[0]["phone_number"]; ok {
		t.Error("2.3 subscriber has phone_number")
	}
}

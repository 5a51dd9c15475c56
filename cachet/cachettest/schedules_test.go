package cachettest

import (
	"testing"
)

func TestSchedules(t *testing.T) {
	a := newAPI(t)
	a.guest().post("/schedules", map[string]any{"name": "x"}).expect(t, 401)
	a.post("/schedules", map[string]any{}).expect(t, 400)
	r := a.post("/schedules", map[string]any{"name": "x", "status": 1, "scheduled_at": "tomorrow"}).expect(t, 400)
	if len(r.details()) != 1 {
		t.Errorf("details = %v", r.details())
	}

	d := a.post("/schedules", map[string]any{"name": "Test", "message": "Foo bar, baz.", "status": 1, "scheduled_at": "2024-05-03 10:00"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Test", "message": "Foo bar, baz.", "status": 1, "human_status": "In Progress",
		"scheduled_at": "2024-05-03 10:00:00"})
	// components are eager-loaded by queries only (app/Models/Schedule.php:134, 2.4).
	if _, ok := d["components"]; ok {
		t.Error("POST answer has components")
	}

	assertIDs(t, a.get("/schedules").expect(t, 200).ids(), 1)
	assertFields(t, a.get("/schedules/1").expect(t, 200).data(), map[string]any{"name": "Test"})
	a.get("/schedules/2").expect(t, 404)

	d = a.put("/schedules/1", map[string]any{"name": "Updated"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Updated", "message": "Foo bar, baz."})
	a.put("/schedules/1", map[string]any{"completed_at": "bad"}).expect(t, 500)

	a.del("/schedules/1").expect(t, 204)
	a.get("/schedules/1").expect(t, 404)
}

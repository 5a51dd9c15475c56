package cachettest

import (
	"testing"
	"time"
)

func TestIncidents(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	a.guest().post("/incidents", map[string]any{"name": "x", "message": "y", "status": 1}).expect(t, 401)
	r := a.post("/incidents", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The name field is required.", "The status field is required."}}})
	a.post("/incidents", map[string]any{"name": "x", "status": 1}).expect(t, 400) // the model requires message

	d := a.post("/incidents", map[string]any{"name": "Foo", "message": "Lorem ipsum dolor sit amet", "status": 1, "visible": 1, "stickied": false}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 1, "name": "Foo", "message": "Lorem ipsum dolor sit amet", "status": 1, "visible": 1,
		"stickied": false, "human_status": "Investigating", "updates": []any{}, "meta": []any{}, "is_resolved": false, "latest_update_id": nil})

	seedComponent(e, "API", 1, 0)
	d = a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1, "component_id": 1, "component_status": 3}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"component_id": 1})
	assertFields(t, a.get("/components/1").data(), map[string]any{"status": 3})
	r = a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1, "component_id": 1}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The component status field is required when component id is present."}}})

	e.SeedIncidentTemplate("Foo", "foo", "Name: {{ name }},\nMessage: {{ message }}")
	d = a.post("/incidents", map[string]any{"name": "Foo", "status": 1, "template": "foo",
		"vars": map[string]any{"name": "Foo", "message": "Hello there this is a foo!"}}).expect(t, 200).data()
	// Cachet renders templates inside '{% sandbox %}{% include "firstStageLoader" %} {% endsandbox %}'
	// (app/Bus/Handlers/Commands/Incident/CreateIncidentCommandHandler.php:160, 2.4 d4666993),
	// which appends a space; the upstream test's expectation predates the sandbox.
	assertFields(t, d, map[string]any{"message": "Name: Foo,\nMessage: Hello there this is a foo! "})

	d = a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1, "meta": map[string]any{"id": 123456789}}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"meta": map[string]any{"id": 123456789}})

	assertIDs(t, a.get("/incidents").expect(t, 200).ids(), 1, 2, 3, 4)
	a.get("/incidents/0").expect(t, 404)
	a.get("/incidents/99").expect(t, 404)
	a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "occurred_at": "01/02/2024"}).expect(t, 500)
}

func TestIncidentUpdateAndDelete(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1, "stickied": true}).expect(t, 200)
	d := a.put("/incidents/1", map[string]any{"name": "Foo bar"}).expect(t, 200).data()
	// visible defaults to true and stickied to false on PUT.
	assertFields(t, d, map[string]any{"name": "Foo bar", "message": "m", "stickied": false, "visible": 1, "user_id": 1})

	e.SeedIncidentTemplate("T", "t", "Hello {{ incident.name }}")
	d = a.put("/incidents/1", map[string]any{"name": "Bar", "template": "t"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "Hello Bar "}) // UpdateIncidentCommandHandler.php:165 (2.4)

	// user_id stays null on an incident that has none.
	e.mu.Lock()
	inc, _ := e.st.incidents.get(1)
	inc.userID = 0
	e.mu.Unlock()
	assertFields(t, a.put("/incidents/1", map[string]any{"name": "Baz"}).expect(t, 200).data(), map[string]any{"user_id": nil})

	a.put("/incidents/1", map[string]any{"visible": 0}).expect(t, 200)
	assertIDs(t, a.guest().get("/incidents").ids())
	assertIDs(t, a.get("/incidents").ids(), 1)
	a.guest().get("/incidents/1").expect(t, 200)

	a.guest().del("/incidents/1").expect(t, 401)
	a.del("/incidents/1").expect(t, 204)
	a.get("/incidents/1").expect(t, 404)
}

func TestIncidentUpdates(t *testing.T) {
	a := newAPI(t)
	a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1}).expect(t, 200)
	a.guest().post("/incidents/1/updates", map[string]any{"status": 4, "message": "x"}).expect(t, 401)
	r := a.post("/incidents/1/updates", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The status field is required.", "The message field is required."}}})
	a.post("/incidents/2/updates", map[string]any{"status": 4, "message": "x"}).expect(t, 404)

	d := a.post("/incidents/1/updates", map[string]any{"status": 4, "message": "Fixed it"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 1, "incident_id": 1, "status": 4, "message": "Fixed it", "human_status": "Fixed"})
	a.post("/incidents/1/updates", map[string]any{"status": 2, "message": "Again"}).expect(t, 200)
	inc := a.get("/incidents/1").data()
	assertFields(t, inc, map[string]any{"status": 2, "latest_update_id": 2, "latest_status": 2, "latest_human_status": "Identified"})
	if u := inc["updates"].([]any); len(u) != 2 || num(u[0].(map[string]any)["id"]) != 2 {
		t.Errorf("updates = %v, want newest first", u)
	}

	assertIDs(t, a.get("/incidents/1/updates").expect(t, 200).ids(), 2, 1)
	a.get("/incidents/1/updates/9").expect(t, 404)
	a.get("/incidents/9/updates/1").expect(t, 404)
	assertFields(t, a.get("/incidents/1/updates/1").expect(t, 200).data(), map[string]any{"message": "Fixed it"})

	d = a.put("/incidents/1/updates/1", map[string]any{"message": "Changed"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "Changed", "status": 4})
	a.del("/incidents/1/updates/1").expect(t, 204)
	assertIDs(t, a.get("/incidents/1/updates").ids(), 2)
}

func TestIncidentTemplates(t *testing.T) {
	a := newAPI(t)
	id := a.srv.SeedIncidentTemplate("Outage", "outage", "We are down.")
	a.srv.SeedIncidentTemplate("Fixed", "fixed", "All good.")
	assertIDs(t, a.get("/incidents/templates").expect(t, 200).ids(), id, id+1)
	assertFields(t, a.get("/incidents/templates/1").expect(t, 200).data(),
		map[string]any{"name": "Outage", "slug": "outage", "template": "We are down.", "deleted_at": nil})
	a.get("/incidents/templates/99").expect(t, 404)
	a.get("/incidents/templates?sort=id").expect(t, 500)
}

// TestIncidentUpdateSortBreaksTies: the updates list orders by created_at
// DESC first; ?sort= (id, status or user_id) only orders updates of the same
// second, and always descending whatever ?order= says
// (app/Http/Controllers/Api/IncidentUpdateController.php:38-44,
// app/Models/Traits/SortableTrait.php:32-39 and Laravel 5.7.29
// Query/Builder.php:1798-1806, which reads the bool direction as desc).
func TestIncidentUpdateSortBreaksTies(t *testing.T) {
	now := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	a := newAPI(t, WithClock(func() time.Time { return now }))
	a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1}).expect(t, 200)
	for _, st := range []int{3, 1, 4} { // updates 1-3, one second
		a.post("/incidents/1/updates", map[string]any{"status": st, "message": "x"}).expect(t, 200)
	}
	now = now.Add(time.Minute)
	a.post("/incidents/1/updates", map[string]any{"status": 2, "message": "later"}).expect(t, 200) // update 4
	assertIDs(t, a.get("/incidents/1/updates").ids(), 4, 3, 2, 1)
	assertIDs(t, a.get("/incidents/1/updates?sort=status").ids(), 4, 3, 1, 2)
	assertIDs(t, a.get("/incidents/1/updates?sort=status&order=asc").ids(), 4, 3, 1, 2)
	assertIDs(t, a.get("/incidents/1/updates?sort=message").ids(), 4, 3, 2, 1)
}

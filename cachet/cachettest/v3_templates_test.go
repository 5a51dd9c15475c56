package cachettest

import (
	"testing"
)

// IncidentTemplateTest.php:51,62,75,94,147,180 — template CRUD; blade is
// refused while the blade renderer is off; the slug defaults to
// Str::slug(name) and an update without slug rewrites it.
func TestV3IncidentTemplates(t *testing.T) {
	a := newAPI3(t)
	body := map[string]any{"name": "Outage Notice", "template": "Hey"}
	a.guest().post("/incident-templates", body).is(t, 401)
	a.as().post("/incident-templates", body).is(t, 403)
	m := a.as("incident-templates.manage", "incident-templates.delete")
	r := m.post("/incident-templates", body).is(t, 201)
	if r.at(t, "data.attributes.slug") != "outage-notice" || r.at(t, "data.attributes.engine") != nil || r.at(t, "data.type") != "incidentTemplates" {
		t.Fatalf("create: %s", r.body)
	}
	if a.get("/incident-templates/1").at(t, "data.attributes.engine") != "twig" {
		t.Fatal("engine should read back as the DB default twig")
	}
	m.post("/incident-templates", map[string]any{"name": "B", "template": "x", "engine": "blade"}).errorFor(t, "engine")
	r = m.put("/incident-templates/1", map[string]any{"name": "Renamed Notice"}).is(t, 200)
	if r.at(t, "data.attributes.slug") != "renamed-notice" {
		t.Fatalf("rename without slug should rewrite it: %s", r.body)
	}
	r = m.put("/incident-templates/1", map[string]any{"template": "New"}).is(t, 200)
	if r.at(t, "data.attributes.slug") != "" {
		t.Fatalf("an update with neither name nor slug sets the slug to \"\": %s", r.body)
	}
	m.delete("/incident-templates/1").is(t, 204)
	a.get("/incident-templates/1").is(t, 404)
}

// IncidentTest.php:387,400 — an incident from a twig template; a missing
// template is a 422 on template.
func TestV3IncidentFromTemplate(t *testing.T) {
	a := newAPI3(t)
	a.as("incident-templates.manage").post("/incident-templates", map[string]any{"name": "Tpl", "slug": "tpl",
		"template": "Hey,\n\nA new incident has been reported:\n\nName: {{ incident.name }}\n{{ incident.message }}"}).is(t, 201)
	m := a.as("incidents.manage")
	m.post("/incidents", map[string]any{"name": "X", "template": "nope", "status": 2}).errorFor(t, "template")
	r := m.post("/incidents", map[string]any{"name": "New Incident Occurred", "template": "tpl", "status": 2}).is(t, 201)
	if got := r.at(t, "data.attributes.message"); got != "Hey,\n\nA new incident has been reported:\n\nName: New Incident Occurred\n" {
		t.Fatalf("rendered message %q", got)
	}
}

// ScheduleUpdateTest.php:16,120,140,200,218 — schedule updates: create,
// edit, delete, cross-schedule 404; a completed_at ends the window.
func TestV3ScheduleUpdates(t *testing.T) {
	a := newAPI3(t)
	m := a.as("schedules.manage", "schedule-updates.manage", "schedule-updates.delete")
	m.post("/schedules", map[string]any{"name": "A", "message": "m", "scheduled_at": "2020-01-01 00:00:00"}).is(t, 201)
	m.post("/schedules", map[string]any{"name": "B", "message": "m", "scheduled_at": "2020-01-01 00:00:00"}).is(t, 201)
	a.as().post("/schedules/1/updates", map[string]any{"message": "x"}).is(t, 403)
	r := m.post("/schedules/1/updates", map[string]any{"message": "Done", "completed_at": "2020-01-02 00:00:00"}).is(t, 201)
	if r.at(t, "data.attributes.updateable_type") != "schedule" || r.has("data.attributes.status") {
		t.Fatalf("schedule update: %s", r.body)
	}
	if a.get("/schedules/1").num(t, "data.attributes.status.value") != 2 {
		t.Fatal("completed_at on an update should complete the schedule")
	}
	if n := a.get("/schedules/1/updates").count(t, "data"); n != 1 {
		t.Fatalf("list %d", n)
	}
	m.put("/schedules/1/updates/1", map[string]any{"message": "Edited"}).is(t, 200)
	m.delete("/schedules/2/updates/1").is(t, 404)
	m.delete("/schedules/1/updates/1").is(t, 204)
}

package cachettest

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
)

// ComponentGroupTest.php:114,135,145,161,176,188 and fixture
// component_group_create.json — create: 401/403/201, collapsed enum,
// add-only components, create-response nulls for DB defaults.
func TestV3GroupCreate(t *testing.T) {
	a := newAPI3(t)
	a.guest().post("/component-groups", map[string]any{"name": "G"}).is(t, 401)
	a.as().post("/component-groups", map[string]any{"name": "G"}).is(t, 403)
	m := a.as("component-groups.manage")
	r := m.post("/component-groups", map[string]any{"name": "New Group"}).is(t, 201)
	for _, k := range []string{"order", "collapsed", "visible", "order_column", "order_direction"} {
		if v := r.at(t, "data.attributes."+k); v != nil {
			t.Errorf("create response %s = %v, want null", k, v)
		}
	}
	if r.at(t, "data.type") != "componentGroups" {
		t.Fatalf("type %v", r.at(t, "data.type"))
	}
	// The next GET shows the DB defaults: order 0, collapsed 1, visible 0.
	g := a.get("/component-groups/1").is(t, 200)
	if g.num(t, "data.attributes.order") != 0 || g.num(t, "data.attributes.collapsed") != 1 || g.num(t, "data.attributes.visible") != 0 {
		t.Fatalf("defaults on GET: %s", g.body)
	}
	m.post("/component-groups", map[string]any{"name": "G", "collapsed": 2}).is(t, 201)
	m.post("/component-groups", map[string]any{"name": "G", "collapsed": 99}).errorFor(t, "collapsed")
	comp := a.seedComponent(0, true, 1)
	r = m.post("/component-groups", map[string]any{"name": "G", "components": []int{comp}}).is(t, 201)
	if id, _ := strconv.Atoi(r.at(t, "data.id").(string)); a.component(comp).groupID != id {
		t.Fatalf("component not attached to the new group")
	}
	// visible is a bool on input and an int on output (cachet3-api.md §7.5).
	r = m.post("/component-groups", map[string]any{"name": "Public", "visible": true}).is(t, 201)
	if r.num(t, "data.attributes.visible") != 1 {
		t.Fatalf("visible true reads %v", r.at(t, "data.attributes.visible"))
	}
	m.post("/component-groups", map[string]any{"name": "Hidden", "visible": 2}).errorFor(t, "visible")
}

// ComponentGroupTest.php:384,400,417,429,440,452,465,485 — order_column
// and order_direction rules.
func TestV3GroupOrderColumn(t *testing.T) {
	a := newAPI3(t)
	m := a.as("component-groups.manage")
	r := m.post("/component-groups", map[string]any{"name": "G", "order_column": "manual"}).is(t, 201)
	if r.at(t, "data.attributes.order_column") != "manual" || r.at(t, "data.attributes.order_direction") != nil {
		t.Fatalf("manual: %s", r.body)
	}
	r = m.post("/component-groups", map[string]any{"name": "G", "order_column": "name", "order_direction": "asc"}).is(t, 201)
	if r.at(t, "data.attributes.order_direction") != "asc" {
		t.Fatalf("asc: %s", r.body)
	}
	if got := m.post("/component-groups", map[string]any{"name": "G", "order_column": "status"}).errorFor(t, "order_direction"); got != "The order direction field is required." {
		t.Errorf("message %q", got)
	}
	m.post("/component-groups", map[string]any{"name": "G", "order_column": "bogus", "order_direction": "asc"}).errorFor(t, "order_column")
	m.post("/component-groups", map[string]any{"name": "G", "order_column": "name", "order_direction": "up"}).errorFor(t, "order_direction")
	r = m.put("/component-groups/2", map[string]any{"order_column": "last_updated", "order_direction": "desc"}).is(t, 200)
	if r.at(t, "data.attributes.order_column") != "last_updated" {
		t.Fatalf("update: %s", r.body)
	}
	m.put("/component-groups/2", map[string]any{"name": "Renamed"}).is(t, 200)
}

// ComponentGroupTest.php:281,322,335 — update components is add-only;
// delete needs .delete, orphans the components.
func TestV3GroupMembershipAndDelete(t *testing.T) {
	a := newAPI3(t)
	g1, g2 := a.seedGroup(1), a.seedGroup(1)
	c1, c2 := a.seedComponent(g1, true, 1), a.seedComponent(0, true, 1)
	a.as("component-groups.manage").put("/component-groups/"+strconv.Itoa(g2), map[string]any{"components": []int{c2}}).is(t, 200)
	if a.component(c1).groupID != g1 || a.component(c2).groupID != g2 {
		t.Fatal("components is add-only: c1 must stay, c2 must join")
	}
	a.as("component-groups.manage").delete("/component-groups/"+strconv.Itoa(g1)).is(t, 403)
	a.as("component-groups.delete").delete("/component-groups/"+strconv.Itoa(g1)).is(t, 204)
	a.get("/component-groups/"+strconv.Itoa(g1)).is(t, 404)
	if a.component(c1).groupID != 0 {
		t.Fatal("deleting a group must orphan its components")
	}
	a.get("/components/"+strconv.Itoa(c1)).is(t, 200)
}

// ComponentGroupTest.php:503,514,527,535,546,557 — group visibility and
// include=components (disabled components hidden from guests).
func TestV3GroupVisibility(t *testing.T) {
	a := newAPI3(t)
	pub := a.seedGroup(1)
	a.seedGroup(0)
	hidden := a.seedGroup(2)
	a.seedComponent(pub, true, 1)
	a.seedComponent(pub, false, 1)
	if n := a.guest().get("/component-groups").count(t, "data"); n != 1 {
		t.Fatalf("guest sees %d groups, want 1", n)
	}
	if n := a.as().get("/component-groups").count(t, "data"); n != 2 {
		t.Fatalf("token sees %d groups, want 2", n)
	}
	a.as().get("/component-groups/"+strconv.Itoa(hidden)).is(t, 404)
	if n := a.guest().get("/component-groups/1?include=components").count(t, "included"); n != 1 {
		t.Fatalf("guest includes %d components, want 1", n)
	}
	if n := a.as().get("/component-groups/1?include=components").count(t, "included"); n != 2 {
		t.Fatalf("token includes %d components, want 2", n)
	}
}

// SubscriberTest.php:15,23,33,44,55,66,79,87 — every route needs a token
// and subscribers.manage; email filter; paging.
func TestV3SubscribersList(t *testing.T) {
	a := newAPI3(t)
	var subs []Subscriber3
	for i := range 20 {
		subs = append(subs, Subscriber3{Email: fmt.Sprintf("user%d@example.com", i)})
	}
	a.srv.SeedSubscribers3(subs...)
	a.guest().get("/subscribers").is(t, 401)
	a.as().get("/subscribers").is(t, 403)
	a.as("subscribers.manage").get("/subscribers/1").is(t, 200)
	a.as().get("/subscribers/1").is(t, 403)
	m := a.as("subscribers.manage")
	if n := m.get("/subscribers").count(t, "data"); n != 15 {
		t.Fatalf("default page %d", n)
	}
	if n := m.get("/subscribers?per_page=18").count(t, "data"); n != 18 {
		t.Fatalf("per_page=18 gives %d", n)
	}
	if got := m.get("/subscribers?filter[email]=user13@").ids(t); !slices.Equal(got, []int{14}) {
		t.Fatalf("email filter %v", got)
	}
}

// SubscriberTest.php:199,223,241,265,276,310,330,345,377 — create (201,
// global default, verified), firstOrCreate (200, components appended),
// update in place (email un-verifies, components replaced, [] clears,
// omitted kept), delete.
func TestV3SubscriberLifecycle(t *testing.T) {
	a := newAPI3(t)
	c1, c2 := a.seedComponent(0, true, 1), a.seedComponent(0, true, 1)
	m := a.as("subscribers.manage")
	r := m.post("/subscribers", map[string]any{"email": "a@example.com", "verified": true, "global": false, "components": []int{c1}}).is(t, 201)
	if r.at(t, "data.attributes.verified") != true || r.at(t, "data.attributes.global") != false {
		t.Fatalf("create: %s", r.body)
	}
	if r := m.post("/subscribers", map[string]any{"email": "b@example.com"}).is(t, 201); r.at(t, "data.attributes.global") != true || r.at(t, "data.attributes.verified") != false {
		t.Fatalf("defaults: %s", r.body)
	}
	m.post("/subscribers", map[string]any{"email": "not-an-email"}).errorFor(t, "email")
	m.post("/subscribers", map[string]any{"email": "c@example.com", "components": []int{999}}).errorFor(t, "components.0")
	// firstOrCreate: 200, global unchanged, components attached again.
	r = m.post("/subscribers", map[string]any{"email": "a@example.com", "global": true, "components": []int{c1}}).is(t, 200)
	if r.at(t, "data.attributes.global") != false {
		t.Fatalf("re-POST changed global: %s", r.body)
	}
	if n := m.get("/subscribers/1?include=components").count(t, "data.relationships.components.data"); n != 2 {
		t.Fatalf("re-POST should append a duplicate subscription, have %d", n)
	}
	r = m.put("/subscribers/1", map[string]any{"components": []int{c1, c2}}).is(t, 200)
	if n := m.get("/subscribers/1?include=components").count(t, "data.relationships.components.data"); n != 2 {
		t.Fatalf("sync gives %d subscriptions, want 2", n)
	}
	m.put("/subscribers/1", map[string]any{"global": true}).is(t, 200)
	if n := m.get("/subscribers/1?include=components").count(t, "data.relationships.components.data"); n != 2 {
		t.Fatalf("omitted components changed the subscriptions (%d)", n)
	}
	r = m.put("/subscribers/1", map[string]any{"email": "new@example.com", "components": []int{}}).is(t, 200)
	if r.at(t, "data.attributes.verified") != false || r.at(t, "data.id") != "1" {
		t.Fatalf("email change must un-verify in place: %s", r.body)
	}
	if n := m.get("/subscribers/1?include=components").count(t, "data.relationships.components.data"); n != 0 {
		t.Fatalf("[] should clear, have %d", n)
	}
	m.put("/subscribers/1", map[string]any{"email": "b@example.com"}).is(t, 500) // unique index, no rule
	m.delete("/subscribers/1").is(t, 403)
	a.as("subscribers.delete").delete("/subscribers/1").is(t, 204)
	m.get("/subscribers/1").is(t, 404)
}

// IncidentTest.php:45,287,310,361,387,425,464,478,499,531,623 — incidents.
func TestV3Incidents(t *testing.T) {
	a := newAPI3(t)
	c1, c2 := a.seedComponent(0, true, 1), a.seedComponent(0, true, 1)
	m := a.as("incidents.manage", "incidents.delete")
	r := m.post("/incidents?include=components", map[string]any{
		"name": "Outage", "message": "Down", "status": 1,
		"components": []any{map[string]any{"id": c1, "status": 4}, map[string]any{"id": c2, "status": 3}},
	}).is(t, 201)
	if r.num(t, "data.attributes.status.value") != 1 || r.num(t, "data.attributes.visible") != 0 {
		t.Fatalf("create: %s", r.body) // visible defaults to 0 (§7.6)
	}
	if r.count(t, "included") != 2 || r.num(t, "included.0.attributes.pivot.component_status.value") != 4 {
		t.Fatalf("include=components on POST: %s", r.body)
	}
	if r.has("data.attributes.component_id") {
		t.Fatal("component_id attribute present")
	}
	m.post("/incidents", map[string]any{"name": "Legacy", "message": "m", "status": 0, "component_id": c1, "component_status": 2}).is(t, 201)
	m.post("/incidents", map[string]any{"name": "T", "status": 1}).errorFor(t, "template")
	m.post("/incidents", map[string]any{"name": nil, "message": nil}).errorFor(t, "name")
	m.post("/incidents", map[string]any{"name": "N", "message": "m", "status": 999}).errorFor(t, "status")
	m.post("/incidents", map[string]any{"name": "Dup", "message": "m", "status": 1,
		"components": []any{map[string]any{"id": c1, "status": 4}, map[string]any{"id": c1, "status": 3}}}).errorFor(t, "components.1.id")
	if got := a.get("/incidents?filter[name]=Dup").count(t, "data"); got != 0 {
		t.Fatal("a rejected incident was created")
	}
	r = m.put("/incidents/1", map[string]any{"name": "Updated Incident", "status": 1}).is(t, 200)
	if r.at(t, "data.attributes.name") != "Updated Incident" {
		t.Fatalf("update: %s", r.body)
	}
	m.put("/incidents/1", map[string]any{"name": "N", "message": nil, "status": 999}).errorFor(t, "status")
	// Default order is -created_at (ids descending for same-second rows is not
	// guaranteed); sort=id is ascending.
	if got := a.get("/incidents?sort=id").ids(t); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("sort=id: %v", got)
	}
	m.delete("/incidents/2").is(t, 204)
	a.get("/incidents/2").is(t, 404)
}

// IncidentTest.php:541,553,566,574,582,593 — incident visibility; a hidden
// group is not revealed through components.group.
func TestV3IncidentVisibility(t *testing.T) {
	a := newAPI3(t)
	hidden := a.seedGroup(2)
	comp := a.seedComponent(hidden, true, 1)
	m := a.as("incidents.manage")
	m.post("/incidents", map[string]any{"name": "Public", "message": "m", "status": 1, "visible": true,
		"components": []any{map[string]any{"id": comp, "status": 4}}}).is(t, 201)
	m.post("/incidents", map[string]any{"name": "Auth", "message": "m", "status": 1}).is(t, 201)
	if n := a.guest().get("/incidents").count(t, "data"); n != 1 {
		t.Fatalf("guest sees %d incidents", n)
	}
	a.guest().get("/incidents/2").is(t, 404)
	a.as().get("/incidents/2").is(t, 200)
	r := a.guest().get("/incidents/1?include=components.group").is(t, 200)
	for _, inc := range r.at(t, "included").([]any) {
		if inc.(map[string]any)["type"] == "componentGroups" {
			t.Fatalf("hidden group revealed: %s", r.body)
		}
	}
	// Embargo: a future published_at hides it from tokens without incidents.manage.
	m.post("/incidents", map[string]any{"name": "Later", "message": "m", "status": 1, "visible": true, "published_at": "2999-01-01T00:00:00Z"}).is(t, 201)
	a.as().get("/incidents/3").is(t, 404)
	m.get("/incidents/3").is(t, 200)
}

// IncidentUpdateTest.php:177,216,253,266,279 — updates re-sync the
// incident status; cross-incident delete is 404; hidden parent is 404.
func TestV3IncidentUpdates(t *testing.T) {
	a := newAPI3(t)
	m := a.as("incidents.manage", "incident-updates.manage", "incident-updates.delete")
	m.post("/incidents", map[string]any{"name": "A", "message": "m", "status": 1, "visible": true}).is(t, 201)
	m.post("/incidents", map[string]any{"name": "B", "message": "m", "status": 1, "visible": true}).is(t, 201)
	a.as().post("/incidents/1/updates", map[string]any{"status": 2, "message": "x"}).is(t, 403)
	r := m.post("/incidents/1/updates", map[string]any{"status": 4, "message": "Fixed"}).is(t, 201)
	if r.at(t, "data.type") != "updates" || r.at(t, "data.attributes.updateable_type") != "incident" {
		t.Fatalf("update resource: %s", r.body)
	}
	if a.get("/incidents/1").num(t, "data.attributes.status.value") != 4 {
		t.Fatal("incident status not synced from its newest update (SyncIncidentStatus.php:17-36)")
	}
	m.put("/incidents/1/updates/1", map[string]any{"message": "Edited"}).is(t, 200)
	m.delete("/incidents/2/updates/1").is(t, 404)
	a.get("/incidents/1/updates/1").is(t, 200)
	m.delete("/incidents/1/updates/1").is(t, 204)
	m.post("/incidents", map[string]any{"name": "Auth only", "message": "m", "status": 1}).is(t, 201)
	if r := a.guest().get("/incidents/3/updates").is(t, 404); r.at(t, "message") != "" {
		t.Fatalf("hidden parent: %s", r.body)
	}
}

// MetricTest.php:177,195,215,268,351 and MetricPointTest.php:95,112,126 —
// metrics and points; the threshold merge of §4.7.
func TestV3MetricsAndPoints(t *testing.T) {
	a := newAPI3(t)
	m := a.as("metrics.manage", "metrics.delete", "metric-points.manage")
	r := m.post("/metrics", map[string]any{"name": "Latency", "suffix": "ms"}).is(t, 201)
	for _, k := range []string{"default_view", "visible", "order"} {
		if r.at(t, "data.attributes."+k) != nil {
			t.Errorf("create response %s should be null", k)
		}
	}
	m.post("/metrics", map[string]any{"name": "X", "suffix": "s", "calc_type": 1, "display_chart": true, "places": 3}).is(t, 201)
	m.post("/metrics", map[string]any{"name": "X", "suffix": "s", "places": 10}).errorFor(t, "places")
	m.post("/metrics", map[string]any{"name": "X", "suffix": "s", "default_value": 1}).errorFor(t, "default_value")
	m.post("/metrics", map[string]any{"name": "X", "suffix": "s", "default_value": 1.5}).is(t, 201)
	m.put("/metrics/1", map[string]any{"threshold": 30}).is(t, 200)
	m.put("/metrics/1", map[string]any{"threshold": 7}).errorFor(t, "threshold")
	p := m.post("/metrics/1/points", map[string]any{"value": 10}).is(t, 201)
	if p.num(t, "data.attributes.counter") != 1 || p.at(t, "data.attributes.calculated_value") != float64(10) {
		t.Fatalf("point: %s", p.body)
	}
	// Within the threshold: the old point's counter goes up, 201 again.
	p = m.post("/metrics/1/points", map[string]any{"value": 99}).is(t, 201)
	if p.at(t, "data.id") != "1" || p.num(t, "data.attributes.counter") != 2 || p.at(t, "data.attributes.value") != float64(10) {
		t.Fatalf("threshold merge: %s", p.body)
	}
	m.post("/metrics/1/points", map[string]any{"value": 1, "timestamp": "not-a-timestamp"}).errorFor(t, "timestamp")
	m.post("/metrics/1/points", map[string]any{"value": 1, "timestamp": 1700000000}).is(t, 201)
	m.delete("/metrics/1").is(t, 204)
	a.get("/metrics/1/points").is(t, 404)
}

// ScheduleTest.php:124,139,154,169,298,325,350,387,405,509 — computed
// status and its filter, UTC normalisation, component impacts.
func TestV3Schedules(t *testing.T) {
	a := newAPI3(t)
	comp := a.seedComponent(0, true, 1)
	m := a.as("schedules.manage", "schedules.delete")
	r := m.post("/schedules", map[string]any{"name": "Past", "message": "m", "scheduled_at": "2020-01-01T10:00:00+05:30", "completed_at": "2020-01-01 12:00:00"}).is(t, 201)
	if r.at(t, "data.attributes.scheduled.string") != "2020-01-01 04:30:00" || r.num(t, "data.attributes.status.value") != 2 {
		t.Fatalf("offset not normalised to UTC or status not computed: %s", r.body)
	}
	m.post("/schedules", map[string]any{"name": "Future", "message": "m", "scheduled_at": "2999-01-01 00:00:00"}).is(t, 201)
	m.post("/schedules", map[string]any{"name": "Now", "message": "m", "scheduled_at": "2020-01-01 00:00:00",
		"components": []any{map[string]any{"id": comp, "status": 6}}}).is(t, 201)
	for status, want := range map[string][]int{"0": {2}, "2": {1}, "1": {3}, "1,2": {1, 3}} {
		if got := a.get("/schedules?filter[status]=" + status).ids(t); !slices.Equal(got, want) {
			t.Errorf("filter[status]=%s: %v, want %v", status, got, want)
		}
	}
	if a.get("/components/1").num(t, "data.attributes.latest_status.value") != 6 {
		t.Fatal("an in-progress schedule's impact should show in latest_status")
	}
	m.post("/schedules", map[string]any{"name": "X", "message": "m", "scheduled_at": "2020-01-01", "components": []any{map[string]any{"id": comp}}}).errorFor(t, "components.0.status")
	m.delete("/schedules/1").is(t, 204)
	a.get("/schedules/1").is(t, 404)
}

// GeneralTest.php and fixture system_endpoints.json — ping, version, status.
func TestV3SystemEndpoints(t *testing.T) {
	a := newAPI3(t)
	if r := a.get("/ping").is(t, 200); string(r.body) != `{"data":"Pong!"}` {
		t.Fatalf("ping %s", r.body)
	}
	if r := a.get("/version").is(t, 200); r.at(t, "data.version") != "3.x-dev" {
		t.Fatalf("version %s", r.body)
	}
	if r := a.get("/status").is(t, 200); r.at(t, "data.status") != "operational" {
		t.Fatalf("status %s", r.body)
	}
	// Unknown routes are JSON only with Accept: application/json (§2.1).
	if r := a.get("/tags").is(t, 404); r.at(t, "message") != "The route api/tags could not be found." {
		t.Fatalf("unknown route %s", r.body)
	}
}

// ApiSettingsTest.php:10,15,25,36,46,56 — api_enabled and api_protected.
func TestV3APISettings(t *testing.T) {
	a := newAPI3(t)
	a.guest().get("/ping").is(t, 200)
	a.srv.SetAPISettings(true, true)
	a.guest().get("/ping").is(t, 401)
	a.get("/ping").is(t, 200)
	a.as("components.view").post("/components", map[string]any{"name": "New Component"}).is(t, 403)
	a.srv.SetAPISettings(false, true)
	if r := a.get("/ping").is(t, 404); r.at(t, "message") != "" {
		t.Fatalf("disabled: %s", r.body)
	}
}

// RateLimitTest.php:15,26,43 — 300 a minute then 429 with Retry-After;
// configurable; writes are counted per token user, reads per IP.
func TestV3RateLimit(t *testing.T) {
	a := newAPI3(t)
	for i := range 300 {
		r := a.guest().get("/ping")
		if r.status != 200 {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
		if i == 0 && r.header.Get("X-RateLimit-Limit") != "300" {
			t.Fatalf("X-RateLimit-Limit %q", r.header.Get("X-RateLimit-Limit"))
		}
	}
	r := a.guest().get("/ping").is(t, 429)
	if r.at(t, "message") != "Too Many Attempts." || r.header.Get("Retry-After") == "" || r.header.Get("X-RateLimit-Reset") == "" {
		t.Fatalf("429: %v %s", r.header, r.body)
	}
	// Writes are keyed by user: the IP's exhausted read budget does not count.
	a.as("components.manage").post("/components", map[string]any{"name": "X"}).is(t, 201)
	a.srv.SetRateLimit(10)
	for range 10 {
		a.get("/ping").is(t, 200)
	}
	a.get("/ping").is(t, 429)
}

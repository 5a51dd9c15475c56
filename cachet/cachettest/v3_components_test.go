package cachettest

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// Each test cites the upstream test it follows:
// core:tests/Feature/Api/<File>.php:<line> at cachethq/core 9183688b.

// ComponentTest.php:17,26,35,44 — list, 15 by default, per_page, id order.
func TestV3ComponentsListPaging(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(20)
	r := a.guest().get("/components").is(t, 200)
	if n := r.count(t, "data"); n != 15 {
		t.Fatalf("default page holds %d, want 15", n)
	}
	if got := r.ids(t); !slices.Equal(got[:5], []int{1, 2, 3, 4, 5}) {
		t.Fatalf("default order %v, want ids ascending", got[:5])
	}
	if n := a.guest().get("/components?per_page=18").count(t, "data"); n != 18 {
		t.Fatalf("per_page=18 gives %d", n)
	}
}

// cachet3-api.md §5 (not asserted upstream): per_page is clamped to 1..100,
// links carry only ?page=N, next is absent on the last page, no totals.
func TestV3SimplePaginateShape(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(120)
	r := a.guest().get("/components?per_page=500&sort=id&filter[name]=Component").is(t, 200)
	if n := r.count(t, "data"); n != 100 {
		t.Fatalf("per_page=500 gives %d items, want the clamp 100", n)
	}
	next := r.at(t, "links.next").(string)
	if next != a.srv.URL+"/components?page=2" {
		t.Fatalf("links.next = %q, want only ?page=2 (query dropped)", next)
	}
	if r.has("links.prev") || r.has("links.last") || r.has("meta.total") || r.has("meta.last_page") {
		t.Fatalf("page 1 has prev/last/total: %s", r.body)
	}
	if r.num(t, "meta.per_page") != 100 || r.num(t, "meta.from") != 1 || r.num(t, "meta.to") != 100 {
		t.Fatalf("meta %v", r.at(t, "meta"))
	}
	last := a.guest().get("/components?per_page=100&page=2").is(t, 200)
	if last.count(t, "data") != 20 || last.has("links.next") || !last.has("links.prev") {
		t.Fatalf("last page: %s", last.body)
	}
	if n := a.guest().get("/components?per_page=abc").count(t, "data"); n != 1 {
		t.Fatalf("per_page=abc gives %d items, want 1 (intval 0 clamped to 1)", n)
	}
	empty := a.guest().get("/components?page=9").is(t, 200)
	if empty.count(t, "data") != 0 || empty.at(t, "meta.from") != nil || empty.at(t, "meta.to") != nil {
		t.Fatalf("empty page: %s", empty.body)
	}
}

// ComponentTest.php:56,74,92,110 — sort by name and order, filter name (partial) and status.
func TestV3ComponentsSortAndFilter(t *testing.T) {
	a := newAPI3(t)
	names := []string{"Charlie", "alpha", "Bravo"}
	for i, n := range names {
		a.as("components.manage").post("/components", map[string]any{"name": n, "order": 3 - i, "status": i + 1}).is(t, 201)
	}
	if got := a.get("/components?sort=name").ids(t); !slices.Equal(got, []int{2, 3, 1}) {
		t.Fatalf("sort=name: %v", got)
	}
	if got := a.get("/components?sort=-order").ids(t); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("sort=-order: %v", got)
	}
	if got := a.get("/components?filter[name]=RAV").ids(t); !slices.Equal(got, []int{3}) {
		t.Fatalf("filter[name]=RAV: %v", got)
	}
	if got := a.get("/components?filter[status]=1,3").ids(t); !slices.Equal(got, []int{1, 3}) {
		t.Fatalf("filter[status]=1,3 (an OR): %v", got)
	}
}

// ComponentTest.php:130,144,561,571,581 — disabled components: hidden by
// default even from tokens, listed to tokens with filter[enabled]=0, never
// to guests; filter[enabled]=0,1 lists all (cachet3-api.md §5).
func TestV3ComponentsEnabledFilter(t *testing.T) {
	a := newAPI3(t)
	for range 20 {
		a.seedComponent(0, false, 1)
	}
	on := a.seedComponent(0, true, 1)
	if got := a.guest().get("/components?filter[enabled]=1").ids(t); !slices.Equal(got, []int{on}) {
		t.Fatalf("guest filter[enabled]=1: %v", got)
	}
	if n := a.get("/components?per_page=25").count(t, "data"); n != 1 {
		t.Fatalf("token without filter sees %d, want only the enabled one", n)
	}
	if n := a.as().get("/components?per_page=25&filter[enabled]=0").count(t, "data"); n != 20 {
		t.Fatalf("token with filter[enabled]=0 sees %d, want 20", n)
	}
	if n := a.guest().get("/components?per_page=25&filter[enabled]=0").count(t, "data"); n != 0 {
		t.Fatalf("guest with filter[enabled]=0 sees %d, want 0", n)
	}
	if n := a.get("/components?per_page=25&filter[enabled]=0,1").count(t, "data"); n != 21 {
		t.Fatalf("filter[enabled]=0,1 sees %d, want 21", n)
	}
}

// ComponentTest.php:160,178,196,209,223 — meta: filter (typed), create,
// include, absent by default; HasMetaTest: replace semantics.
func TestV3ComponentMeta(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(5)
	m := a.as("components.manage")
	r := m.post("/components", map[string]any{"name": "Test", "meta": map[string]any{"priority": 3, "critical": true, "region": "eu-west"}}).is(t, 201)
	if r.has("data.attributes.meta") {
		t.Fatalf("create response shows meta: %s", r.body) // §4.0: relation not loaded
	}
	id := r.at(t, "data.id").(string)
	if got := a.get("/components?filter[meta][priority]=3&filter[meta][critical]=true").ids(t); len(got) != 1 || strconv.Itoa(got[0]) != id {
		t.Fatalf("typed meta filter: %v", got)
	}
	if got := a.get("/components?filter[meta][region]=eu-west").ids(t); len(got) != 1 {
		t.Fatalf("meta filter: %v", got)
	}
	if a.get("/components/" + id).has("data.attributes.meta") {
		t.Fatal("meta shown without include=meta")
	}
	meta := a.get("/components/"+id+"?include=meta").at(t, "data.attributes.meta").(map[string]any)
	if meta["priority"] != float64(3) || meta["critical"] != true {
		t.Fatalf("meta types lost: %v", meta)
	}
	// cachet3-api.md §7.10: a meta object replaces the whole set, {} clears.
	m.put("/components/"+id, map[string]any{"meta": map[string]any{"region": "us"}}).is(t, 200)
	meta = a.get("/components/"+id+"?include=meta").at(t, "data.attributes.meta").(map[string]any)
	if len(meta) != 1 || meta["region"] != "us" {
		t.Fatalf("meta after replace: %v", meta)
	}
	m.put("/components/"+id, map[string]any{"name": "Renamed"}).is(t, 200) // omitted = untouched
	if a.get("/components/"+id+"?include=meta").at(t, "data.attributes.meta").(map[string]any)["region"] != "us" {
		t.Fatal("an update without meta changed meta")
	}
	m.put("/components/"+id, map[string]any{"meta": map[string]any{}}).is(t, 200)
	if got := a.get("/components/"+id+"?include=meta").at(t, "data.attributes.meta"); !isEmptyList(got) {
		t.Fatalf("meta {} should clear and read back as []: %v", got)
	}
}

func isEmptyList(v any) bool { l, ok := v.([]any); return ok && len(l) == 0 }

// ComponentTest.php:255,267,278,288,300 — link must be http(s); 401
// without a token; 403 without the ability; 201 with defaults.
func TestV3ComponentCreate(t *testing.T) {
	a := newAPI3(t)
	body := map[string]any{"name": "Test", "description": "This is a new component, created by the API.", "order": 2}
	a.guest().post("/components", body).is(t, 401)
	if r := a.as().post("/components", body).is(t, 403); r.at(t, "message") != "Invalid ability provided." {
		t.Fatalf("403 body: %s", r.body)
	}
	m := a.as("components.manage")
	m.post("/components", map[string]any{"name": "Test", "link": "javascript:alert(1)"}).errorFor(t, "link")
	m.post("/components", map[string]any{"name": "Test", "link": "https://status.example.com/api"}).is(t, 201)
	r := m.post("/components", body).is(t, 201)
	if r.header.Get("Content-Type") != "application/vnd.api+json" || r.at(t, "data.type") != "components" || r.at(t, "data.id") != "2" {
		t.Fatalf("create response: %s %s", r.header.Get("Content-Type"), r.body)
	}
	if r.num(t, "data.attributes.status.value") != 5 || r.num(t, "data.attributes.order") != 2 || r.at(t, "data.attributes.enabled") != true {
		t.Fatalf("defaults: %s", r.body)
	}
	if x := a.component(2); x.groupID != 0 || *x.order != 2 {
		t.Fatalf("stored %+v", x)
	}
}

// cachet3-api.md §6 and fixture error_validation_422.json: the 422 body,
// messages and "(and N more errors)".
func TestV3ValidationBody(t *testing.T) {
	a := newAPI3(t)
	r := a.as("components.manage").post("/components", map[string]any{"link": "ftp://files.example.com", "status": 7, "component_group_id": 99})
	r.want(t, 422)
	want := map[string]string{
		"name":               "The name field is required.",
		"status":             "The selected status is invalid.",
		"link":               "The link field must be a valid URL.",
		"component_group_id": "The selected component group id is invalid.",
	}
	for f, msg := range want {
		if got := r.errorFor(t, f); got != msg {
			t.Errorf("%s: %q, want %q", f, got, msg)
		}
	}
	if r.at(t, "message") != "The name field is required. (and 3 more errors)" {
		t.Errorf("message %q", r.at(t, "message"))
	}
	// Validation runs before the ability check (§2.1): 422, not 403.
	a.as().post("/components", map[string]any{}).errorFor(t, "name")
	// "" becomes null (ConvertEmptyStringsToNull), which the string rule
	// refuses: a description cannot be blanked (cachet3-api.md §7.7).
	a.as("components.manage").post("/components", map[string]any{"name": "X"}).is(t, 201)
	a.as("components.manage").put("/components/1", map[string]any{"description": ""}).errorFor(t, "description")
	if got := a.as("components.manage").put("/components/1", map[string]any{"description": nil}).errorFor(t, "description"); got != "The description field must be a string." {
		t.Errorf("null description: %q", got)
	}
	// §7.7: a component cannot be ungrouped.
	a.as("components.manage").put("/components/1", map[string]any{"component_group_id": 0}).errorFor(t, "component_group_id")
}

// ComponentTest.php:321,342,387,411,428,444,471 — group attach, update
// keeps omitted fields, enabled omitted stays disabled.
func TestV3ComponentUpdate(t *testing.T) {
	a := newAPI3(t)
	g := a.seedGroup(1)
	m := a.as("components.manage")
	r := m.post("/components", map[string]any{"name": "Test", "component_group_id": g}).is(t, 201)
	if a.component(1).groupID != g {
		t.Fatalf("group not attached: %s", r.body)
	}
	m.post("/components", map[string]any{"name": "Test", "component_group_id": 999}).errorFor(t, "component_group_id")
	m.put("/components/1", map[string]any{"order": 10, "enabled": false}).is(t, 200)
	r = m.put("/components/1", map[string]any{"name": "Renamed"}).is(t, 200)
	if r.num(t, "data.attributes.order") != 10 || r.at(t, "data.attributes.enabled") != false {
		t.Fatalf("omitted fields changed: %s", r.body)
	}
	r = m.do("PATCH", "/components/1", map[string]any{"enabled": true}).is(t, 200) // PATCH ≡ PUT
	if r.at(t, "data.attributes.enabled") != true {
		t.Fatalf("re-enable: %s", r.body)
	}
	m.put("/components/1", map[string]any{"component_group_id": 999}).errorFor(t, "component_group_id")
	m.put("/components/99", map[string]any{"name": "x"}).is(t, 404)
}

// cachet3-api.md §7.15: a status change fires one event, re-sending the
// same status fires none (UpdateComponent.php:21-43, ChangeComponentStatus.php:40-62).
func TestV3ComponentStatusEvent(t *testing.T) {
	a := newAPI3(t)
	m := a.as("components.manage")
	m.post("/components", map[string]any{"name": "A", "status": 1}).is(t, 201)
	m.put("/components/1", map[string]any{"status": 1}).is(t, 200)
	if n := a.srv.StatusChanges3(); n != 0 {
		t.Fatalf("same status fired %d events", n)
	}
	m.put("/components/1", map[string]any{"status": 3}).is(t, 200)
	if n := a.srv.StatusChanges3(); n != 1 {
		t.Fatalf("changed status fired %d events, want 1", n)
	}
}

// ComponentTest.php:489,497,507 — delete needs components.delete (manage
// is not enough), 204, soft-deleted (404 afterwards, id not reused).
func TestV3ComponentDelete(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(1)
	a.guest().delete("/components/1").is(t, 401)
	a.as("components.manage").delete("/components/1").is(t, 403)
	r := a.as("components.delete").delete("/components/1").is(t, 204)
	if len(r.body) != 0 {
		t.Fatalf("204 with a body: %s", r.body)
	}
	if r := a.get("/components/1").is(t, 404); r.at(t, "message") != `No query results for model [Cachet\Models\Component] 1` {
		t.Fatalf("404 body: %s", r.body)
	}
	if id := a.as("components.manage").post("/components", map[string]any{"name": "New"}).at(t, "data.id"); id != "2" {
		t.Fatalf("new id %v, want 2 (soft delete keeps the id)", id)
	}
}

// ComponentTest.php:520,536,552,593,601,654 — visibility: guests see
// ungrouped and guest-group components; tokens also authenticated groups;
// nobody sees hidden groups' components (cachet3-api.md §7.3).
func TestV3ComponentVisibility(t *testing.T) {
	a := newAPI3(t)
	guest, auth, hidden := a.seedGroup(1), a.seedGroup(0), a.seedGroup(2)
	a.seedComponent(guest, true, 1)
	a.seedComponent(auth, true, 1)
	inHidden := a.seedComponent(hidden, true, 1)
	a.seedComponent(0, true, 1)
	disabled := a.seedComponent(0, false, 1)
	if n := a.guest().get("/components?per_page=50").count(t, "data"); n != 2 {
		t.Fatalf("guest sees %d, want 2", n)
	}
	if got := a.as().get("/components?per_page=50&filter[enabled]=0,1").ids(t); !slices.Equal(got, []int{1, 2, 4, 5}) {
		t.Fatalf("token sees %v, want all but the hidden group's", got)
	}
	a.guest().get("/components/"+strconv.Itoa(inHidden)).is(t, 404)
	a.get("/components/"+strconv.Itoa(inHidden)).is(t, 404)
	a.guest().get("/components/"+strconv.Itoa(disabled)).is(t, 404)
	a.as().get("/components/"+strconv.Itoa(disabled)).is(t, 200)
	// An invalid token reads as a guest, never 401 (cachet3-api.md §7.2).
	if n := a.guest().withBearer("9|bogus").get("/components?per_page=50").count(t, "data"); n != 2 {
		t.Fatalf("bad token sees %d, want the guest view (2)", n)
	}
	// Hidden rows can still be updated by id (§4.2).
	a.as("components.manage").put("/components/"+strconv.Itoa(inHidden), map[string]any{"name": "Still here"}).is(t, 200)
}

func (a *api3) withBearer(tok string) *api3 { g := *a; g.token = tok; return &g }

// ComponentTest.php:245, ComponentGroupTest.php:66 — include=group gives a
// relationship and an included componentGroups resource.
func TestV3ComponentIncludeGroup(t *testing.T) {
	a := newAPI3(t)
	g := a.seedGroup(1)
	a.seedComponent(g, true, 1)
	r := a.get("/components/1?include=group").is(t, 200)
	if r.at(t, "data.relationships.group.data.type") != "componentGroups" || r.at(t, "included.0.id") != strconv.Itoa(g) {
		t.Fatalf("include=group: %s", r.body)
	}
	if a.get("/components/1").has("data.relationships") {
		t.Fatal("relationships without include")
	}
}

// cachet3-api.md §5 and fixture error_query_400.json: unknown filter,
// sort or include → 400 with spatie's message; include[] → 400.
func TestV3QueryErrors(t *testing.T) {
	a := newAPI3(t)
	cases := []struct{ path, msg string }{
		{"/components?filter[group]=1", "Requested filter(s) `group` are not allowed. Allowed filter(s) are `name, status, enabled, meta`."},
		{"/component-groups?sort=order", "Requested sort(s) `order` is not allowed. Allowed sort(s) are `name, id`."},
		{"/components?include=tags", "Requested include(s) `tags` are not allowed. Allowed include(s) are `group, groupCount, groupExists, incidents, meta, metaCount, metaExists`."},
		{"/components?include[]=group", "The include parameter must be a comma seperated list of relationship paths."},
	}
	for _, c := range cases {
		r := a.get(c.path).is(t, http.StatusBadRequest)
		if r.at(t, "message") != c.msg {
			t.Errorf("%s: %q", c.path, r.at(t, "message"))
		}
	}
}

// ComponentTest.php:667 — status is the baseline, latest_status the worst
// impact of an unresolved public incident.
func TestV3LatestStatus(t *testing.T) {
	a := newAPI3(t)
	a.seedComponent(0, true, 1)
	a.as("incidents.manage").post("/incidents", map[string]any{
		"name": "Down", "message": "m", "status": 1, "visible": true,
		"components": []any{map[string]any{"id": 1, "status": 4}},
	}).is(t, 201)
	r := a.get("/components/1").is(t, 200)
	if r.num(t, "data.attributes.status.value") != 1 || r.num(t, "data.attributes.latest_status.value") != 4 {
		t.Fatalf("status/latest_status: %s", r.body)
	}
}

// core:src/Models/Component.php:265-276 — an in-progress maintenance
// window replaces the baseline (a major outage reads as under maintenance);
// an incident raised during it still wins when worse.
func TestV3LatestStatusMaintenanceReplacesBaseline(t *testing.T) {
	a := newAPI3(t)
	a.seedComponent(0, true, 4)
	a.as("schedules.manage").post("/schedules", map[string]any{"name": "Window", "message": "m", "scheduled_at": "2020-01-01 00:00:00",
		"components": []any{map[string]any{"id": 1, "status": 6}}}).is(t, 201)
	if got := a.get("/components/1").num(t, "data.attributes.latest_status.value"); got != 6 {
		t.Fatalf("latest_status %d, want 6 (maintenance replaces the baseline 4)", got)
	}
	a.as("incidents.manage").post("/incidents", map[string]any{"name": "I", "message": "m", "status": 1, "visible": true,
		"components": []any{map[string]any{"id": 1, "status": 3}}}).is(t, 201)
	if got := a.get("/components/1").num(t, "data.attributes.latest_status.value"); got != 3 {
		t.Fatalf("latest_status %d, want 3 (a partial outage is worse than maintenance)", got)
	}
}

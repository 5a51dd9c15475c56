package cachettest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// errorKeys returns the keys of a 422's errors object in the order the
// body lists them (the order Laravel's MessageBag collected them).
func errorKeys(t *testing.T, r res3) []string {
	t.Helper()
	r.want(t, 422)
	body := string(r.body)
	errs := body[strings.Index(body, `"errors":`):]
	var keys []string
	for k := range r.at(t, "errors").(map[string]any) {
		keys = append(keys, k)
	}
	pos := func(k string) int { return strings.Index(errs, strconv.Quote(k)+":") }
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if pos(keys[j]) < pos(keys[i]) {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func wantKeys(t *testing.T, r res3, want ...string) {
	t.Helper()
	if got := errorKeys(t, r); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("error keys %v, want %v: %s", got, want, r.body)
	}
}

// TestV3SubscriberUpdateTouchesOnlyWhenDirty: UpdateSubscriber calls
// $subscriber->update() with the non-null email/global
// (core:src/Actions/Subscriber/UpdateSubscriber.php:14-17); Eloquent saves,
// and bumps updated_at, only a dirty model. components are synced and meta
// written in other tables (:23-29), so they leave updated_at alone, as does
// the unchanged e-mail. global has no cast (core:src/Models/Subscriber.php:42-44):
// the bool never equals the stored 0/1, so a given global always saves
// (lf:src/Illuminate/Database/Eloquent/Concerns/HasAttributes.php:2335-2371 at 12.x).
func TestV3SubscriberUpdateTouchesOnlyWhenDirty(t *testing.T) {
	clock := clockAt("2026-08-22 10:00:00")
	a := newAPI3(t, WithClock(clock.now))
	a.seedComponents(1)
	id := a.post("/subscribers", map[string]any{"email": "ops@example.com", "verified": true}).is(t, 201).num(t, "data.attributes.id")
	path := "/subscribers/" + strconv.Itoa(id)
	updated := func() any { return a.get(path).is(t, 200).at(t, "data.attributes.updated.string") }
	for _, body := range []map[string]any{
		{"components": []any{1}},
		{"meta": map[string]any{"team": "sre"}},
		{"email": "ops@example.com"},
		{},
	} {
		clock.add(time.Hour)
		a.put(path, body).is(t, 200)
		if got := updated(); got != "2026-08-22 10:00:00" {
			t.Fatalf("PUT %v: updated %v, want the creation time", body, got)
		}
	}
	if a.get(path).at(t, "data.attributes.verified") != true {
		t.Fatal("an unchanged e-mail un-verified the subscriber")
	}
	clock.add(time.Hour)
	a.put(path, map[string]any{"global": true}).is(t, 200)
	if got := updated(); got != "2026-08-22 15:00:00" {
		t.Fatalf("PUT global: updated %v, want 2026-08-22 15:00:00", got)
	}
	clock.add(time.Hour)
	a.put(path, map[string]any{"email": "sre@example.com"}).is(t, 200)
	if got := updated(); got != "2026-08-22 16:00:00" {
		t.Fatalf("PUT email: updated %v, want 2026-08-22 16:00:00", got)
	}
}

// TestV3ValidationOrderWildcardsLast: Laravel appends the expansions of a
// wildcard rule (components.*) after every other attribute
// (lf:src/Illuminate/Validation/ValidationRuleParser.php:69-82 at 12.x), and
// the 422's message quotes the first error
// (core:src/Data/Requests/Subscriber/CreateSubscriberRequestData.php,
// core:src/Data/Requests/ComponentGroup/CreateComponentGroupRequestData.php,
// core:src/Data/Requests/Schedule/CreateScheduleRequestData.php).
func TestV3ValidationOrderWildcardsLast(t *testing.T) {
	a := newAPI3(t)
	r := a.post("/subscribers", map[string]any{"email": "a@example.com", "components": []any{"x"}, "verified": "maybe"})
	wantKeys(t, r, "verified", "components.0")
	if got := r.at(t, "message"); got != "The verified field must be true or false. (and 1 more error)" {
		t.Fatalf("message %q", got)
	}
	id := a.post("/subscribers", map[string]any{"email": "a@example.com"}).is(t, 201).num(t, "data.attributes.id")
	wantKeys(t, a.put("/subscribers/"+strconv.Itoa(id), map[string]any{"components": []any{99}, "meta": "x"}), "meta", "components.0")
	wantKeys(t, a.post("/component-groups", map[string]any{"name": "G", "components": []any{99}, "meta": "x"}), "meta", "components.0")
	wantKeys(t, a.post("/schedules", map[string]any{"name": "S", "message": "m", "scheduled_at": "2026-01-01 10:00", "components": []any{map[string]any{"id": 99, "status": 1}}, "meta": "x"}), "meta", "components.0.id")
}

// TestV3GroupOrderDirectionAfterMeta: laravel-data orders the rules by
// constructor property, but passes over a property with a default whose
// snake_case name is not its own (orderDirection) when the payload lacks
// it; its rules() entry is appended after the properties
// (laravel-data:src/Resolvers/DataValidationRulesResolver.php:45-53 and
// :118-123 at 4.x). So a missing order_direction (Rule::requiredIf,
// core:src/Data/Requests/ComponentGroup/UpdateComponentGroupRequestData.php:37-42)
// is reported after meta; a given one in its own place.
func TestV3GroupOrderDirectionAfterMeta(t *testing.T) {
	a := newAPI3(t)
	a.seedGroup(1)
	r := a.put("/component-groups/1", map[string]any{"order_column": "name", "meta": "x"})
	wantKeys(t, r, "meta", "order_direction")
	if got := r.at(t, "message"); got != "The meta field must be an array. (and 1 more error)" {
		t.Fatalf("message %q", got)
	}
	wantKeys(t, a.put("/component-groups/1", map[string]any{"order_column": "name", "order_direction": "up", "meta": "x"}), "order_direction", "meta")
}

// TestV3IncidentCreateValidationOrder: CreateIncidentRequestData's
// constructor puts status second (core:src/Data/Requests/Incident/CreateIncidentRequestData.php),
// and component_status is 'required_with:component_id', whose message
// names the other field.
func TestV3IncidentCreateValidationOrder(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(1)
	r := a.post("/incidents", map[string]any{})
	wantKeys(t, r, "name", "status", "message", "template")
	if got := r.at(t, "message"); got != "The name field is required. (and 3 more errors)" {
		t.Fatalf("message %q", got)
	}
	r = a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "component_id": 1, "meta": "x"})
	wantKeys(t, r, "meta", "component_status")
	if got := r.errorFor(t, "component_status"); got != "The component status field is required when component id is present." {
		t.Fatalf("component_status: %q", got)
	}
	r = a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "component_id": 1, "component_status": 9, "meta": "x"})
	wantKeys(t, r, "component_status", "meta")
	if got := r.errorFor(t, "component_status"); got != "The selected component status is invalid." {
		t.Fatalf("component_status: %q", got)
	}
}

// TestV3MetricCreateValidationOrder: calc_type precedes description in
// CreateMetricRequestData (core:src/Data/Requests/Metric/CreateMetricRequestData.php).
func TestV3MetricCreateValidationOrder(t *testing.T) {
	a := newAPI3(t)
	wantKeys(t, a.post("/metrics", map[string]any{"name": "M", "suffix": "ms", "description": 5, "calc_type": 9}), "calc_type", "description")
}

// rawErrors is the 422's errors object exactly as sent.
func rawErrors(t *testing.T, r res3) string {
	t.Helper()
	r.want(t, 422)
	body := string(r.body)
	i := strings.Index(body, `"errors":`)
	if i < 0 || !strings.HasSuffix(body, "}") {
		t.Fatalf("no errors object: %s", body)
	}
	return body[i+len(`"errors":`) : len(body)-1]
}

// TestV3ExistsSkippedAfterAFailure: Laravel runs an exists rule only while
// the attribute has no error yet (hasNotFailedPreviousRuleIfPresenceRule,
// lf:src/Illuminate/Validation/Validator.php:902-905 at 12.x), so "x" is
// only "not an integer", not also "invalid"
// (core:src/Data/Requests/Subscriber/CreateSubscriberRequestData.php,
// core:src/Data/Requests/Component/CreateComponentRequestData.php). The
// expected bodies come from running Laravel 12's validator on these rules.
func TestV3ExistsSkippedAfterAFailure(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(2)
	r := a.post("/subscribers", map[string]any{"email": "a@example.com", "components": []any{"x", -1, 99, 1.5}})
	want := `{"components.0":["The components.0 field must be an integer."],"components.1":["The components.1 field must be at least 0."],"components.2":["The selected components.2 is invalid."],"components.3":["The components.3 field must be an integer."]}`
	if got := rawErrors(t, r); got != want {
		t.Fatalf("errors\n got %s\nwant %s", got, want)
	}
	r = a.post("/components", map[string]any{"name": "C", "component_group_id": "x"})
	if got := rawErrors(t, r); got != `{"component_group_id":["The component group id field must be an integer."]}` {
		t.Fatalf("errors %s", got)
	}
}

// TestV3IncidentComponentsValidation: an incident's (and a schedule's)
// components list is a DataCollectionOf(IncidentComponentRequestData) on a
// Data class with rules(), so laravel-data validates each element with a
// Rule::forEach built from the item class (id: required, numeric, exists;
// status: required, enum; a non-array element: array) and Laravel merges
// the explicit components.*.id/.status rules after those
// (core:src/Data/Requests/Incident/CreateIncidentRequestData.php,
// core:src/Data/Requests/Incident/IncidentComponentRequestData.php,
// laravel-data:src/Resolvers/DataValidationRulesResolver.php:154-180 at 4.x).
// The expected body comes from running Laravel 12's validator on the rules
// laravel-data builds for this payload.
func TestV3IncidentComponentsValidation(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(2)
	body := map[string]any{"name": "I", "status": 1, "message": "m", "meta": "x", "components": []any{
		"x",
		map[string]any{"id": "a", "status": "z"},
		map[string]any{"id": 1.5, "status": 9},
		map[string]any{"id": 7, "status": 1},
		map[string]any{"status": 1},
	}}
	want := `{"meta":["The meta field must be an array."],` +
		`"components.0":["The components.0 field must be an array."],` +
		`"components.1.id":["The components.1.id field must be a number.","The components.1.id field must be an integer."],` +
		`"components.1.status":["The selected components.1.status is invalid.","The components.1.status field must be an integer."],` +
		`"components.2.id":["The selected components.2.id is invalid.","The components.2.id field must be an integer."],` +
		`"components.2.status":["The selected components.2.status is invalid."],` +
		`"components.3.id":["The selected components.3.id is invalid."],` +
		`"components.4.id":["The components.4.id field is required."],` +
		`"components.0.id":["The components.0.id field is required."],` +
		`"components.0.status":["The components.0.status field is required."]}`
	if got := rawErrors(t, a.post("/incidents", body)); got != want {
		t.Fatalf("incident errors\n got %s\nwant %s", got, want)
	}
	sched := map[string]any{"name": "S", "message": "m", "scheduled_at": "2026-01-01 10:00", "components": []any{
		map[string]any{"id": "a", "status": 1}, map[string]any{"id": 1, "status": 9},
	}}
	want = `{"components.0.id":["The components.0.id field must be a number.","The components.0.id field must be an integer."],` +
		`"components.1.status":["The selected components.1.status is invalid."]}`
	if got := rawErrors(t, a.post("/schedules", sched)); got != want {
		t.Fatalf("schedule errors\n got %s\nwant %s", got, want)
	}
}

// TestV3UnknownTemplateMessage: template is exists:incident_templates,slug
// (core:src/Data/Requests/Incident/CreateIncidentRequestData.php); an
// unknown slug is "The selected template is invalid.", not an empty message.
func TestV3UnknownTemplateMessage(t *testing.T) {
	a := newAPI3(t)
	r := a.post("/incidents", map[string]any{"name": "I", "status": 1, "template": "nope"})
	if got := r.errorFor(t, "template"); got != "The selected template is invalid." {
		t.Fatalf("template: %q", got)
	}
	if got := r.at(t, "message"); got != "The selected template is invalid." {
		t.Fatalf("message %q", got)
	}
}

// TestV3QueryStringIsCleaned: the global TrimStrings and
// ConvertEmptyStringsToNull clean the query string too
// (lf:src/Illuminate/Foundation/Http/Middleware/TransformsRequest.php:30-38
// at 12.x). A padded filter is trimmed; an empty one is null, and spatie
// applies no constraint for a null value — not even the enabled filter's
// default (qb:src/AllowedFilter.php filter() at 6.4.4,
// core:src/Http/Controllers/Api/ComponentController.php:52-57).
func TestV3QueryStringIsCleaned(t *testing.T) {
	a := newAPI3(t)
	a.post("/components", map[string]any{"name": "API", "status": 1}).is(t, 201)
	a.post("/components", map[string]any{"name": "Web", "status": 2, "enabled": false}).is(t, 201)
	if got := a.get("/components?filter[name]=%20api%20").is(t, 200).ids(t); len(got) != 1 || got[0] != 1 {
		t.Fatalf("padded name filter: ids %v, want [1]", got)
	}
	if got := a.get("/components?filter[status]=").is(t, 200).ids(t); len(got) != 1 {
		t.Fatalf("empty status filter: ids %v, want the enabled component", got)
	}
	if got := a.get("/components?filter[enabled]=").is(t, 200).ids(t); len(got) != 2 {
		t.Fatalf("empty enabled filter: ids %v, want both (no default applied)", got)
	}
	if got := a.get("/components?sort=&include=").is(t, 200).ids(t); len(got) != 1 {
		t.Fatalf("empty sort/include: ids %v", got)
	}
}

// TestV3FilterValueLists: spatie's getFilterValue splits a value at commas
// and keeps the parts as strings (only a whole "true"/"false" becomes a
// boolean), and a partial filter drops the empty parts of a list
// (qb:src/QueryBuilderRequest.php getFilterValue,
// qb:src/Filters/FiltersPartial.php:28-41 at 6.4.4).
func TestV3FilterValueLists(t *testing.T) {
	a := newAPI3(t)
	a.post("/components", map[string]any{"name": "API", "status": 1}).is(t, 201)
	a.post("/components", map[string]any{"name": "Web", "status": 2}).is(t, 201)
	if got := a.get("/components?filter[name]=zzz,").is(t, 200).ids(t); len(got) != 0 {
		t.Fatalf("name=zzz,: ids %v, want none (the empty part matches nothing)", got)
	}
	if got := a.get("/components?filter[name]=web,").is(t, 200).ids(t); len(got) != 1 || got[0] != 2 {
		t.Fatalf("name=web,: ids %v, want [2]", got)
	}
	if got := a.get("/components?filter[enabled]=true,false").is(t, 200).ids(t); len(got) != 0 {
		t.Fatalf("enabled=true,false: ids %v, want none (the strings match no 0/1)", got)
	}
	if got := a.get("/components?filter[enabled]=true").is(t, 200).ids(t); len(got) != 2 {
		t.Fatalf("enabled=true: ids %v, want both", got)
	}
}

// TestV3QueryErrorsNameEveryUnknown: spatie reports every unknown sort,
// filter and include, in the request's order, sort names without their
// "-", include parts untrimmed; an array include passes spatie and is
// refused by the serializer (qb:src/Concerns/SortsQuery.php,
// qb:src/Concerns/FiltersQuery.php, qb:src/Concerns/AddsIncludesToQuery.php
// at 6.4.4; ja:src/Support/Includes.php:65;
// core:src/Http/Controllers/Api/ComponentController.php:50-59).
func TestV3QueryErrorsNameEveryUnknown(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(1)
	for path, want := range map[string]string{
		"/components?sort=foo,-bar,name":             "Requested sort(s) `foo, bar` is not allowed. Allowed sort(s) are `name, order, id`.",
		"/components?sort[]=foo":                     "Requested sort(s) `foo` is not allowed. Allowed sort(s) are `name, order, id`.",
		"/components?filter[zeta]=1&filter[alpha]=1": "Requested filter(s) `zeta, alpha` are not allowed. Allowed filter(s) are `name, status, enabled, meta`.",
		"/components?include=group,%20meta":          "Requested include(s) ` meta` are not allowed. Allowed include(s) are `group, groupCount, groupExists, incidents, meta, metaCount, metaExists`.",
		"/components?include[]=foo":                  "Requested include(s) `foo` are not allowed. Allowed include(s) are `group, groupCount, groupExists, incidents, meta, metaCount, metaExists`.",
		"/components?include[]=group":                "The include parameter must be a comma seperated list of relationship paths.",
	} {
		r := a.get(path).is(t, 400)
		if got := r.at(t, "message"); got != want {
			t.Errorf("%s: %q\nwant %q", path, got, want)
		}
	}
	if got := a.get("/components?sort=-name").is(t, 200).ids(t); len(got) != 1 {
		t.Fatalf("sort=-name: %v", got)
	}
}

// TestV3PageParameter: Paginator's page resolver takes what
// FILTER_VALIDATE_INT accepts and is at least 1, else page 1
// (lf:src/Illuminate/Pagination/PaginationState.php:19-27 at 12.x).
func TestV3PageParameter(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(3)
	for q, want := range map[string]int{"page=2": 2, "page=02": 1, "page=%2B2": 2, "page=0": 1, "page=2.0": 1} {
		if got := a.get("/components?per_page=1&"+q).is(t, 200).num(t, "meta.current_page"); got != want {
			t.Errorf("%s: current_page %d, want %d", q, got, want)
		}
	}
}

// TestV3MetaFilterEncodings: MetaFilter matches the stored JSON encoding
// against the filter value's encodings: a string, plus the int (no ".") or
// float (a ".") a numeric string reads as, plus the boolean for
// "true"/"false"; a value with a comma is a list and is skipped
// (core:src/Filters/MetaFilter.php:19-82).
func TestV3MetaFilterEncodings(t *testing.T) {
	a := newAPI3(t)
	a.post("/components", map[string]any{"name": "API", "meta": map[string]any{"priority": 3, "ratio": 1.5, "on": true, "flag": "1"}}).is(t, 201)
	for q, want := range map[string]int{
		"on]=true":      1,
		"on]=1":         0, // "1" and 1 are not true
		"priority]=3":   1,
		"priority]=3.0": 0, // 3.0 is a float, stored 3 an int
		"ratio]=1.5":    1,
		"flag]=1":       1,
		"flag]=true":    0,
		"zone]=a,b":     1, // a list: the pair is skipped
	} {
		if got := len(a.get("/components?filter[meta]["+q).is(t, 200).ids(t)); got != want {
			t.Errorf("filter[meta][%s: %d rows, want %d", q, got, want)
		}
	}
}

// TestV3WriteResponsesRenderRequestedRelationships: store/update return
// Resource::make($model) (core:src/Http/Controllers/Api/ComponentGroupController.php:77-111,
// core:src/Http/Controllers/Api/SubscriberController.php:57-109); no query
// builder runs, but the JSON:API serializer resolves the relationships
// ?include= names (ja:src/Concerns/Relationships.php), so
// ?include=components renders them. meta stays absent: syncMeta unsets the
// relation (core:src/Concerns/HasMeta.php).
func TestV3WriteResponsesRenderRequestedRelationships(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(2)
	r := a.post("/component-groups?include=components,meta", map[string]any{"name": "G", "components": []any{1}, "meta": map[string]any{"k": "v"}}).is(t, 201)
	if r.count(t, "data.relationships.components.data") != 1 || r.count(t, "included") != 1 || r.has("data.attributes.meta") {
		t.Fatalf("group create: %s", r.body)
	}
	r = a.put("/component-groups/1?include=components", map[string]any{"components": []any{2}}).is(t, 200)
	if r.count(t, "data.relationships.components.data") != 2 {
		t.Fatalf("group update: %s", r.body)
	}
	r = a.post("/subscribers?include=components,meta", map[string]any{"email": "a@example.com", "components": []any{1}, "meta": map[string]any{"k": "v"}}).is(t, 201)
	if r.count(t, "data.relationships.components.data") != 1 || r.has("data.attributes.meta") {
		t.Fatalf("subscriber create: %s", r.body)
	}
	r = a.put("/subscribers/1?include=components", map[string]any{"components": []any{1, 2}}).is(t, 200)
	if r.count(t, "data.relationships.components.data") != 2 {
		t.Fatalf("subscriber update: %s", r.body)
	}
}

// TestV3RouteKeys: implicit binding runs where id = '<parameter>'; SQLite
// (the default database) compares the integer column with the string as a
// number when it is a well-formed numeric literal, so 01 and 1.0 find row 1,
// and a 404 quotes the parameter as given
// (lf:src/Illuminate/Routing/ImplicitRouteBinding.php:58-61 at 12.x).
func TestV3RouteKeys(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(1)
	for _, key := range []string{"1", "01", "1.0"} {
		if got := a.get("/components/"+key).is(t, 200).num(t, "data.attributes.id"); got != 1 {
			t.Fatalf("%s: id %d", key, got)
		}
	}
	for key, want := range map[string]string{
		"abc": `No query results for model [Cachet\Models\Component] abc`,
		"1.5": `No query results for model [Cachet\Models\Component] 1.5`,
		"0":   `No query results for model [Cachet\Models\Component] 0`,
	} {
		if got := a.get("/components/"+key).is(t, 404).at(t, "message"); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	if got := a.get("/subscribers/x").is(t, 404).at(t, "message"); got != `No query results for model [Cachet\Models\Subscriber] x` {
		t.Errorf("subscriber: %q", got)
	}
}

// TestV3UpdatesTouchOnlyWhenDirty: every update action is an Eloquent
// update(), which saves, and bumps updated_at, only a dirty model
// (core:src/Actions/Incident/UpdateIncident.php:17,
// core:src/Actions/Update/EditUpdate.php, core:src/Actions/Schedule/UpdateSchedule.php:17,
// core:src/Actions/Metric/UpdateMetric.php). An incident's notifications
// has no cast (core:src/Models/Incident.php:81-90), so a given value is
// always dirty, and reads show it as the database's 0/1 while the create
// response shows the bool. A new update whose status differs from the
// incident's updates the incident (core:src/Actions/Incident/SyncIncidentStatus.php:17-36).
func TestV3UpdatesTouchOnlyWhenDirty(t *testing.T) {
	clock := clockAt("2026-08-22 10:00:00")
	a := newAPI3(t, WithClock(clock.now))
	updated := func(path string) any { return a.get(path).is(t, 200).at(t, "data.attributes.updated.string") }
	step := func(method, path string, body map[string]any, want string) {
		t.Helper()
		clock.add(time.Hour)
		a.do(method, path, body).want(t, map[string]int{"PUT": 200, "POST": 201}[method])
		if got := updated(strings.SplitN(path, "/updates", 2)[0]); got != want {
			t.Fatalf("%s %s %v: updated %v, want %s", method, path, body, got, want)
		}
	}
	r := a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m"}).is(t, 201)
	if r.at(t, "data.attributes.notifications") != false {
		t.Fatalf("create: notifications %v", r.at(t, "data.attributes.notifications"))
	}
	if got := a.get("/incidents/1").at(t, "data.attributes.notifications"); got != float64(0) {
		t.Fatalf("read: notifications %v, want 0", got)
	}
	step("PUT", "/incidents/1", map[string]any{"name": "I", "message": "m", "status": 1, "meta": map[string]any{"k": "v"}}, "2026-08-22 10:00:00")
	step("POST", "/incidents/1/updates", map[string]any{"status": 1, "message": "still"}, "2026-08-22 10:00:00")
	step("POST", "/incidents/1/updates", map[string]any{"status": 4, "message": "fixed"}, "2026-08-22 13:00:00")
	step("PUT", "/incidents/1", map[string]any{"notifications": false}, "2026-08-22 14:00:00")
	step("PUT", "/incidents/1", map[string]any{"name": "J"}, "2026-08-22 15:00:00")
	clock.add(time.Hour)
	a.put("/incidents/1/updates/2", map[string]any{"message": "fixed"}).is(t, 200)
	if got := a.get("/incidents/1/updates/2").at(t, "data.attributes.updated.string"); got != "2026-08-22 13:00:00" {
		t.Fatalf("unchanged update message: updated %v", got)
	}

	a.post("/schedules", map[string]any{"name": "S", "message": "m", "scheduled_at": "2026-09-01 10:00:00"}).is(t, 201)
	created := updated("/schedules/1")
	step("PUT", "/schedules/1", map[string]any{"name": "S", "scheduled_at": "2026-09-01 10:00:00", "components": []any{}}, created.(string))
	step("PUT", "/schedules/1", map[string]any{"message": "new"}, clock.now().Add(time.Hour).Format(time.DateTime))

	a.post("/metrics", map[string]any{"name": "M", "suffix": "ms"}).is(t, 201)
	created = updated("/metrics/1")
	step("PUT", "/metrics/1", map[string]any{"name": "M", "suffix": "ms"}, created.(string))
	step("PUT", "/metrics/1", map[string]any{"threshold": 10}, clock.now().Add(time.Hour).Format(time.DateTime))
}

// TestV3GroupMembershipTouchesComponents: a group's components are moved
// with Component::query()->whereIn(...)->update() on create and update, and
// released with $group->components()->update() on delete
// (core:src/Actions/ComponentGroup/CreateComponentGroup.php:28-30,
// core:src/Actions/ComponentGroup/UpdateComponentGroup.php:22-26,
// core:src/Actions/ComponentGroup/DeleteComponentGroup.php:14-16). These are
// Eloquent builder updates, which set updated_at on every matched row, a
// member already or not (lf:src/Illuminate/Database/Eloquent/Builder.php:1264,1359 at 12.x).
func TestV3GroupMembershipTouchesComponents(t *testing.T) {
	clock := clockAt("2026-08-22 10:00:00")
	a := newAPI3(t, WithClock(clock.now))
	a.seedComponents(2)
	updated := func(id string) any {
		return a.get("/components/"+id).is(t, 200).at(t, "data.attributes.updated.string")
	}
	clock.add(time.Hour)
	a.post("/component-groups", map[string]any{"name": "G", "components": []any{1}}).is(t, 201)
	if updated("1") != "2026-08-22 11:00:00" || updated("2") != "2026-08-22 10:00:00" {
		t.Fatalf("after create: %v %v", updated("1"), updated("2"))
	}
	clock.add(time.Hour)
	a.put("/component-groups/1", map[string]any{"components": []any{1}}).is(t, 200)
	if got := updated("1"); got != "2026-08-22 12:00:00" {
		t.Fatalf("re-adding a member: updated %v", got)
	}
	clock.add(time.Hour)
	a.delete("/component-groups/1").want(t, 204)
	if got := updated("1"); got != "2026-08-22 13:00:00" {
		t.Fatalf("after the group's delete: updated %v", got)
	}
	if got := updated("2"); got != "2026-08-22 10:00:00" {
		t.Fatalf("a component outside the group: updated %v", got)
	}
}

// doRaw sends body as it is written (a JSON 1.0 stays a float).
func (a *api3) doRaw(method, path, body string) res3 {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	r := res3{status: resp.StatusCode, header: resp.Header, body: data}
	_ = json.Unmarshal(data, &r.json)
	return r
}

// TestV3ScalarCoercions: PHP's loose scalars, as Laravel's rules and
// laravel-data's casts take them. filter_var(FILTER_VALIDATE_INT) accepts
// true and 1.0; Rule::enum is BackedEnum::tryFrom, which coerces true,
// 1.5 and "1.0" to 1; exists binds the value as a string that SQLite reads
// as a number; the boolean rule is a strict in_array, so 1.0 fails;
// requiredIf's filled() holds for any non-blank order_column, a string or
// not (lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php,
// lf:src/Illuminate/Validation/Rules/Enum.php at 12.x;
// core:src/Data/Requests/Component/CreateComponentRequestData.php,
// core:src/Data/Requests/ComponentGroup/CreateComponentGroupRequestData.php:35-43,
// core:src/Data/Requests/Subscriber/UpdateSubscriberRequestData.php). The
// expected errors come from running Laravel 12's validator on the rules
// laravel-data builds for each payload.
func TestV3ScalarCoercions(t *testing.T) {
	for _, tc := range []struct{ method, path, body, errors string }{
		{"POST", "/components", `{"name":"C","enabled":1.0,"status":true}`, `{"enabled":["The enabled field must be true or false."]}`},
		{"PUT", "/components/1", `{"status":"x","order":"1.0","component_group_id":"1.0","link":"javascript:alert(1)"}`,
			`{"status":["The selected status is invalid."],"link":["The link field must be a valid URL."],"order":["The order field must be an integer."],"component_group_id":["The component group id field must be an integer."]}`},
		{"POST", "/component-groups", `{"name":"G","collapsed":1.5,"visible":1.0}`, `{"visible":["The visible field must be true or false."]}`},
		{"POST", "/component-groups", `{"name":"G","order_column":5}`, `{"order_column":["The selected order column is invalid."],"order_direction":["The order direction field is required."]}`},
		{"POST", "/component-groups", `{"order_column":99,"order_direction":{},"meta":"x"}`,
			`{"name":["The name field is required."],"order_column":["The selected order column is invalid."],"order_direction":["The order direction field is required."],"meta":["The meta field must be an array."]}`},
		{"POST", "/component-groups", `{"name":"G","order_column":true,"collapsed":false}`, `{"order_column":["The selected order column is invalid."],"order_direction":["The order direction field is required."]}`},
		{"PUT", "/subscribers/1", `{"global":1.0,"components":[true,1.0,"1.0",-1]}`,
			`{"global":["The global field must be true or false."],"components.2":["The components.2 field must be an integer."],"components.3":["The components.3 field must be at least 0."]}`},
	} {
		a := newAPI3(t)
		a.seedComponents(2)
		a.seedGroup(1)
		a.post("/subscribers", map[string]any{"email": "a@example.com"}).is(t, 201)
		if got := rawErrors(t, a.doRaw(tc.method, tc.path, tc.body)); got != tc.errors {
			t.Errorf("%s %s %s\n got %s\nwant %s", tc.method, tc.path, tc.body, got, tc.errors)
		}
	}
	// What passes is stored as PHP coerces it.
	a := newAPI3(t)
	a.seedGroup(1)
	r := a.doRaw("POST", "/components", `{"name":"C","status":1.5,"order":true,"component_group_id":1.0}`).is(t, 201)
	if r.num(t, "data.attributes.status.value") != 1 || r.num(t, "data.attributes.order") != 1 {
		t.Fatalf("create: %s", r.body)
	}
	if id := a.get("/components/1?include=group").at(t, "data.relationships.group.data.id"); id != "1" {
		t.Fatalf("component_group_id 1.0: group %v", id)
	}
	r = a.doRaw("PUT", "/components/1", `{"status":"2.0","order":"5"}`).is(t, 200)
	if r.num(t, "data.attributes.status.value") != 2 || r.num(t, "data.attributes.order") != 5 {
		t.Fatalf("update: %s", r.body)
	}
}

// TestV3SubscriberEmailRule: 3.x's email rule is egulias' RFCValidation
// (lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php
// validateEmail at 12.x; core:src/Data/Requests/Subscriber/CreateSubscriberRequestData.php),
// not the 2.x filter: quoted local parts, comments and domain literals
// pass; a hyphen opening the domain or closing a label, an underscore in
// the domain or a label over 63 characters fail. The verdicts come from
// running that validator.
func TestV3SubscriberEmailRule(t *testing.T) {
	valid := []string{"a@b.c", "a@b", `"a b"@c.d`, "a@[1.2.3.4]", "a+tag@example.com", "a@123", "a(comment)@b.c", "a@(comment)b.c",
		`"a\"b"@c.d`, "a@[IPv6:::1]", "a@[300.1.1.1]", strings.Repeat("x", 65) + "@b.c", "a@" + strings.Repeat("b", 63) + ".c", `""@b.c`,
		"a%b@c.d", "!#$%&'*+-/=?^_`{|}~@b.c", "A@B.C", "a@b.-c", "a@1.2.3.4", "a\u00a0@b.c"}
	invalid := []string{"a..b@c.d", "a@-b.c", "a@b.c.", "a b@c.d", "a@b_c.d", ".a@b.c", "a.@b.c", "a@b..c", "a@.b.c", "@b.c", "a@", "a",
		"a@b@c", "a@b.c-", "a@b-.c", "a@" + strings.Repeat("b", 64) + ".c", `a\b@c.d`, "a@b,c", "a@b;c", "a@b.c(x)", "a@-"}
	a := newAPI3(t)
	for _, e := range valid {
		if r := a.post("/subscribers", map[string]any{"email": e}); r.status == 422 {
			t.Errorf("%q: refused: %s", e, r.body)
		}
	}
	for _, e := range invalid {
		if got := a.post("/subscribers", map[string]any{"email": e}).errorFor(t, "email"); got != "The email field must be a valid email address." {
			t.Errorf("%q: %q", e, got)
		}
	}
}

// TestV3ComponentLinkRule: link is url:http,https, Laravel's Str::isUrl
// pattern (lf:src/Illuminate/Support/Str.php isUrl at 12.x;
// core:src/Data/Requests/Component/CreateComponentRequestData.php): a
// well-formed host, port, path, query and fragment, nothing else. The
// verdicts come from running that pattern.
func TestV3ComponentLinkRule(t *testing.T) {
	valid := []string{"http://a", "http://a.b", "https://example.com/x?y=1#z", "HTTP://EXAMPLE.COM", "http://-a.com", "http://a_b.com",
		"http://localhost:8080", "http://127.0.0.1", "http://[::1]/", "http://user:pass@host.com", "http://host.com:99999", "http://a.com/%20",
		"http://例え.jp", "http://xn--r8jz45g.jp", "https://a.b/c(d)", "http://a.b/~x", "https://a.b:0", "http://1.2.3", "http://a.b.",
		"http://a-.b", "https://a.b?", "https://a.b#"}
	invalid := []string{"http://host..com", "http://.com", "http:/a.com", "http//a.com", "ftp://a.com", "//a.com", "http://a.com/ space",
		"http://a.b/|", `http://a.b/\`, "http://a.b/<x>", "https://", "http:///a", `http://a.b/"`, "mailto:a@b.c", "javascript://a.com"}
	a := newAPI3(t)
	for _, u := range valid {
		if r := a.post("/components", map[string]any{"name": "C", "link": u}); r.status != 201 {
			t.Errorf("%q: status %d: %s", u, r.status, r.body)
		}
	}
	for _, u := range invalid {
		if got := a.post("/components", map[string]any{"name": "C", "link": u}).errorFor(t, "link"); got != "The link field must be a valid URL." {
			t.Errorf("%q: %q", u, got)
		}
	}
}

// TestV3IncidentCreateEdgeRules: required_without counts the other field
// only when it is filled, so an empty message array makes both message and
// template required; the date rule is strtotime plus checkdate, so m/d/Y,
// d.m.Y and month names pass and relative dates ("tomorrow") fail, and
// FlexibleDateTimeCast reads the date as Carbon::parse does; an array of
// existing ids passes exists:components,id and then breaks the ?int
// property: 500 (lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php
// at 12.x; core:src/Data/Requests/Incident/CreateIncidentRequestData.php,
// core:src/Data/Casts/FlexibleDateTimeCast.php). Expected values come from
// running Laravel 12's validator and PHP's date parser.
func TestV3IncidentCreateEdgeRules(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(1)
	wantKeys(t, a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": []any{}}), "message", "template")
	for in, want := range map[string]string{
		"01/02/2026": "2026-01-02 00:00:00", "02.01.2026": "2026-01-02 00:00:00", "2026/01/02": "2026-01-02 00:00:00",
		"January 1, 2026": "2026-01-01 00:00:00", "20260101": "2026-01-01 00:00:00", "2026-1-1": "2026-01-01 00:00:00",
		"2026-01-01T10:00:00+02:00": "2026-01-01 08:00:00", "Thu, 01 Jan 2026 10:00:00 GMT": "2026-01-01 10:00:00",
	} {
		r := a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "occurred_at": in}).is(t, 201)
		if got := r.at(t, "data.attributes.occurred.string"); got != want {
			t.Errorf("occurred_at %q: %v, want %s", in, got, want)
		}
	}
	for _, in := range []string{"tomorrow", "+1 day", "10:00", "2026-02-30", "2026-13-01", "1700000000"} {
		if got := a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "occurred_at": in}).errorFor(t, "occurred_at"); got != "The occurred at field must be a valid date." {
			t.Errorf("occurred_at %q: %q", in, got)
		}
	}
	r := a.as("none").post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "component_id": []any{}})
	if r.status != 500 || r.at(t, "message") != "Server Error" {
		t.Fatalf("component_id []: %d %s", r.status, r.body)
	}
}

// TestV3ThresholdFactorOfSixty: FactorOfSixty runs 60 % (int) $value
// (core:src/Rules/FactorOfSixty.php) after the int and min rules, which
// do not stop it: (int) "abc" is 0 (a division by zero: "greater than 0"),
// (int) "12abc" is 12, and -5 divides 60.
func TestV3ThresholdFactorOfSixty(t *testing.T) {
	a := newAPI3(t)
	r := a.post("/metrics", map[string]any{"name": "M", "suffix": "ms", "threshold": []any{1}}) // (int) [1] is 1
	if got := rawErrors(t, r); got != `{"threshold":["The threshold field must be an integer."]}` {
		t.Errorf("threshold [1]: %s", got)
	}
	for in, want := range map[any]string{
		"abc":   `{"threshold":["The threshold field must be an integer.","The threshold must be greater than 0."]}`,
		"12abc": `{"threshold":["The threshold field must be an integer."]}`,
		-5:      `{"threshold":["The threshold field must be at least 0."]}`,
		7:       `{"threshold":["The threshold must be a factor of 60."]}`,
	} {
		r := a.post("/metrics", map[string]any{"name": "M", "suffix": "ms", "threshold": in})
		if got := rawErrors(t, r); got != want {
			t.Errorf("threshold %v: %s\nwant %s", in, got, want)
		}
	}
}

// TestV3MetaListRendering: meta renders as $this->meta->pluck('value', 'key')
// (core:src/Http/Resources/Component.php), a PHP array: keys 0, 1, ... in
// order make json_encode write a list, as a JSON list sent as meta is stored.
func TestV3MetaListRendering(t *testing.T) {
	a := newAPI3(t)
	a.post("/components", map[string]any{"name": "C", "meta": []any{"a", "b"}}).is(t, 201)
	r := a.get("/components/1?include=meta").is(t, 200)
	if l, ok := r.at(t, "data.attributes.meta").([]any); !ok || len(l) != 2 || l[0] != "a" {
		t.Fatalf("meta: %s", r.body)
	}
}

// TestV3IncidentAndScheduleIncludes: the controllers allow 'components',
// a components.group callback, 'updates', 'user' and 'meta'; spatie adds
// the Count and Exists forms of each plain relationship, so the 400 lists
// componentsCount too, and ?include=componentsCount renders the incident's
// components_count (core:src/Http/Controllers/Api/IncidentController.php,
// core:src/Http/Controllers/Api/ScheduleController.php:46-58,
// core:src/Http/Resources/Incident.php:27-29; qb:src/AllowedInclude.php at
// 6.4.4, whose expansion was run to get the list).
func TestV3IncidentAndScheduleIncludes(t *testing.T) {
	a := newAPI3(t)
	a.seedComponents(2)
	list := "components, componentsCount, componentsExists, components.group, updates, updatesCount, updatesExists, user, userCount, userExists, meta, metaCount, metaExists"
	for _, path := range []string{"/incidents?include=nope", "/schedules?include=nope"} {
		if got := a.get(path).is(t, 400).at(t, "message"); got != "Requested include(s) `nope` are not allowed. Allowed include(s) are `"+list+"`." {
			t.Errorf("%s: %q", path, got)
		}
	}
	a.post("/incidents", map[string]any{"name": "I", "status": 1, "message": "m", "visible": true,
		"components": []any{map[string]any{"id": 1, "status": 2}, map[string]any{"id": 2, "status": 3}}}).is(t, 201)
	a.delete("/components/2").want(t, 204)
	r := a.get("/incidents/1?include=componentsCount").is(t, 200)
	if got := r.num(t, "data.attributes.components_count"); got != 1 {
		t.Fatalf("components_count %d, want 1 (the deleted component is not counted)", got)
	}
	if a.get("/incidents/1").has("data.attributes.components_count") {
		t.Fatal("components_count without the include")
	}
}

// TestV3MetricPointThresholdWholeMinutes: CreateMetricPoint counts into the
// newest point when MetricPoint::withinThreshold holds, which compares the
// two times cut to the start of their minute
// (core:src/Actions/Metric/CreateMetricPoint.php, core:src/Models/MetricPoint.php:92-101):
// 10:00:30 and 10:01:05 are a whole minute apart, so with threshold 1 the
// second call makes a new point.
func TestV3MetricPointThresholdWholeMinutes(t *testing.T) {
	clock := clockAt("2026-08-22 10:00:25")
	a := newAPI3(t, WithClock(clock.now))
	a.post("/metrics", map[string]any{"name": "M", "suffix": "ms", "threshold": 1}).is(t, 201)
	first := a.post("/metrics/1/points", map[string]any{"value": 1}).is(t, 201).num(t, "data.attributes.id")
	clock.add(40 * time.Second)
	second := a.post("/metrics/1/points", map[string]any{"value": 2}).is(t, 201).num(t, "data.attributes.id")
	if second == first {
		t.Fatalf("10:01:05 counted into the 10:00:30 point")
	}
	clock.add(20 * time.Second) // 10:01:25, the same minute as the 10:01:00 point
	if third := a.post("/metrics/1/points", map[string]any{"value": 3}).is(t, 201).num(t, "data.attributes.id"); third != second {
		t.Fatalf("10:01:25 made point %d, want a count on %d", third, second)
	}
}

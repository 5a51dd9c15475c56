package cachettest

import (
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
	if got := r.at(t, "message"); got != "The verified field must be true or false. (and 2 more errors)" {
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

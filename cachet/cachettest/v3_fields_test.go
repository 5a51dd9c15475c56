package cachettest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestV3SparseFieldsets: ?fields[type]= keeps the listed attributes of
// every resource of that type, included ones too, in the resource's own
// order (ja:src/Concerns/Attributes.php:39-45, Collection::only); an
// empty list drops "attributes" altogether (ja:src/JsonApiResource.php:122,
// ->filter()); relationships stay; other types are untouched. A fields
// parameter that is not an array of types, or a type's value that is not
// a string, is a 400 (ja:src/Support/Fields.php:48-49,60-61), thrown
// when a resource is rendered: a list that renders none answers 200.
// All at timacdonald/json-api af11050.
func TestV3SparseFieldsets(t *testing.T) {
	a := newAPI3(t)
	comps := a.srv.SeedComponents3(2)
	a.srv.SeedSubscribers3(Subscriber3{Email: "a@example.com", Components: comps})
	m := a.as("subscribers.manage")

	var doc struct {
		Data []struct {
			Attributes    map[string]json.RawMessage `json:"attributes"`
			Relationships map[string]json.RawMessage `json:"relationships"`
		} `json:"data"`
		Included []map[string]json.RawMessage `json:"included"`
	}
	decode := func(r res3) {
		t.Helper()
		doc.Data, doc.Included = nil, nil
		if err := json.Unmarshal(r.body, &doc); err != nil {
			t.Fatalf("%v: %s", err, r.body)
		}
	}

	decode(m.get("/subscribers?include=components").is(t, 200))
	if len(doc.Included) != 2 || doc.Included[0]["attributes"] == nil {
		t.Fatalf("without fields, included components have attributes: %+v", doc.Included)
	}

	decode(m.get("/subscribers?include=components&fields[components]=").is(t, 200))
	if len(doc.Included) != 2 {
		t.Fatalf("included: %+v", doc.Included)
	}
	for _, inc := range doc.Included {
		if _, ok := inc["attributes"]; ok || len(inc) != 2 {
			t.Errorf("an empty fieldset leaves only id and type: %v", inc)
		}
	}
	if len(doc.Data) != 1 || doc.Data[0].Attributes["email"] == nil || doc.Data[0].Relationships["components"] == nil {
		t.Fatalf("the subscriber keeps its attributes and relationships: %s", m.get("/subscribers?include=components&fields[components]=").body)
	}

	r := m.get("/subscribers?include=components&fields[components]=name,nope,id").is(t, 200)
	decode(r)
	var attrs map[string]any
	if err := json.Unmarshal(doc.Included[0]["attributes"], &attrs); err != nil {
		t.Fatal(err)
	}
	if len(attrs) != 2 || attrs["name"] != "Component 1" || attrs["id"] != float64(1) {
		t.Errorf("fields[components]=name,nope,id: %v", attrs)
	}
	// The resource's order, not the request's: id comes first in the resource.
	var order []string
	dec := json.NewDecoder(bytes.NewReader(doc.Included[0]["attributes"]))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		order = append(order, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if !slices.Equal(order, []string{"id", "name"}) {
		t.Errorf("attribute order %v, want the resource's [id name]", order)
	}

	if got := m.get("/subscribers/1?fields[subscribers]=email").at(t, "data.attributes"); len(got.(map[string]any)) != 1 {
		t.Errorf("fields on the main type of a show: %v", got)
	}

	if got := m.get("/subscribers?fields=components").is(t, 400).at(t, "message"); got != "The fields parameter must be an array of resource types." {
		t.Errorf("fields=components: %v", got)
	}
	if got := m.get("/subscribers?fields[components][]=name").is(t, 400).at(t, "message"); got != "The fields parameter value must be a comma seperated list of attributes." {
		t.Errorf("fields[components][]=name: %v", got)
	}
	m.get("/subscribers?fields=components&filter[email]=nobody").is(t, 200)
}

// TestV3EmptyUpdateIsANoOp: PUT {} passes validation (every update field
// is optional), then checks the ability: 403 without it; with it,
// BaseData::toArray drops the nulls (core:src/Data/BaseData.php:21-27), so
// update() has nothing to write and Eloquent saves nothing that is not
// dirty (lf:src/Illuminate/Database/Eloquent/Model.php:1232): updated_at
// stays, no event fires. An update that changes a column bumps it. This is
// what cachet3.Client.HasAbility probes with.
func TestV3EmptyUpdateIsANoOp(t *testing.T) {
	clock := clockAt("2026-08-22 10:00:00")
	a := newAPI3(t, WithClock(clock.now))
	g := a.post("/component-groups", map[string]any{"name": "Core"}).is(t, 201).num(t, "data.attributes.id")
	cid := a.post("/components", map[string]any{"name": "API", "component_group_id": g, "status": 1}).is(t, 201).num(t, "data.attributes.id")
	clock.add(time.Hour)
	for _, path := range []string{"/component-groups/" + strconv.Itoa(g), "/components/" + strconv.Itoa(cid)} {
		before := a.get(path).is(t, 200)
		a.as("subscribers.manage").put(path, map[string]any{}).is(t, 403)
		a.as("components.manage", "component-groups.manage").put(path, map[string]any{}).is(t, 200)
		after := a.get(path).is(t, 200)
		if !bytes.Equal(before.body, after.body) {
			t.Errorf("PUT %s {} changed it:\n%s\n%s", path, before.body, after.body)
		}
		if a.put(path, map[string]any{"name": "Renamed"}).is(t, 200).at(t, "data.attributes.updated.string") != "2026-08-22 11:00:00" {
			t.Errorf("PUT %s with a new name kept updated_at", path)
		}
	}
	if n := a.srv.StatusChanges3(); n != 0 {
		t.Errorf("%d status changes", n)
	}
}

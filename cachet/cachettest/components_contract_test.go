package cachettest

import (
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

// TestComponentSilent: ComponentController::update casts silent with
// (bool) Binput::get('silent', false) before the command's nullable|bool
// rule sees it (app/Http/Controllers/Api/ComponentController.php:115, 2.4
// d4666993): any value passes, and the string "false" is truthy.
func TestComponentSilent(t *testing.T) {
	a := newAPI(t)
	seedComponent(a.srv.Emulator, "API", cachet.StatusOperational, 0)
	for _, silent := range []any{"false", "maybe", 2, []any{1}} {
		a.put("/components/1", map[string]any{"silent": silent}).expect(t, 200)
	}
}

// TestGroupCreatedLowestStatus: the presenter's lowest_human_status queries
// the members (app/Presenters/ComponentGroupPresenter.php:47-52, 71-78, 2.4),
// so a new group whose id components already named reports their worst
// status on the POST answer.
func TestGroupCreatedLowestStatus(t *testing.T) {
	a := newAPI(t)
	seedComponent(a.srv.Emulator, "API", cachet.StatusPartialOutage, 1)
	d := a.post("/components/groups", map[string]any{"name": "G"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 1, "lowest_human_status": "Partial Outage"})
	d = a.post("/components/groups", map[string]any{"name": "H"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"lowest_human_status": nil})
	if _, ok := d["enabled_components"]; ok {
		t.Error("POST answer has enabled_components")
	}
}

// TestComponents2_3Rules: v2.3.18 enforces no command rule
// (app/Foundation/Providers/AppServiceProvider.php:43 pipes only
// UseDatabaseTransactions), only Component::$rules on save: a status of 9
// is stored, a bad link is refused.
func TestComponents2_3Rules(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	assertFields(t, a.post("/components", map[string]any{"name": "A", "status": 9}).expect(t, 200).data(), map[string]any{"status": 9})
	r := a.post("/components", map[string]any{"name": "B", "status": 1, "link": "not a url"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The link format is invalid."}}})
}

// TestGroups2_3Rules: v2.3.18 enforces only ComponentGroup::$rules
// (app/Models/ComponentGroup.php:58-62): collapsed 7 is stored (2.4's
// command allows 0 to 4, CreateComponentGroupCommand.php:54-59).
func TestGroups2_3Rules(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	assertFields(t, a.post("/components/groups", map[string]any{"name": "G", "collapsed": 7}).expect(t, 200).data(), map[string]any{"collapsed": 7})
	assertFields(t, a.put("/components/groups/1", map[string]any{"collapsed": 9}).expect(t, 200).data(), map[string]any{"collapsed": 9})
	r := a.put("/components/groups/1", map[string]any{"collapsed": "x"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The collapsed must be an integer."}}})
	b := newAPI(t)
	b.post("/components/groups", map[string]any{"name": "G", "collapsed": 7}).expect(t, 400)
}

// TestSubscriberComponentsInput: SubscribeSubscriberCommandHandler.php:47-51
// (2.4): a list (or object) of ids subscribes to those that exist, a
// falsy value to every component, and a truthy scalar reaches whereIn,
// whose array_filter fails (500).
func TestSubscriberComponentsInput(t *testing.T) {
	for _, tc := range []struct {
		components any
		status     int
		subs       int
	}{
		{[]any{1, 9}, 200, 1},
		{map[string]any{"a": 2}, 200, 1},
		{0, 200, 2},
		{"", 200, 2},
		{nil, 200, 2},
		{1, 500, 0},
		{"1,2", 500, 0},
	} {
		a := newAPI(t)
		seedComponent(a.srv.Emulator, "A", 1, 0)
		seedComponent(a.srv.Emulator, "B", 1, 0)
		r := a.post("/subscribers", map[string]any{"email": "a@example.com", "verify": true, "components": tc.components}).expect(t, tc.status)
		if tc.status == 200 {
			if subs, _ := r.data()["subscriptions"].([]any); len(subs) != tc.subs {
				t.Errorf("components %v: %d subscriptions, want %d", tc.components, len(subs), tc.subs)
			}
		}
	}
}

// TestComponentTagsTruthiness: the 2.4 handlers split tags only when the
// value is truthy (CreateComponentCommandHandler.php:57,
// UpdateComponentCommandHandler.php:60): "0" adds or replaces nothing, a
// number on update (no rule there) is a tag.
func TestComponentTagsTruthiness(t *testing.T) {
	a := newAPI(t)
	assertFields(t, a.post("/components", map[string]any{"name": "A", "status": 1, "tags": "0"}).expect(t, 200).data(), map[string]any{"tags": []any{}})
	a.put("/components/1", map[string]any{"tags": "x"}).expect(t, 200)
	assertFields(t, a.put("/components/1", map[string]any{"tags": "0"}).expect(t, 200).data(), map[string]any{"tags": map[string]any{"x": "x"}})
	assertFields(t, a.put("/components/1", map[string]any{"tags": 5}).expect(t, 200).data(), map[string]any{"tags": map[string]any{"5": "5"}})
}

// TestComponentTagsArray: tags as an array reach preg_split (a PHP warning,
// a 500). 2.4 validates them on create (tags nullable|string,
// CreateComponentCommand.php:89-99) and splits them inside the command's
// transaction on update, so nothing changes; v2.3.18 splits them in the
// controller after the command committed (ComponentController.php:86-98,
// 127-136), so the write stays.
func TestComponentTagsArray(t *testing.T) {
	a := newAPI(t)
	r := a.post("/components", map[string]any{"name": "A", "status": 1, "tags": []any{"x"}}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The tags must be a string."}}})
	seedComponent(a.srv.Emulator, "A", 1, 0)
	a.put("/components/1", map[string]any{"name": "B", "tags": []any{"x"}}).expect(t, 500)
	assertFields(t, a.get("/components/1").data(), map[string]any{"name": "A"})

	b := newAPI(t, WithVersion("2.3"))
	b.post("/components", map[string]any{"name": "A", "status": 1, "tags": []any{"x"}}).expect(t, 500)
	assertFields(t, b.get("/components/1").expect(t, 200).data(), map[string]any{"name": "A"})
	b.put("/components/1", map[string]any{"name": "B", "status": 1, "tags": []any{"x"}}).expect(t, 500)
	assertFields(t, b.get("/components/1").data(), map[string]any{"name": "B"})
}

// TestComponentCreateMessageOrder: the details list the failures in the
// order of CreateComponentCommand::$rules (name, description, status, link,
// ...; app/Bus/Commands/Component/CreateComponentCommand.php:89-99, 2.4), as
// Laravel's Validator walks its rules in order.
func TestComponentCreateMessageOrder(t *testing.T) {
	a := newAPI(t)
	r := a.post("/components", map[string]any{"description": 5, "status": 9, "link": "x", "order": "y"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{
		"The name field is required.", "The description must be a string.", "The status may not be greater than 4.",
		"The link format is invalid.", "The order must be an integer."}}})
}

// TestComponentLinkIsLaravelURL: links are checked by Laravel's url rule
// (Illuminate/Validation/Concerns/ValidatesAttributes.php:1559-1587, 5.7.29;
// Validation/Validator.php:1484-1505, 5.2.39), not by a URL parser: a host
// with "_" or ending in digits is refused, any listed scheme with a host is
// accepted, and s3:// only on 2.4.
func TestComponentLinkIsLaravelURL(t *testing.T) {
	for _, v := range []string{"2.4", "2.3"} {
		a := newAPI(t, WithVersion(v))
		for link, ok := range map[string]bool{
			"http://exa_mple.com": false, "http://example.123": false, "foo://example.com": false,
			"http://first.last@example.com": false, "ssh://git.example.com": true, "http://[::1]:80/": true,
			"s3://bucket.example": v == "2.4",
		} {
			r := a.post("/components", map[string]any{"name": "A", "status": 1, "link": link})
			if ok != (r.status == 200) {
				t.Errorf("%s %q: %d %s", v, link, r.status, r.body)
			}
			if !ok && r.status == 400 {
				assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The link format is invalid."}}})
			}
		}
	}
}

package cachettest

import (
	"regexp"
	"testing"
)

func TestSubscriberListAuth(t *testing.T) {
	a := newAPI(t)
	r := a.get("/subscribers").expect(t, 200)
	if r.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	r = a.guest().get("/subscribers").expect(t, 401)
	if r.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	a.withToken("bad").get("/subscribers?per_page=1").expect(t, 401)
}

func TestSubscriberCreate(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for _, n := range []string{"A", "B", "C"} {
		seedComponent(e, n, 1, 0)
	}
	e.SeedComponent(componentDisabled("D"))

	d := a.post("/subscribers", map[string]any{"email": "support@example.com"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"email": "support@example.com", "id": 1})
	for _, k := range []string{"global", "phone_number", "slack_webhook_url"} {
		if _, ok := d[k]; ok {
			t.Errorf("create response has %s", k)
		}
	}
	if code, _ := d["verify_code"].(string); len(code) != 42 {
		t.Errorf("verify_code = %q", code)
	}
	if v, _ := d["verified_at"].(string); !regexp.MustCompile(`^[A-Z][a-z]+day \d{1,2}(st|nd|rd|th) [A-Z][a-z]+ \d{4} \d\d:\d\d:\d\d$`).MatchString(v) {
		t.Errorf("verified_at = %q", v)
	}
	// No components: every component, disabled included.
	if got := subComponents(d); string(mustJSON(got)) != "[1,2,3,4]" {
		t.Errorf("subscriptions = %v", got)
	}

	d = a.post("/subscribers", map[string]any{"email": "v@example.com", "verify": true}).expect(t, 200).data()
	if v, _ := d["verified_at"].(string); !regexp.MustCompile(` 00:00:00$`).MatchString(v) {
		t.Errorf("verified verified_at = %q, want midnight", v)
	}

	d = a.post("/subscribers", map[string]any{"email": "c@example.com", "verify": true, "components": []int{3, 1, 99}}).expect(t, 200).data()
	subs := d["subscriptions"].([]any)
	if len(subs) != 2 {
		t.Fatalf("subscriptions = %v", subs)
	}
	for i, want := range []int{1, 3} {
		s := subs[i].(map[string]any)
		assertFields(t, s, map[string]any{"component_id": want, "subscriber_id": num(d["id"])})
	}

	// An existing e-mail gives the old record, unchanged, with 200.
	d = a.post("/subscribers", map[string]any{"email": "C@example.com", "components": []int{2}}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 3, "email": "c@example.com", "global": true, "phone_number": nil})
	if got := subComponents(d); string(mustJSON(got)) != "[1,3]" {
		t.Errorf("existing subscriber changed: %v", got)
	}

	r := a.post("/subscribers", map[string]any{"email": "not-an-email"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The email must be a valid email address."}}})
	r = a.post("/subscribers", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The email field is required."}}})
	a.guest().post("/subscribers", map[string]any{"email": "x@example.com"}).expect(t, 401)

	l := a.get("/subscribers").expect(t, 200).list()
	if len(l) != 3 {
		t.Fatalf("list = %d subscribers", len(l))
	}
	assertFields(t, l[0], map[string]any{"global": true, "phone_number": nil, "slack_webhook_url": nil})
}

func subComponents(d map[string]any) []int {
	var out []int
	for _, s := range d["subscriptions"].([]any) {
		out = append(out, num(s.(map[string]any)["component_id"]))
	}
	return out
}

func TestSubscriberDelete(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	seedComponent(e, "A", 1, 0)
	seedComponent(e, "B", 1, 0)
	s1 := e.SeedSubscriber("a@example.com")
	s2 := e.SeedSubscriber("b@example.com", 2)

	a.guest().del("/subscriptions/1").expect(t, 401)
	a.del("/subscriptions/"+itoa(s1.Subscriptions[0].ID)).expect(t, 204)
	a.del("/subscriptions/"+itoa(s1.Subscriptions[0].ID)).expect(t, 404)
	a.del("/subscriptions/99").expect(t, 404)
	got := e.Subscribers()
	if ids := got[0].ComponentIDs(); len(ids) != 1 || ids[0] != 2 || got[0].Subscriptions[0].ID != s1.Subscriptions[1].ID {
		t.Errorf("after subscription delete: %+v", got[0].Subscriptions)
	}
	a.del("/subscriptions/"+itoa(s2.Subscriptions[0].ID)).expect(t, 204)

	a.del("/subscribers/1").expect(t, 204)
	a.del("/subscribers/1").expect(t, 404)
	if n := len(e.Subscribers()); n != 1 {
		t.Errorf("%d subscribers left", n)
	}
	// The e-mail can be used again, with a new id.
	assertFields(t, a.post("/subscribers", map[string]any{"email": "a@example.com"}).expect(t, 200).data(), map[string]any{"id": 3})
	a.get("/subscribers/2").expect(t, 405)
}

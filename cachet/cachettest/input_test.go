package cachettest

import (
	"reflect"
	"strings"
	"testing"
)

// Cachet reads every field through Binput::get, which trims and cleans it
// (graham-campbell/binput src/Binput.php:80-85, :216-227; security-core
// src/Security.php). These tests send text a user could write and check what
// the emulator stores, as Cachet does.

// app/Http/Controllers/Api/ComponentController.php:77-85 (2.4): name,
// description, link, meta and tags are all read with Binput::get.
func TestInputCleaningComponentCreate(t *testing.T) {
	a := newAPI(t)
	d := a.post("/components", map[string]any{
		"name":        "  Mail system (SMTP) ",
		"description": "p99 < 200ms & <b>fast</b> 😀",
		"link":        "https://x.test/?q=a%2Fb",
		"status":      1,
		"meta":        map[string]any{"note": nil, "owner": "a<b", "n": 5},
		"tags":        "a<b, Café",
	}).expect(t, 200).data()
	assertFields(t, d, map[string]any{
		"name":        "Mail system &#40;SMTP&#41;",              // Security.php:180-184
		"description": "p99 < 200ms>fast</b> 😀",                  // Utils.php:86-117: "< 200ms & <b>" is one tag, rebuilt
		"link":        "https://x.test/?q=a/b",                   // Security.php:88-99
		"meta":        map[string]any{"owner": "a&lt;b", "n": 5}, // Binput.php:198-200 drops null
	})
	tags := a.get("/components/1").expect(t, 200).data()["tags"]
	if want := map[string]any{"altb": "a&lt;b", "cafe": "Café"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("tags = %v, want %v (cleaned, then Str::slug)", tags, want)
	}
}

// app/Http/Controllers/Api/ComponentController.php:109 (2.4): a link whose
// %20 decodes to a space fails the url rule of UpdateComponentCommand.
func TestInputCleaningBreaksLink(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "API", "status": 1}).expect(t, 200)
	r := a.put("/components/1", map[string]any{"link": "https://x.test/a%20b"}).expect(t, 400)
	if got := r.details(); len(got) != 1 || got[0] != "The link format is invalid." {
		t.Errorf("details = %v", got)
	}
	r = a.post("/components", map[string]any{"name": "Web", "status": 1, "link": "https://x.test/%2520"}).expect(t, 400)
	if got := r.details(); len(got) != 1 || got[0] != "The link format is invalid." {
		t.Errorf("details = %v", got)
	}
}

// app/Http/Controllers/Api/ComponentController.php:43 (2.4): search filters
// come from Binput::except, so they are cleaned like the stored value.
func TestInputCleaningSearch(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "a<b", "status": 1}).expect(t, 200)
	assertIDs(t, a.get("/components?name=a%3Cb").expect(t, 200).ids(), 1)
	assertIDs(t, a.get("/components?name=a%26lt%3Bb").expect(t, 200).ids(), 1)
}

// app/Http/Controllers/Api/IncidentController.php:73 reads the message of a
// new incident raw (Binput::get('message', null, false, false)); :105 reads
// it cleaned on update. The name is cleaned both times (:71, :103).
func TestInputCleaningIncidentMessage(t *testing.T) {
	a := newAPI(t)
	d := a.post("/incidents", map[string]any{"name": " a < b ", "message": " p99 < 200ms ", "status": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "a &lt; b", "message": " p99 < 200ms "})
	d = a.put("/incidents/1", map[string]any{"message": " p99 < 200ms "}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "p99 &lt; 200ms"})
}

// app/Http/Controllers/Api/ScheduleController.php:72 (raw on create) and :99
// (cleaned on update).
func TestInputCleaningScheduleMessage(t *testing.T) {
	a := newAPI(t)
	d := a.post("/schedules", map[string]any{"name": "DB <upgrade>", "message": "x<y", "status": 0, "scheduled_at": "2030-01-01 10:00"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "DB <upgrade>", "message": "x<y"})
	d = a.put("/schedules/1", map[string]any{"message": "x<y"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "x&lt;y"})
}

// v2.3.18: app/Http/Controllers/Api/IncidentController.php:73 cleans the
// message on create too, and graham-campbell/security 3.7.0
// src/Security.php:171-172 leaves "<" not followed by a tag name alone.
func TestInputCleaningV23(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	d := a.post("/incidents", map[string]any{"name": "x", "message": " a<b ", "status": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "a&lt;b"})
	d = a.post("/components", map[string]any{"name": "a <= b", "description": "p99 < 200ms", "status": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "a <= b", "description": "p99 &lt; 200ms"})
}

// app/Http/Controllers/Api/SubscriberController.php:53 (2.4): the e-mail is
// cleaned before validation.
func TestInputCleaningSubscriberEmail(t *testing.T) {
	a := newAPI(t)
	d := a.post("/subscribers", map[string]any{"email": " ops%40x.test ", "verify": true}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"email": "ops@x.test"})
}

// app/Models/Tag.php:45 Str::slug: Laravel 5.7 on 2.4 ("@" → "-at-", ü → u),
// Laravel 5.2 on v2.3.18 (@ → at, ü → ue); tag filters match the slug.
func TestTagSlugsAreLaravels(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "API", "status": 1, "tags": "über@home, Bob's API"}).expect(t, 200)
	tags := a.get("/components/1").expect(t, 200).data()["tags"]
	if want := map[string]any{"uber-at-home": "über@home", "bobs-api": "Bob's API"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("2.4 tags = %v, want %v", tags, want)
	}
	assertIDs(t, a.get("/components?tags[]=uber-at-home").expect(t, 200).ids(), 1)

	a = newAPI(t, WithVersion("2.3"))
	a.post("/components", map[string]any{"name": "API", "status": 1, "tags": "über@home"}).expect(t, 200)
	tags = a.get("/components/1").expect(t, 200).data()["tags"]
	if want := map[string]any{"ueberathome": "über@home"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("2.3 tags = %v, want %v", tags, want)
	}
}

// The email rule of 2.4 and 2.3 is PHP's filter_var(FILTER_VALIDATE_EMAIL)
// (laravel/framework src/Illuminate/Validation/Concerns/ValidatesAttributes.php:620-623
// at v5.7.29, Validator.php:1472-1475 at v5.2.39): a host without a dot, a
// space in quotes or a label of 64 bytes is refused; an escaped space in
// quotes, an IP literal and "+" tags pass. Expected values from PHP 8.2.
func TestSubscriberEmailIsFilterVar(t *testing.T) {
	for _, version := range []string{"2.4", "2.3"} {
		a := newAPI(t, WithVersion(version))
		for email, ok := range map[string]bool{
			"oncall@localhost":                      false,
			"x@" + strings.Repeat("a", 64) + ".io":  false,
			"x@a_b.example.com":                     false,
			"first.last+tag@sub.example.co.uk":      true,
			"ops@[192.0.2.1]":                       true,
			"x@" + strings.Repeat("a", 63) + ".io":  true,
			strings.Repeat("b", 64) + "@example.io": true,
			strings.Repeat("b", 65) + "@example.io": false,
		} {
			r := a.post("/subscribers", map[string]any{"email": email, "verify": true})
			if !ok {
				r.expect(t, 400)
				if got := r.details(); len(got) != 1 || got[0] != "The email must be a valid email address." {
					t.Errorf("%s %q: details %v", version, email, got)
				}
				continue
			}
			r.expect(t, 200)
		}
	}
}

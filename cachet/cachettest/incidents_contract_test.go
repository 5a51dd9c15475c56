package cachettest

import (
	"slices"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func assertKeys(t *testing.T, m map[string]any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

// TestIncidentShape: the POST answer holds only the attributes
// CreateIncidentCommandHandler gave the model (:79-107, 2.4 d4666993) plus
// Incident::$attributes (app/Models/Incident.php:83-86) and the presenter's
// keys (app/Presenters/IncidentPresenter.php:304-319); GET adds deleted_at
// and component_id from the row.
func TestIncidentShape(t *testing.T) {
	a := newAPI(t)
	post := a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1}).expect(t, 200).data()
	common := []string{"id", "user_id", "name", "status", "visible", "stickied", "notifications", "message",
		"occurred_at", "created_at", "updated_at", "is_resolved", "meta", "updates", "human_status", "latest_update_id",
		"latest_status", "latest_human_status", "latest_icon", "permalink", "duration"}
	assertKeys(t, post, common...)
	assertKeys(t, a.get("/incidents/1").data(), append(common, "component_id", "deleted_at")...)
	assertFields(t, a.get("/incidents/1").data(), map[string]any{"component_id": 0})
}

// TestIncidentNotifications: create never sets notifications and notify is
// not fillable on update (UpdateIncidentCommandHandler.php:131-146,
// app/Models/Incident.php:109-121), so it stays false.
func TestIncidentNotifications(t *testing.T) {
	a := newAPI(t)
	d := a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1, "notify": true}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"notifications": false})
	d = a.put("/incidents/1", map[string]any{"notify": true}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"notifications": false})
	assertFields(t, a.get("/incidents/1").data(), map[string]any{"notifications": false})
}

// TestIncidentValidation follows CreateIncidentCommand::$rules
// (app/Bus/Commands/Incident/CreateIncidentCommand.php:111-123),
// UpdateIncidentCommand::$rules (UpdateIncidentCommand.php:121-133) and
// Incident::$rules on save (app/Models/Incident.php:128-137), 2.4.
func TestIncidentValidation(t *testing.T) {
	cases := []struct {
		name    string
		method  string
		body    map[string]any
		status  int
		details []string
	}{
		{"post component_id alone", "POST", map[string]any{"name": "x", "message": "m", "status": 1, "component_id": 1}, 400,
			[]string{"The component status field is required when component id is present."}},
		// component_status is required_with:component_id on PUT too (an implicit rule).
		{"put component_id alone", "PUT", map[string]any{"component_id": 1}, 400,
			[]string{"The component status field is required when component id is present."}},
		{"put component_status alone", "PUT", map[string]any{"component_status": 2}, 200, nil},
		{"put empty name", "PUT", map[string]any{"name": ""}, 400, []string{"The name field is required."}},
		{"post without message", "POST", map[string]any{"name": "x", "status": 1}, 400, []string{"The message field is required."}},
		{"post visible text", "POST", map[string]any{"name": "x", "message": "m", "status": 1, "visible": "no"}, 200, nil}, // (bool) cast
		{"post status 5", "POST", map[string]any{"name": "x", "message": "m", "status": 5}, 400, []string{"The status may not be greater than 4."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPI(t)
			seedComponent(a.srv.Emulator, "API", 1, 0)
			a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 1}).expect(t, 200)
			path := "/incidents"
			if tc.method == "PUT" {
				path = "/incidents/1"
			}
			r := a.do(tc.method, path, tc.body).expect(t, tc.status)
			if tc.details != nil {
				assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": tc.details}})
			}
		})
	}
}

// TestIncidentTemplates: IncidentTemplate::where('slug', ...)->first()
// falls back to the message when there is none
// (CreateIncidentCommandHandler.php:87-91); the sandbox (config/cachet.php:
// 59-65: filter escape, tag if) and Twig's autoescape; PHP's notice on an
// array printed is a 500. Expected texts were produced by Twig v2.15.5 with
// Cachet's loader and policy.
func TestIncidentTemplateSandbox(t *testing.T) {
	cases := []struct {
		template string
		vars     map[string]any
		status   int
		message  string
	}{
		{"x {{ a }} y", map[string]any{"a": `<b>&"'`}, 200, "x &lt;b&gt;&amp;&quot;&#039; y "},
		{"{{ incident.name }}|{{ incident.visible }}|{{ incident.stickied }}|{{ incident.status }}|{{ nope }}", nil, 200, "N|1||2| "},
		{"{{ a|escape }}", map[string]any{"a": "<"}, 200, "&lt; "},
		{"{{ a|upper }}", map[string]any{"a": "x"}, 500, ""}, // SecurityNotAllowedFilterError
		{"{{ a }}", map[string]any{"a": map[string]any{"x": 1}}, 500, ""},
		{"{{ incident.component.name }}", nil, 500, ""}, // properties are not allowed
	}
	for _, tc := range cases {
		a := newAPI(t)
		seedComponent(a.srv.Emulator, "API", 1, 0)
		a.srv.SeedIncidentTemplate("T", "t", tc.template)
		body := map[string]any{"name": "N", "status": "2", "template": "t", "vars": tc.vars, "component_id": 1, "component_status": 1}
		if tc.vars == nil {
			body["vars"] = map[string]any{}
		}
		r := a.post("/incidents", body).expect(t, tc.status)
		if tc.status == 200 {
			assertFields(t, r.data(), map[string]any{"message": tc.message})
		}
	}
	a := newAPI(t)
	d := a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "plain", "template": "none"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "plain"})
	d = a.put("/incidents/1", map[string]any{"template": "none"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"message": "plain"})
}

// TestIncidentMeta: StoresMeta::storeMeta drops values PHP's empty()
// rejects, and empty members of array values first
// (app/Bus/Handlers/Traits/StoresMeta.php:35-80).
func TestIncidentMeta(t *testing.T) {
	a := newAPI(t)
	meta := map[string]any{"zero": 0, "szero": "0", "no": false, "empty": "", "list": []any{}, "null": nil,
		"keep": "x", "one": 1, "nested": map[string]any{"a": 0, "b": "y"}, "allempty": map[string]any{"a": ""}}
	d := a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m", "meta": meta}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"meta": map[string]any{"keep": "x", "one": 1, "nested": map[string]any{"b": "y"}}})
	d = a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m", "meta": map[string]any{"a": 0}}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"meta": []any{}})
}

// TestIncidentDates: occurred_at is DateFactory::create('Y-m-d H:i', ...)
// (CreateIncidentCommandHandler.php:99-107); timelib accepts unpadded
// numbers, overflows out-of-range values and sets the seconds to 0 once an
// hour is parsed; Carbon's InvalidArgumentException is a 500.
func TestIncidentDates(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:37")
	for _, tc := range []struct {
		in     string
		status int
		want   string
	}{
		{"2030-01-01 10:00", 200, "2030-01-01 10:00:00"},
		{"2030-1-2 3:04", 200, "2030-01-02 03:04:00"},
		{"2030-02-31 10:00", 200, "2030-03-03 10:00:00"},
		{"2030-01-01 25:00", 200, "2030-01-02 01:00:00"},
		{"2030-01-01", 500, ""},
		{"2030-01-01 10:00:00", 500, ""},
		{"01/02/2030 10:00", 500, ""},
		{"", 200, "2024-05-03 10:00:37"}, // falsy: now
	} {
		a := newAPI(t, WithClock(clock.now))
		r := a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m", "occurred_at": tc.in}).expect(t, tc.status)
		if tc.status == 200 {
			assertFields(t, r.data(), map[string]any{"occurred_at": tc.want})
		}
	}
	// The Time-Zone header is the zone of the input and of the output.
	a := newAPI(t, WithClock(clock.now))
	r := a.do("POST", "/incidents", map[string]any{"name": "N", "status": 1, "message": "m", "occurred_at": "2030-01-01 10:00"},
		"Time-Zone", "Europe/Paris").expect(t, 200)
	assertFields(t, r.data(), map[string]any{"occurred_at": "2030-01-01 10:00:00"})
	assertFields(t, a.get("/incidents/1").data(), map[string]any{"occurred_at": "2030-01-01 09:00:00"})
}

// TestIncidentDuration: IncidentPresenter::duration (:280-287, 2.4) is 0
// without updates, and with one the seconds between created_at and now
// (an update has no occurred_at).
func TestIncidentDuration(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:00")
	a := newAPI(t, WithClock(clock.now))
	a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m", "occurred_at": "2020-01-01 00:00"}).expect(t, 200)
	clock.add(90 * time.Second)
	assertFields(t, a.get("/incidents/1").data(), map[string]any{"duration": 0})
	a.post("/incidents/1/updates", map[string]any{"status": 2, "message": "u"}).expect(t, 200)
	clock.add(10 * time.Second)
	assertFields(t, a.get("/incidents/1").data(), map[string]any{"duration": 100})
}

// TestIncidentUnchangedPut: Eloquent writes (and moves updated_at) only
// when a column changed.
func TestIncidentUnchangedPut(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:00")
	a := newAPI(t, WithClock(clock.now))
	a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m"}).expect(t, 200)
	clock.add(time.Hour)
	assertFields(t, a.put("/incidents/1", map[string]any{"name": "N"}).expect(t, 200).data(), map[string]any{"updated_at": "2024-05-03 10:00:00"})
	assertFields(t, a.put("/incidents/1", map[string]any{"name": "M"}).expect(t, 200).data(), map[string]any{"updated_at": "2024-05-03 11:00:00"})
}

// TestIncidents2_3 is v2.3.18's incident: app/Models/Incident.php (columns
// scheduled_at, no occurred_at/stickied/user_id/updates/meta),
// app/Presenters/IncidentPresenter.php:191-199 (scheduled_at through
// DateFactory::make: now when null), ReportIncidentCommandHandler.php:65-106
// (created_at in d/m/Y H:i, $incident->notify set on the answer) and no
// command rules, only the model's.
func TestIncidents2_3(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:00")
	a := newAPI(t, WithVersion("2.3"), WithClock(clock.now))
	e := a.srv.Emulator
	d := a.post("/incidents", map[string]any{"name": "Foo", "message": "m", "status": 0, "created_at": "02/01/2024 09:30"}).expect(t, 200).data()
	assertKeys(t, d, "id", "name", "status", "visible", "message", "scheduled_at", "created_at", "updated_at", "notify", "human_status")
	assertFields(t, d, map[string]any{"human_status": "Scheduled", "notify": true, "created_at": "2024-01-02 09:30:00",
		"updated_at": "2024-01-02 09:30:00", "scheduled_at": "2024-05-03 10:00:00", "visible": 1})
	assertKeys(t, a.get("/incidents/1").data(), "id", "component_id", "name", "status", "visible", "message", "scheduled_at",
		"created_at", "updated_at", "deleted_at", "human_status")

	// Model rules only: status 9 is stored; visible must pass bool.
	a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 9}).expect(t, 200)
	r := a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "visible": "yes"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The visible field must be true or false."}}})
	a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "created_at": "2024-01-02 09:30"}).expect(t, 500)

	// A component_id that does not exist is a call on null (500); one without status fails the component's rule.
	a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "component_id": 9, "component_status": 2}).expect(t, 500)
	seedComponent(e, "API", cachet.StatusOperational, 0)
	r = a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "component_id": 1}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The status field is required."}}})
	a.post("/incidents", map[string]any{"name": "x", "message": "m", "status": 1, "component_id": 1, "component_status": 3}).expect(t, 200)
	assertFields(t, a.get("/components/1").data(), map[string]any{"status": 3})

	// PUT: an unknown template is a 500 (UpdateIncidentCommandHandler.php:67-68, 128-133).
	a.put("/incidents/1", map[string]any{"template": "none"}).expect(t, 500)
	e.SeedIncidentTemplate("T", "t", "Hi {{ who }}")
	assertFields(t, a.put("/incidents/1", map[string]any{"template": "t", "vars": map[string]any{"who": "<you>"}}).expect(t, 200).data(),
		map[string]any{"message": "Hi &lt;you&gt;"})
	for _, k := range []string{"occurred_at", "stickied", "user_id", "updates", "meta", "notifications"} {
		if _, ok := a.get("/incidents/1").data()[k]; ok {
			t.Errorf("2.3 incident has %s", k)
		}
	}
}

// TestIncidentUpdatePut: UpdateIncidentUpdateCommandHandler (:53-77, 2.4)
// keeps null values, sets user_id to the caller and saves only a change;
// an empty message fails IncidentUpdate::$rules (app/Models/IncidentUpdate.php:59-64).
func TestIncidentUpdatePut(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:00")
	a := newAPI(t, WithClock(clock.now))
	a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m"}).expect(t, 200)
	a.post("/incidents/1/updates", map[string]any{"status": 2, "message": "u"}).expect(t, 200)
	clock.add(time.Hour)
	assertFields(t, a.put("/incidents/1/updates/1", map[string]any{"message": "u"}).expect(t, 200).data(),
		map[string]any{"updated_at": "2024-05-03 10:00:00", "user_id": 1})
	assertFields(t, a.put("/incidents/1/updates/1", map[string]any{"status": 3}).expect(t, 200).data(),
		map[string]any{"updated_at": "2024-05-03 11:00:00", "status": 3, "message": "u"})
	r := a.put("/incidents/1/updates/1", map[string]any{"message": ""}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The message field is required."}}})
}

// TestIncidentArrayArguments: CreateIncidentCommand's constructor types
// $template_vars and $meta as arrays (CreateIncidentCommand.php:143, 2.4),
// UpdateIncidentCommand's $template_vars (UpdateIncidentCommand.php:154) and
// UpdateScheduleCommand's $components (UpdateScheduleCommand.php:100): a
// string or null is a TypeError, a 500 that comes before validation.
func TestIncidentArrayArguments(t *testing.T) {
	a := newAPI(t)
	for _, body := range []map[string]any{
		{"vars": "x"}, {"vars": nil}, {"meta": "x"}, {"meta": nil}, {"vars": "x", "name": nil},
	} {
		full := map[string]any{"name": "N", "status": 1, "message": "m"}
		for k, v := range body {
			full[k] = v
		}
		a.post("/incidents", full).expect(t, 500)
	}
	a.post("/incidents", map[string]any{"name": "N", "status": 1, "message": "m"}).expect(t, 200)
	a.put("/incidents/1", map[string]any{"vars": nil}).expect(t, 500)
	a.post("/schedules", map[string]any{"name": "S", "status": 0, "scheduled_at": "2030-01-01 10:00", "components": nil}).expect(t, 200)
	a.put("/schedules/1", map[string]any{"components": nil}).expect(t, 500)
}

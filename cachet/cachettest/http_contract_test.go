package cachettest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

// TestAcceptHeader follows app/Http/Middleware/Acceptable.php:37-38 (2.4
// d4666993), which asks Laravel's $request->accepts('application/json')
// (Illuminate/Http/Concerns/InteractsWithContentTypes.php:65-88, 5.7.29):
// exact, case-sensitive types; a suffix type in the header does not
// accept the plain type.
func TestAcceptHeader(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		accept string
		status int
	}{
		{"application/json", 200},
		{"*/*", 200},
		{"*", 200},
		{"application/*", 200},
		{"application/json; charset=utf-8", 200},
		{"text/html, application/json;q=0.1", 200},
		{"", 200},
		{"application/vnd.api+json", 406},
		{"application/problem+json", 406},
		{"Application/JSON", 406},
		{"text/*", 406},
		{"text/html", 406},
	} {
		if r := a.get("/ping", "Accept", tc.accept); r.status != tc.status {
			t.Errorf("Accept %q: status %d, want %d", tc.accept, r.status, tc.status)
		}
	}
}

// TestOptions: an OPTIONS request on a known path is answered by the route
// Laravel builds for it (Illuminate/Routing/RouteCollection.php:236-240,
// 5.7.29; the same in 5.2.39 :199-202): 200, empty, Allow without spaces,
// and no Cachet middleware (no token, no Accept check, no model binding).
// barryvdh/laravel-cors 0.11.4 only intercepts real preflights (Origin and
// Access-Control-Request-Method, src/HandlePreflight.php).
func TestOptions(t *testing.T) {
	for _, version := range []string{"2.4", "2.3"} {
		a := newAPI(t, WithVersion(version)).guest()
		for _, tc := range []struct{ path, allow string }{
			{"/components", "GET,HEAD,POST"},
			{"/components/999", "GET,HEAD,PUT,DELETE"},
			{"/ping", "GET,HEAD"},
			{"/subscribers", "GET,HEAD,POST"},
		} {
			r := a.do("OPTIONS", tc.path, nil, "Accept", "text/html").expect(t, http.StatusOK)
			if got := r.header.Get("Allow"); got != tc.allow || len(r.body) != 0 {
				t.Errorf("%s OPTIONS %s: Allow %q body %q, want %q and empty", version, tc.path, got, r.body, tc.allow)
			}
		}
		a.do("OPTIONS", "/nope", nil).expect(t, 404)
	}
}

// TestPaginationLinks2_3: Laravel 5.2's AbstractPaginator::url builds the
// query with http_build_query($parameters, ”, '&') (RFC 1738: "+" for a
// space, "~" escaped; src/Illuminate/Pagination/AbstractPaginator.php:135),
// 5.7 with Arr::query (RFC 3986).
func TestPaginationLinks2_3(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"2.4", "/components?per_page=1&x=a%20b~c&page=2"},
		{"2.3", "/components?per_page=1&x=a+b%7Ec&page=2"},
	} {
		a := newAPI(t, WithVersion(tc.version))
		seedComponent(a.srv.Emulator, "A", 1, 0)
		seedComponent(a.srv.Emulator, "B", 1, 0)
		r := a.get("/components?per_page=1&x=a%20b~c").expect(t, 200)
		if got := r.pagination()["links"].(map[string]any)["next_page"]; got != a.srv.URL+tc.want {
			t.Errorf("%s next_page = %v, want %s", tc.version, got, a.srv.URL+tc.want)
		}
	}
}

// TestStatusGuestHiddenGroups: System::getStatus counts
// Component::enabled()->authenticated($includePrivate)
// (app/Integrations/Core/System.php:63-68, 2.4), and scopeAuthenticated
// drops, for a guest, components in a group with visible = 0
// (app/Models/Component.php:189-196).
func TestStatusGuestHiddenGroups(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	hidden := e.SeedGroup(cachet.ComponentGroup{Name: "Private", Visible: cachet.GroupLoggedInOnly})
	seedComponent(e, "Internal", cachet.StatusMajorOutage, hidden.ID)
	seedComponent(e, "API", cachet.StatusOperational, 0)
	seedComponent(e, "Orphan", cachet.StatusOperational, 99) // a group that does not exist is no hidden group
	assertFields(t, a.guest().get("/status").expect(t, 200).data(), map[string]any{"status": "success", "message": "All systems are operational"})
	assertFields(t, a.get("/status").expect(t, 200).data(), map[string]any{"status": "info", "message": "Some systems are experiencing issues"})
	// v2.3.18 has no group visibility: everyone sees every component.
	b := newAPI(t, WithVersion("2.3"))
	g := b.srv.Emulator.SeedGroup(cachet.ComponentGroup{Name: "G"})
	seedComponent(b.srv.Emulator, "Internal", cachet.StatusMajorOutage, g.ID)
	assertFields(t, b.guest().get("/status").expect(t, 200).data(), map[string]any{"status": "danger"})
}

// TestStatusIncidents: 2.4 wants every incident that is not status 4
// resolved (System.php:85-98); v2.3.18 looks at the newest incident with a
// status above 0 (v2.3.18 app/Integrations/Core/System.php).
func TestStatusIncidents(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:00")
	for _, tc := range []struct {
		version string
		want    string
	}{{"2.4", "info"}, {"2.3", "success"}} {
		a := newAPI(t, WithVersion(tc.version), WithClock(clock.now))
		seedComponent(a.srv.Emulator, "API", cachet.StatusOperational, 0)
		a.post("/incidents", map[string]any{"name": "Old", "message": "m", "status": 2}).expect(t, 200)
		clock.add(time.Minute)
		a.post("/incidents", map[string]any{"name": "New", "message": "m", "status": 4}).expect(t, 200)
		assertFields(t, a.get("/status").data(), map[string]any{"status": tc.want})
	}
}

// TestErrorsForJSONAPIAccept: an error answer goes to the first displayer
// whose content type the request accepts (graham-campbell/exceptions
// v11.3.0 src/Filters/ContentTypeFilter.php), only application/* ones on api/
// paths (app/Exceptions/Filters/ApiFilter.php:31-42, 2.4), HtmlDisplayer
// otherwise. Accept: application/vnd.api+json is refused by the Acceptable
// middleware (406) but accepted by JsonApiDisplayer: the 406, a 404 and a
// 405 are Cachet's JSON errors typed application/vnd.api+json. text/html
// still gets the HTML page.
func TestErrorsForJSONAPIAccept(t *testing.T) {
	for _, v := range []string{"2.4", "2.3"} {
		a := newAPI(t, WithVersion(v))
		for _, tc := range []struct {
			method, path string
			status       int
		}{{"GET", "/ping", 406}, {"GET", "/nothing", 404}, {"GET", "/components/9", 404}, {"PATCH", "/ping", 405}} {
			r := a.do(tc.method, tc.path, nil, "Accept", "application/vnd.api+json")
			if r.status != tc.status || r.header.Get("Content-Type") != "application/vnd.api+json" {
				t.Fatalf("%s %s %s: %d %q", v, tc.method, tc.path, r.status, r.header.Get("Content-Type"))
			}
			var body struct {
				Errors []struct {
					Status int    `json:"status"`
					Title  string `json:"title"`
					Detail string `json:"detail"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(r.body, &body); err != nil || len(body.Errors) != 1 || body.Errors[0].Status != tc.status || body.Errors[0].Detail == "" {
				t.Errorf("%s %s %s: body %s (%v)", v, tc.method, tc.path, r.body, err)
			}
		}
		r := a.do("GET", "/ping", nil, "Accept", "text/html")
		if r.status != 406 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s text/html: %d %q", v, r.status, r.header.Get("Content-Type"))
		}
	}
}

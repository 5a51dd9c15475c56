package cachettest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

func TestPing(t *testing.T) {
	a := newAPI(t)
	r := a.get("/ping").expect(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if string(r.body) != `{"data":"Pong!"}` {
		t.Errorf("body = %s", r.body)
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct{ version, want string }{{"2.4", "2.4.1"}, {"2.3", "2.3.18"}} {
		a := newAPI(t, WithVersion(tc.version))
		r := a.get("/version").expect(t, 200)
		// on_latest: PHP's version_compare("2.4.1", "v2.4.1") and
		// version_compare("2.3.18", "v2.4.1") are both 1
		// (GeneralController.php:44); the old expectation (false) was wrong.
		want := `{"meta":{"on_latest":true,"latest":{"tag_name":"v2.4.1","prelease":false,"draft":false}},"data":"` + tc.want + `"}`
		if string(r.body) != want {
			t.Errorf("%s: body = %s", tc.version, r.body)
		}
	}
}

func TestNotFoundRoute(t *testing.T) {
	a := newAPI(t)
	r := a.get("/not-found").expect(t, 404)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	e := r.errorOf()
	assertFields(t, e, map[string]any{"status": 404, "title": "Not Found",
		"detail": "The requested resource could not be found but may be available again in the future."})
	if id, _ := e["id"].(string); len(id) != 36 || id[14] != '4' {
		t.Errorf("id = %q, want a uuid v4", id)
	}
}

func TestNotAcceptable(t *testing.T) {
	a := newAPI(t)
	r := a.get("/ping", "Accept", "text/html").expect(t, 406)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<html>") {
		t.Errorf("406 is not HTML: %s %s", r.header.Get("Content-Type"), r.body)
	}
	for _, accept := range []string{"*/*", "application/json", "text/html, application/json;q=0.9", ""} {
		a.get("/ping", "Accept", accept).expect(t, 200)
	}
	// 404 (binding) comes before 406.
	a.get("/components/9", "Accept", "text/html").expect(t, 404)
}

func TestMethodNotAllowed(t *testing.T) {
	a := newAPI(t)
	seedComponent(a.srv.Emulator, "API", 1, 0)
	for _, tc := range []struct{ method, path, allow string }{
		{"POST", "/components/1", "GET, HEAD, PUT, DELETE"},
		{"DELETE", "/components", "GET, HEAD, POST"},
		{"PUT", "/ping", "GET, HEAD"},
		{"POST", "/incidents/templates", "GET, HEAD, PUT, DELETE"},
	} {
		r := a.do(tc.method, tc.path, nil).expect(t, 405)
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
		}
		assertFields(t, r.errorOf(), map[string]any{"title": "Method Not Allowed",
			"detail": "A request was made of a resource using a request method not supported by that resource."})
	}
}

func TestStatus(t *testing.T) {
	a := newAPI(t)
	r := a.get("/status").expect(t, 200)
	if r.header.Get("Cache-Control") == "" {
		t.Error("no Cache-Control header")
	}
	assertFields(t, r.data(), map[string]any{"status": "success", "message": "System operational"})

	seedComponent(a.srv.Emulator, "API", cachet.StatusPartialOutage, 0)
	r = a.get("/status").expect(t, 200)
	assertFields(t, r.data(), map[string]any{"status": "info", "message": "The system is experiencing issues"})

	seedComponent(a.srv.Emulator, "Web", cachet.StatusMajorOutage, 0)
	r = a.get("/status").expect(t, 200)
	assertFields(t, r.data(), map[string]any{"status": "danger", "message": "Some systems are experiencing major issues"})
}

func TestNotFoundBeforeUnauthorized(t *testing.T) {
	a := newAPI(t).guest()
	for _, tc := range []struct{ method, path string }{
		{"PUT", "/components/999"},
		{"DELETE", "/components/groups/999"},
		{"DELETE", "/subscribers/999"},
		{"DELETE", "/subscriptions/999"},
		{"PUT", "/metrics/999"},
	} {
		r := a.do(tc.method, tc.path, map[string]any{"name": "x"}).expect(t, 404)
		if tc.path == "/components/999" {
			assertFields(t, r.errorOf(), map[string]any{"detail": `No query results for model [CachetHQ\Cachet\Models\Component].`})
		}
	}
	a.post("/components", map[string]any{"name": "x"}).expect(t, 401)
	r := a.get("/subscribers").expect(t, 401)
	assertFields(t, r.errorOf(), map[string]any{"title": "Unauthorized",
		"detail": "Authentication is required and has failed or has not yet been provided."})
}

func TestStatsEndpoint(t *testing.T) {
	a := newAPI(t)
	a.get("/ping")
	a.get("/nope")
	a.post("/components", map[string]any{"name": "A"})
	a.put("/components/1", map[string]any{"name": "B"})
	a.del("/components/1")
	if got := a.srv.Stats().Requests; got["GET"] != 2 || got["POST"] != 1 || got["PUT"] != 1 || got["DELETE"] != 1 {
		t.Errorf("Stats = %v", got)
	}
	for range 2 { // the stats endpoint is not counted
		res, err := http.Get(a.srv.BaseURL() + "/_emulator/stats")
		if err != nil {
			t.Fatal(err)
		}
		var s Stats
		if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if s.Requests["GET"] != 2 || s.Requests["POST"] != 1 || s.Requests["PUT"] != 1 || s.Requests["DELETE"] != 1 {
			t.Errorf("/_emulator/stats = %v", s.Requests)
		}
	}
	a.srv.ResetStats()
	if got := a.srv.Stats().Requests; got["GET"] != 0 || len(got) != 4 {
		t.Errorf("after reset: %v", got)
	}
}

func TestInputIsTrimmed(t *testing.T) {
	a := newAPI(t)
	r := a.post("/components", map[string]any{"name": "  API  ", "description": " d ", "tags": " Foo , Bar "}).expect(t, 200)
	assertFields(t, r.data(), map[string]any{"name": "API", "description": "d", "tags": map[string]any{"foo": "Foo", "bar": "Bar"}})
}

func TestPHPStyleJSON(t *testing.T) {
	a := newAPI(t)
	r := a.post("/components", map[string]any{"name": "Café/API", "link": "https://x.example/a"}).expect(t, 200)
	if !strings.Contains(string(r.body), `"Caf\u00e9\/API"`) || !strings.Contains(string(r.body), `"https:\/\/x.example\/a"`) {
		t.Errorf("body not PHP-escaped: %s", r.body)
	}
}

func TestTimeZoneHeader(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "A"}).expect(t, 200)
	utc := a.get("/components/1").data()["created_at"].(string)
	tokyo := a.get("/components/1", "Time-Zone", "Asia/Tokyo").data()["created_at"].(string)
	if utc == tokyo {
		t.Errorf("Time-Zone header ignored: %s", tokyo)
	}
}

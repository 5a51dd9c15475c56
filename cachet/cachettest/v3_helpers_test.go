package cachettest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// api3 is a raw HTTP client for the 3.x contract tests. Citations name the
// upstream test (core:tests/Feature/Api/*.php at 9183688b) each test follows.
type api3 struct {
	t     *testing.T
	srv   *Server
	token string // sent as Authorization: Bearer when non-empty
}

func newAPI3(t *testing.T, opts ...Option) *api3 {
	t.Helper()
	srv := NewServer(append([]Option{WithVersion("3")}, opts...)...)
	t.Cleanup(srv.Close)
	return &api3{t: t, srv: srv, token: srv.Token()}
}

func (a *api3) guest() *api3 { g := *a; g.token = ""; return &g }

// as returns a client holding a new token with the given abilities (none:
// a token with no abilities at all, like Sanctum::actingAs(user)).
func (a *api3) as(abilities ...string) *api3 {
	tok := fmt.Sprintf("%d|tok-%s", time.Now().UnixNano(), strings.Join(abilities, "-"))
	if len(abilities) == 0 {
		abilities = []string{"none"}
	}
	a.srv.AddToken(tok, abilities...)
	g := *a
	g.token = tok
	return &g
}

type res3 struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func (a *api3) do(method, path string, body any) res3 {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	r := res3{status: resp.StatusCode, header: resp.Header, body: data}
	if len(data) > 0 {
		_ = json.Unmarshal(data, &r.json)
	}
	return r
}

func (a *api3) get(path string) res3            { a.t.Helper(); return a.do("GET", path, nil) }
func (a *api3) post(path string, b any) res3    { a.t.Helper(); return a.do("POST", path, b) }
func (a *api3) put(path string, b any) res3     { a.t.Helper(); return a.do("PUT", path, b) }
func (a *api3) delete(path string) res3         { a.t.Helper(); return a.do("DELETE", path, nil) }
func (r res3) is(t *testing.T, status int) res3 { t.Helper(); r.want(t, status); return r }

func (r res3) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// at walks a decoded JSON value: "data.0.attributes.id".
func (r res3) at(t *testing.T, path string) any {
	t.Helper()
	var cur any = r.json
	for p := range strings.SplitSeq(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			x, ok := v[p]
			if !ok {
				t.Fatalf("%s: no %q in %s", path, p, r.body)
			}
			cur = x
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(v) {
				t.Fatalf("%s: bad index %q in %s", path, p, r.body)
			}
			cur = v[i]
		default:
			t.Fatalf("%s: cannot descend into %v", path, cur)
		}
	}
	return cur
}

func (r res3) has(path string) bool {
	var cur any = r.json
	for p := range strings.SplitSeq(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			x, ok := v[p]
			if !ok {
				return false
			}
			cur = x
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(v) {
				return false
			}
			cur = v[i]
		default:
			return false
		}
	}
	return true
}

func (r res3) count(t *testing.T, path string) int {
	t.Helper()
	l, ok := r.at(t, path).([]any)
	if !ok {
		t.Fatalf("%s is not a list: %s", path, r.body)
	}
	return len(l)
}

// ids returns data[*].attributes.id.
func (r res3) ids(t *testing.T) []int {
	t.Helper()
	var out []int
	for _, x := range r.at(t, "data").([]any) {
		out = append(out, int(x.(map[string]any)["attributes"].(map[string]any)["id"].(float64)))
	}
	return out
}

// num reads a JSON number at path as an int.
func (r res3) num(t *testing.T, path string) int {
	t.Helper()
	f, ok := r.at(t, path).(float64)
	if !ok {
		t.Fatalf("%s is not a number: %s", path, r.body)
	}
	return int(f)
}

// errorFor asserts a 422 naming field (assertJsonValidationErrorFor).
func (r res3) errorFor(t *testing.T, field string) string {
	t.Helper()
	r.want(t, http.StatusUnprocessableEntity)
	msgs, ok := r.at(t, "errors").(map[string]any)[field].([]any)
	if !ok || len(msgs) == 0 {
		t.Fatalf("no validation error for %q: %s", field, r.body)
	}
	return msgs[0].(string)
}

// seed helpers write the store directly (like the upstream factories).

func (a *api3) seedGroup(visible int) int {
	e := a.srv.Emulator
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	g := &group3{id: st.groups.alloc(), name: "Group", collapsed: 1, visible: visible, createdAt: e.now(), updatedAt: e.now()}
	st.groups.put(g.id, g)
	return g.id
}

func (a *api3) seedComponent(group int, enabled bool, status int) int {
	e := a.srv.Emulator
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	x := &comp3{id: st.components.alloc(), name: "Component " + strconv.Itoa(st.components.next), status: status, enabled: enabled, groupID: group, createdAt: e.now(), updatedAt: e.now()}
	st.components.put(x.id, x)
	return x.id
}

func (a *api3) seedComponents(n int) {
	for range n {
		a.seedComponent(0, true, 1)
	}
}

func (a *api3) component(id int) *comp3 {
	e := a.srv.Emulator
	e.mu.RLock()
	defer e.mu.RUnlock()
	x, _ := e.v3.st.components.get(id)
	return x
}

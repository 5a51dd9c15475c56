package cachettest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
)

// api is a raw HTTP client for the contract tests.
type api struct {
	t     *testing.T
	srv   *Server
	token string // sent as X-Cachet-Token when non-empty
}

// result is a decoded response.
type result struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func newAPI(t *testing.T, opts ...Option) *api {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, token: srv.Token()}
}

// guest returns a client that sends no token.
func (a *api) guest() *api { g := *a; g.token = ""; return &g }

// withToken returns a client that sends tok.
func (a *api) withToken(tok string) *api { g := *a; g.token = tok; return &g }

func (a *api) do(method, path string, body any, headers ...string) result {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
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
		req.Header.Set("X-Cachet-Token", a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	r := result{status: res.StatusCode, header: res.Header, body: data}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(data) > 0 {
		if err := json.Unmarshal(data, &r.json); err != nil {
			a.t.Fatalf("%s %s: bad JSON %q: %v", method, path, data, err)
		}
	}
	return r
}

func (a *api) get(path string, headers ...string) result {
	a.t.Helper()
	return a.do("GET", path, nil, headers...)
}
func (a *api) post(path string, body any) result { a.t.Helper(); return a.do("POST", path, body) }
func (a *api) put(path string, body any) result  { a.t.Helper(); return a.do("PUT", path, body) }
func (a *api) del(path string) result            { a.t.Helper(); return a.do("DELETE", path, nil) }

// expect fails the test unless the status is want.
func (r result) expect(t *testing.T, want int) result {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
	return r
}

// data returns the "data" object.
func (r result) data() map[string]any {
	m, _ := r.json["data"].(map[string]any)
	return m
}

// list returns the "data" array as objects.
func (r result) list() []map[string]any {
	arr, _ := r.json["data"].([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, v := range arr {
		m, _ := v.(map[string]any)
		out = append(out, m)
	}
	return out
}

// ids returns the ids of the "data" array, in order.
func (r result) ids() []int {
	var out []int
	for _, m := range r.list() {
		out = append(out, num(m["id"]))
	}
	return out
}

// pagination returns meta.pagination.
func (r result) pagination() map[string]any {
	meta, _ := r.json["meta"].(map[string]any)
	p, _ := meta["pagination"].(map[string]any)
	return p
}

// errorOf returns the first error object.
func (r result) errorOf() map[string]any {
	errs, _ := r.json["errors"].([]any)
	if len(errs) == 0 {
		return nil
	}
	m, _ := errs[0].(map[string]any)
	return m
}

// details returns meta.details of the first error.
func (r result) details() []string {
	e := r.errorOf()
	meta, _ := e["meta"].(map[string]any)
	var out []string
	for _, d := range meta["details"].([]any) {
		out = append(out, d.(string))
	}
	return out
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// assertFields fails unless m holds each key of want with an equal JSON value.
func assertFields(t *testing.T, m map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		wj, _ := json.Marshal(w)
		var wv any
		_ = json.Unmarshal(wj, &wv)
		gj, _ := json.Marshal(m[k])
		if _, ok := m[k]; !ok || string(gj) != string(mustJSON(wv)) {
			t.Errorf("%s = %s, want %s", k, gj, wj)
		}
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// seedComponent adds an enabled component.
func seedComponent(e *Emulator, name string, status cachet.ComponentStatus, groupID int) cachet.Component {
	return e.SeedComponent(cachet.Component{Name: name, Status: status, GroupID: groupID, Enabled: true})
}

func assertIDs(t *testing.T, got []int, want ...int) {
	t.Helper()
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if string(mustJSON(got)) != string(mustJSON(want)) {
		t.Errorf("ids = %v, want %v", got, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func componentDisabled(name string) cachet.Component {
	return cachet.Component{Name: name, Status: 1, Enabled: false}
}

func componentTagged(name, tag string) cachet.Component {
	c := cachet.Component{Name: name, Status: 1, Enabled: true}
	c.Tags.Add(tag)
	return c
}

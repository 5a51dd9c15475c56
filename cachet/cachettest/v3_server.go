package cachettest

// The Cachet 3.x mode (WithVersion("3")): the API of cachethq/core at the
// commit 9183688b, served under /api. Citations
// in this file and the other v3_*.go files are core:path:line at that
// commit unless they name another source.

import (
	"github.com/cachetsync/cachetsync/cachet/binput"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultRateLimit3 is the 3.x API's requests per minute and key
// (CACHET_API_RATE_LIMIT, core:config/cachet.php:132).
const DefaultRateLimit3 = 300

// v3token is a Sanctum personal access token.
type v3token struct {
	user      int
	abilities []string
}

// can is PersonalAccessToken::can: "*" grants everything.
func (t *v3token) can(ability string) bool {
	return slices.Contains(t.abilities, "*") || slices.Contains(t.abilities, ability)
}

// v3state is the part of an Emulator that only the 3.x mode uses. The
// store is guarded by the Emulator's mu; the rest by its own lock.
type v3state struct {
	st v3store

	mu        sync.Mutex
	tokens    map[string]*v3token
	enabled   bool // api_enabled
	protected bool // api_protected
	rateLimit int  // per minute and key; 0 = off
	windows   map[string]*v3window
	hook      func(*http.Request)
	nextUser  int
}

// v3window is one fixed window of Laravel's RateLimiter: its counter
// expires decay seconds after the first hit.
type v3window struct {
	hits    int
	resetAt time.Time
}

func newV3State(token string) *v3state {
	s := &v3state{
		st:        newV3Store(),
		tokens:    map[string]*v3token{},
		enabled:   true,
		rateLimit: DefaultRateLimit3,
		windows:   map[string]*v3window{},
		nextUser:  2,
	}
	if token != "" {
		s.tokens[token] = &v3token{user: 1, abilities: []string{"*"}}
	}
	return s
}

// AddToken makes the 3.x emulator accept token (sent as "Authorization:
// Bearer <token>") with the given Sanctum abilities, e.g.
// "components.manage"; none means "*". Each token belongs to a user of its
// own (the rate limiter keys writes by user). It does nothing in 2.x mode.
func (e *Emulator) AddToken(token string, abilities ...string) {
	if e.v3 == nil {
		return
	}
	if len(abilities) == 0 {
		abilities = []string{"*"}
	}
	e.v3.mu.Lock()
	defer e.v3.mu.Unlock()
	e.v3.tokens[token] = &v3token{user: e.v3.nextUser, abilities: slices.Clone(abilities)}
	e.v3.nextUser++
}

// SetRateLimit sets the 3.x API's limit in requests per minute per key
// (client IP for reads, token user for writes); 0 turns it off. The
// counters restart.
func (e *Emulator) SetRateLimit(perMinute int) {
	if e.v3 == nil {
		return
	}
	e.v3.mu.Lock()
	defer e.v3.mu.Unlock()
	e.v3.rateLimit = max(perMinute, 0)
	clear(e.v3.windows)
}

// SetAPISettings sets the 3.x settings api_enabled (false: every API route
// answers 404) and api_protected (true: reads need a token too).
func (e *Emulator) SetAPISettings(enabled, protected bool) {
	if e.v3 == nil {
		return
	}
	e.v3.mu.Lock()
	defer e.v3.mu.Unlock()
	e.v3.enabled, e.v3.protected = enabled, protected
}

// OnRequest installs hook, called in 3.x mode for every API request after
// fault injection and before the request is handled, outside any lock: a
// test can change the store (SeedSubscriber3, DeleteSubscriber3, ...) at a
// chosen request. nil removes it.
func (e *Emulator) OnRequest(hook func(r *http.Request)) {
	if e.v3 == nil {
		return
	}
	e.v3.mu.Lock()
	e.v3.hook = hook
	e.v3.mu.Unlock()
}

// v3prefix is the API base path (CACHET_PATH "/" + "/api",
// core:src/CachetCoreServiceProvider.php:219-227, core:config/cachet.php:33).
const v3prefix = "/api"

func inV3API(path string) bool { return path == v3prefix || strings.HasPrefix(path, v3prefix+"/") }

// r3 is a 3.x response.
type r3 struct {
	status int
	body   []byte
	ctype  string // default application/json
	header http.Header
}

// msg3 is Laravel's exception rendering: {"message": "..."}.
func msg3(status int, message string) r3 {
	w := &jw{}
	w.obj()
	w.kstr("message", message)
	w.endObj()
	return r3{status: status, body: w.b}
}

func (r r3) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if r.status == http.StatusNoContent {
		w.WriteHeader(r.status)
		return
	}
	ct := r.ctype
	if ct == "" {
		ct = "application/json"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

// c3 is one 3.x API request being handled.
type c3 struct {
	e     *Emulator
	r     *http.Request
	token *v3token // nil for a guest
	q     map[string]any
	in    map[string]any // body (JSON or form), trimmed, "" -> null
	ids   []int
	keys  []string // the raw route parameters, as a 404 quotes them
	// created is the incident a create request made: its response shows
	// the in-memory model, not a database read.
	created *incident3
	base    string // scheme://host/api
	path    string
	now     time.Time
}

func (c *c3) authed() bool { return c.token != nil }

// can is tokenCan on a read route: false for guests.
func (c *c3) can(ability string) bool { return c.token != nil && c.token.can(ability) }

// guard is GuardsApiAbilities::guard (core:src/Concerns/GuardsApiAbilities.php:13-21):
// 403 "Invalid ability provided." (sa:src/Exceptions/MissingAbilityException.php:24-29).
func (c *c3) guard(ability string) *r3 {
	if c.token == nil || !c.token.can(ability) {
		r := msg3(http.StatusForbidden, "Invalid ability provided.")
		return &r
	}
	return nil
}

// guarded is the answer of a handler whose route binds a model before the
// controller guards (route model binding runs in middleware, before the
// controller's $this->guard): the binding's 404, else the guard's 403,
// else nil.
func (c *c3) guarded(notFound *r3, ability string) *r3 {
	if notFound != nil {
		return notFound
	}
	return c.guard(ability)
}

type route3 struct {
	method  string
	pattern []string
	auth    bool // inside Route::middleware(['auth:sanctum']) (core:routes/api.php:42-69)
	h       func(*c3) r3
}

func rt3(method, pattern string, auth bool, h func(*c3) r3) route3 {
	return route3{method: method, pattern: strings.Split(pattern, "/"), auth: auth, h: h}
}

// routes3 is core:routes/api.php. "#" matches one path segment (a route
// parameter); apiResource updates answer PUT and PATCH alike.
var routes3 = []route3{
	rt3("GET", "ping", false, (*c3).ping),
	rt3("GET", "version", false, (*c3).version),
	rt3("GET", "status", false, (*c3).systemStatus),

	rt3("GET", "components", false, (*c3).listComponents),
	rt3("GET", "components/#", false, (*c3).showComponent),
	rt3("POST", "components", true, (*c3).createComponent),
	rt3("PUT", "components/#", true, (*c3).updateComponent),
	rt3("DELETE", "components/#", true, (*c3).deleteComponent),

	rt3("GET", "component-groups", false, (*c3).listGroups),
	rt3("GET", "component-groups/#", false, (*c3).showGroup),
	rt3("POST", "component-groups", true, (*c3).createGroup),
	rt3("PUT", "component-groups/#", true, (*c3).updateGroup),
	rt3("DELETE", "component-groups/#", true, (*c3).deleteGroup),

	rt3("GET", "incidents", false, (*c3).listIncidents),
	rt3("GET", "incidents/#", false, (*c3).showIncident),
	rt3("POST", "incidents", true, (*c3).createIncident),
	rt3("PUT", "incidents/#", true, (*c3).updateIncident),
	rt3("DELETE", "incidents/#", true, (*c3).deleteIncident),
	rt3("GET", "incidents/#/updates", false, (*c3).listUpdates),
	rt3("GET", "incidents/#/updates/#", false, (*c3).showUpdate),
	rt3("POST", "incidents/#/updates", true, (*c3).createUpdate),
	rt3("PUT", "incidents/#/updates/#", true, (*c3).editUpdate),
	rt3("DELETE", "incidents/#/updates/#", true, (*c3).deleteUpdate),

	rt3("GET", "incident-templates", false, (*c3).listTemplates),
	rt3("GET", "incident-templates/#", false, (*c3).showTemplate),
	rt3("POST", "incident-templates", true, (*c3).createTemplate),
	rt3("PUT", "incident-templates/#", true, (*c3).updateTemplate),
	rt3("DELETE", "incident-templates/#", true, (*c3).deleteTemplate),

	rt3("GET", "metrics", false, (*c3).listMetrics),
	rt3("GET", "metrics/#", false, (*c3).showMetric),
	rt3("POST", "metrics", true, (*c3).createMetric),
	rt3("PUT", "metrics/#", true, (*c3).updateMetric),
	rt3("DELETE", "metrics/#", true, (*c3).deleteMetric),
	rt3("GET", "metrics/#/points", false, (*c3).listPoints),
	rt3("GET", "metrics/#/points/#", false, (*c3).showPoint),
	rt3("POST", "metrics/#/points", true, (*c3).createPoint),
	rt3("DELETE", "metrics/#/points/#", true, (*c3).deletePoint),

	rt3("GET", "schedules", false, (*c3).listSchedules),
	rt3("GET", "schedules/#", false, (*c3).showSchedule),
	rt3("POST", "schedules", true, (*c3).createSchedule),
	rt3("PUT", "schedules/#", true, (*c3).updateSchedule),
	rt3("DELETE", "schedules/#", true, (*c3).deleteSchedule),

	rt3("GET", "schedules/#/updates", false, (*c3).listScheduleUpdates),
	rt3("GET", "schedules/#/updates/#", false, (*c3).showScheduleUpdate),
	rt3("POST", "schedules/#/updates", true, (*c3).createScheduleUpdate),
	rt3("PUT", "schedules/#/updates/#", true, (*c3).editScheduleUpdate),
	rt3("DELETE", "schedules/#/updates/#", true, (*c3).deleteScheduleUpdate),

	rt3("GET", "subscribers", true, (*c3).listSubscribers),
	rt3("GET", "subscribers/#", true, (*c3).showSubscriber),
	rt3("POST", "subscribers", true, (*c3).createSubscriber),
	rt3("PUT", "subscribers/#", true, (*c3).updateSubscriber),
	rt3("DELETE", "subscribers/#", true, (*c3).deleteSubscriber),
}

func (r *route3) match(segs []string) bool {
	if len(segs) != len(r.pattern) {
		return false
	}
	for i, p := range r.pattern {
		if p != "#" && p != segs[i] || p == "#" && segs[i] == "" {
			return false
		}
	}
	return true
}

// find3 returns the route for method and segs, or the methods the path
// allows (for 405).
func find3(method string, segs []string) (*route3, string) {
	if method == http.MethodPatch {
		method = http.MethodPut
	}
	head := method == http.MethodHead
	var allow []string
	for i := range routes3 {
		r := &routes3[i]
		if !r.match(segs) {
			continue
		}
		if r.method == method || head && r.method == http.MethodGet {
			return r, ""
		}
		allow = append(allow, r.method)
		switch r.method {
		case "GET":
			allow = append(allow, "HEAD")
		case "PUT":
			allow = append(allow, "PATCH")
		}
	}
	return nil, strings.Join(allow, ", ")
}

// serveV3 answers one 3.x API request, in Laravel's middleware order:
// route match, EnsureApiIsEnabled, AuthenticateApiIfProtected,
// auth:sanctum (writes), throttle, route binding, validation (422), ability (403).
func (e *Emulator) serveV3(w http.ResponseWriter, r *http.Request) {
	s := e.v3
	s.mu.Lock()
	hook := s.hook
	s.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	path := strings.TrimRight(r.URL.Path, "/")
	sub := strings.TrimPrefix(strings.TrimPrefix(path, v3prefix), "/")
	rte, allow := find3(r.Method, strings.Split(sub, "/"))
	if rte == nil {
		// Decided before route middleware: JSON only when asked for.
		if !acceptsJSON(r.Header.Values("Accept")) {
			rs := htmlError(http.StatusNotFound)
			if allow != "" {
				rs = htmlError(http.StatusMethodNotAllowed)
				rs.header = http.Header{"Allow": {allow}}
			}
			rs.write(w)
			return
		}
		if allow != "" {
			rs := msg3(http.StatusMethodNotAllowed, "The "+r.Method+" method is not supported for route "+strings.TrimPrefix(path, "/")+". Supported methods: "+allow+".")
			rs.header = http.Header{"Allow": {allow}}
			rs.write(w)
			return
		}
		msg3(http.StatusNotFound, "The route "+strings.TrimPrefix(path, "/")+" could not be found.").write(w)
		return
	}
	token := s.bearer(r)
	s.mu.Lock()
	enabled, protected := s.enabled, s.protected
	s.mu.Unlock()
	// core:src/Http/Middleware/EnsureApiIsEnabled.php:15
	if !enabled {
		msg3(http.StatusNotFound, "").write(w)
		return
	}
	// core:src/Http/Middleware/AuthenticateApiIfProtected.php:19-21; auth:sanctum
	if token == nil && (protected || rte.auth) {
		msg3(http.StatusUnauthorized, "Unauthenticated.").write(w)
		return
	}
	// throttle:cachet-api keyed by the user on routes behind auth:sanctum,
	// else by IP (core:src/CachetCoreServiceProvider.php:203-206).
	key := "ip:" + remoteIP(r)
	if rte.auth {
		key = "user:" + strconv.Itoa(token.user)
	}
	limitHeader, limited := s.throttle(key, e.now())
	if limited != nil {
		limited.write(w)
		return
	}
	c := &c3{e: e, r: r, token: token, path: path, now: e.now()}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	c.base = scheme + "://" + r.Host + v3prefix
	// The global TrimStrings and ConvertEmptyStringsToNull clean the query
	// string as they clean the body
	// (lf:src/Illuminate/Foundation/Http/Middleware/TransformsRequest.php:30-38 at 12.x).
	c.q, _ = clean3(parseNestedQuery(r.URL.RawQuery)).(map[string]any)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		c.in = readInput3(r.Header.Get("Content-Type"), r.Body)
	} else {
		c.in = map[string]any{}
	}
	for i, seg := range strings.Split(sub, "/") {
		if rte.pattern[i] != "#" {
			continue
		}
		c.ids = append(c.ids, routeKey3(seg))
		c.keys = append(c.keys, seg)
	}
	if rte.method == "GET" {
		e.mu.RLock()
	} else {
		e.mu.Lock()
	}
	rs := rte.h(c)
	if rte.method == "GET" {
		e.mu.RUnlock()
	} else {
		e.mu.Unlock()
	}
	if rs.header == nil {
		rs.header = http.Header{}
	}
	for k, v := range limitHeader {
		rs.header[k] = v
	}
	rs.write(w)
}

// routeKey3 is the id a route parameter binds: the binding query compares
// the integer id column with the parameter as a string, which SQLite (the
// default database) reads as a number when it is a well-formed numeric
// literal, so "01" and "1.0" find row 1; anything else finds nothing (-1).
func routeKey3(seg string) int {
	if !numericPattern.MatchString(seg) || strings.TrimSpace(seg) != seg {
		return -1
	}
	f, err := strconv.ParseFloat(seg, 64)
	if err != nil || f != math.Trunc(f) || f < 1 || f > 1<<53 {
		return -1
	}
	return int(f)
}

// bearer resolves the Sanctum token of r; an unknown token is a guest.
func (s *v3state) bearer(r *http.Request) *v3token {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[strings.TrimSpace(h[7:])]
}

// throttle is Laravel's ThrottleRequests with Limit::perMinute: a fixed
// window per key that starts at its first hit (lf:…/ThrottleRequests.php:242-317).
func (s *v3state) throttle(key string, now time.Time) (http.Header, *r3) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimit <= 0 {
		return nil, nil
	}
	win := s.windows[key]
	if win == nil || !now.Before(win.resetAt) {
		win = &v3window{resetAt: now.Add(time.Minute)}
		s.windows[key] = win
	}
	limit := strconv.Itoa(s.rateLimit)
	if win.hits >= s.rateLimit {
		retry := max(int(win.resetAt.Sub(now)/time.Second), 0)
		r := msg3(http.StatusTooManyRequests, "Too Many Attempts.")
		r.header = http.Header{
			"X-Ratelimit-Limit":     {limit},
			"X-Ratelimit-Remaining": {"0"},
			"Retry-After":           {strconv.Itoa(retry)},
			"X-Ratelimit-Reset":     {strconv.FormatInt(win.resetAt.Unix(), 10)},
		}
		return nil, &r
	}
	win.hits++
	return http.Header{
		"X-Ratelimit-Limit":     {limit},
		"X-Ratelimit-Remaining": {strconv.Itoa(s.rateLimit - win.hits)},
	}, nil
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// parseNestedQuery parses a query string as PHP does, with nested keys:
// filter[meta][region]=eu gives {"filter":{"meta":{"region":"eu"}}}; a
// key[]=v appends to a list; the last of a repeated key wins.
func parseNestedQuery(raw string) map[string]any {
	out := map[string]any{}
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || k == "" {
			continue
		}
		var path []string
		if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
			path = append(path, k[:i])
			for _, p := range strings.Split(k[i+1:len(k)-1], "][") {
				path = append(path, p)
			}
		} else {
			path = []string{k}
		}
		setNested(out, path, v)
	}
	return out
}

func setNested(m map[string]any, path []string, v string) {
	for i, p := range path {
		if i == len(path)-1 {
			m[p] = v
			return
		}
		if path[i+1] == "" { // p[]=v appends to a list
			l, _ := m[p].([]any)
			m[p] = append(l, v)
			return
		}
		child, ok := m[p].(map[string]any)
		if !ok {
			child = map[string]any{}
			m[p] = child
		}
		m = child
	}
}

// qstr returns a query value as a string, and whether it is one (not an
// array).
func qstr(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

// readInput3 decodes the body (JSON when the Content-Type says so, else
// form data) and applies Laravel's TrimStrings and ConvertEmptyStringsToNull
// (lf:src/Illuminate/Foundation/Configuration/Middleware.php:451-463).
func readInput3(contentType string, body io.Reader) map[string]any {
	in := decodeBody(contentType, body, parseNestedQuery)
	if in == nil {
		in = map[string]any{}
	}
	for k, v := range in {
		in[k] = clean3(v)
	}
	return in
}

// clean3 is TrimStrings and ConvertEmptyStringsToNull: one implementation
// with the planner's prediction of what 3.x stores (binput.V3).
func clean3(v any) any { return binput.V3.CleanValue(v) }

// apiPrefix is the API's base path: /api/v1, or /api in 3.x mode.
func (e *Emulator) apiPrefix() string {
	if e.v3 != nil {
		return v3prefix
	}
	return "/api/v1"
}

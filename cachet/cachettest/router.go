package cachettest

import (
	"net/http"
	"regexp"
	"strings"
	"time"
)

// call is one API request being handled.
type call struct {
	e      *Emulator
	r      *http.Request
	authed bool
	query  []qparam       // raw, ordered (for pagination links)
	in     map[string]any // merged input as Binput::get returns it (cleaned)
	raw    map[string]any // merged input, untrimmed
	ids    []int          // bound route parameters
	loc    *time.Location // presenter timezone
	base   string         // scheme://host
	path   string         // request path without trailing slash
	now    time.Time

	members map[int][]*component // group members index, built once per list
	cost    *phpCost             // rows returned and loaded, for the PHP model
}

// Route-model binding kinds: the {placeholder} names of Cachet's routes.
const (
	bComponent    = "{component}"
	bGroup        = "{group}"
	bIncident     = "{incident}"
	bUpdate       = "{update}"
	bTemplate     = "{template}"
	bMetric       = "{metric}"
	bPoint        = "{point}"
	bSchedule     = "{schedule}"
	bSubscriber   = "{subscriber}"
	bSubscription = "{subscription}"
)

var modelClass = map[string]string{
	bComponent:    "Component",
	bGroup:        "ComponentGroup",
	bIncident:     "Incident",
	bUpdate:       "IncidentUpdate",
	bTemplate:     "IncidentTemplate",
	bMetric:       "Metric",
	bPoint:        "MetricPoint",
	bSchedule:     "Schedule",
	bSubscriber:   "Subscriber",
	bSubscription: "Subscription",
}

type route struct {
	method  string
	pattern []string
	auth    bool // token required
	v24     bool // absent from 2.3
	h       func(*Emulator, *call) resp
}

func rt(method, pattern string, auth, v24 bool, h func(*Emulator, *call) resp) route {
	return route{method: method, pattern: strings.Split(pattern, "/"), auth: auth, v24: v24, h: h}
}

// routes in Cachet's registration order: Laravel takes the first route
// whose method and URI match, so /components/groups precedes /components/{id}.
var routes = []route{
	rt("GET", "ping", false, false, (*Emulator).ping),
	rt("GET", "version", false, false, (*Emulator).version),
	rt("GET", "status", false, false, (*Emulator).status),
	rt("GET", "components/groups", false, false, (*Emulator).listGroups),
	rt("GET", "components/groups/"+bGroup, false, false, (*Emulator).getGroup),
	rt("GET", "components", false, false, (*Emulator).listComponents),
	rt("GET", "components/"+bComponent, false, false, (*Emulator).getComponent),
	rt("GET", "incidents/templates", false, true, (*Emulator).listTemplates),
	rt("GET", "incidents/templates/"+bTemplate, false, true, (*Emulator).getTemplate),
	rt("GET", "incidents", false, false, (*Emulator).listIncidents),
	rt("GET", "incidents/"+bIncident, false, false, (*Emulator).getIncident),
	rt("GET", "incidents/"+bIncident+"/updates", false, true, (*Emulator).listUpdates),
	rt("GET", "incidents/"+bIncident+"/updates/"+bUpdate, false, true, (*Emulator).getUpdate),
	rt("GET", "metrics", false, false, (*Emulator).listMetrics),
	rt("GET", "metrics/"+bMetric, false, false, (*Emulator).getMetric),
	rt("GET", "metrics/"+bMetric+"/points", false, false, (*Emulator).listPoints),
	rt("GET", "schedules", false, true, (*Emulator).listSchedules),
	rt("GET", "schedules/"+bSchedule, false, true, (*Emulator).getSchedule),

	rt("POST", "components/groups", true, false, (*Emulator).createGroup),
	rt("PUT", "components/groups/"+bGroup, true, false, (*Emulator).updateGroup),
	rt("DELETE", "components/groups/"+bGroup, true, false, (*Emulator).deleteGroup),
	rt("POST", "components", true, false, (*Emulator).createComponent),
	rt("PUT", "components/"+bComponent, true, false, (*Emulator).updateComponent),
	rt("DELETE", "components/"+bComponent, true, false, (*Emulator).deleteComponent),
	rt("POST", "incidents", true, false, (*Emulator).createIncident),
	rt("PUT", "incidents/"+bIncident, true, false, (*Emulator).updateIncident),
	rt("DELETE", "incidents/"+bIncident, true, false, (*Emulator).deleteIncident),
	rt("POST", "incidents/"+bIncident+"/updates", true, true, (*Emulator).createUpdate),
	rt("PUT", "incidents/"+bIncident+"/updates/"+bUpdate, true, true, (*Emulator).updateUpdate),
	rt("DELETE", "incidents/"+bIncident+"/updates/"+bUpdate, true, true, (*Emulator).deleteUpdate),
	rt("POST", "metrics", true, false, (*Emulator).createMetric),
	rt("PUT", "metrics/"+bMetric, true, false, (*Emulator).updateMetric),
	rt("DELETE", "metrics/"+bMetric, true, false, (*Emulator).deleteMetric),
	rt("POST", "metrics/"+bMetric+"/points", true, false, (*Emulator).createPoint),
	rt("PUT", "metrics/"+bMetric+"/points/"+bPoint, true, false, (*Emulator).updatePoint),
	rt("DELETE", "metrics/"+bMetric+"/points/"+bPoint, true, false, (*Emulator).deletePoint),
	rt("POST", "schedules", true, true, (*Emulator).createSchedule),
	rt("PUT", "schedules/"+bSchedule, true, true, (*Emulator).updateSchedule),
	rt("DELETE", "schedules/"+bSchedule, true, true, (*Emulator).deleteSchedule),
	rt("GET", "subscribers", true, false, (*Emulator).listSubscribers),
	rt("POST", "subscribers", true, false, (*Emulator).createSubscriber),
	rt("DELETE", "subscribers/"+bSubscriber, true, false, (*Emulator).deleteSubscriber),
	rt("DELETE", "subscriptions/"+bSubscription, true, false, (*Emulator).deleteSubscription),
}

func (r *route) match(segs []string) bool {
	if len(segs) != len(r.pattern) {
		return false
	}
	for i, p := range r.pattern {
		if p[0] == '{' {
			if segs[i] == "" {
				return false
			}
		} else if p != segs[i] {
			return false
		}
	}
	return true
}

// verbs in the order Laravel lists them in an Allow header.
var verbs = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// find returns the route for method and path segments, or the Allow header
// value when only other methods match.
func (e *Emulator) find(method string, segs []string) (*route, string) {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for i := range routes {
		r := &routes[i]
		if r.method == method && (!r.v24 || !e.v23) && r.match(segs) {
			return r, ""
		}
	}
	var allow []string
	for _, v := range verbs {
		m := v
		if m == "HEAD" {
			m = "GET"
		}
		for i := range routes {
			r := &routes[i]
			if r.method == m && v != method && (!r.v24 || !e.v23) && r.match(segs) {
				allow = append(allow, v)
				break
			}
		}
	}
	return nil, strings.Join(allow, ", ")
}

// serveAPI routes and handles one /api/v1 request. The order of checks is
// Cachet's: routing (404/405), route-model binding (404), Accept (406),
// authentication (401), then the controller.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	if e.v3 != nil {
		e.serveV3(w, r)
		return
	}
	path := strings.TrimRight(r.URL.Path, "/")
	sub := strings.TrimPrefix(strings.TrimPrefix(path, "/api/v1"), "/")
	jsonOK := acceptsJSON(r.Header.Values("Accept"))
	// An error's displayer is the first whose content type the request
	// accepts (graham-campbell/exceptions ContentTypeFilter, v11.3.0 and
	// v9.4.0), among application/* ones on api/ paths (app/Exceptions/
	// Filters/ApiFilter.php:31-42, 2.4), else the default HTML page: a
	// client that accepts application/vnd.api+json but not
	// application/json gets the same JSON errors from JsonApiDisplayer,
	// typed application/vnd.api+json.
	jsonAPI := !jsonOK && acceptsType(r.Header.Values("Accept"), "application/vnd.api+json")
	fail := func(rs resp) {
		switch {
		case jsonAPI:
			rs.ctype = "application/vnd.api+json"
		case !jsonOK:
			rs = htmlError(rs.status)
		}
		rs.write(w)
	}
	rte, allow := e.find(r.Method, strings.Split(sub, "/"))
	if rte == nil {
		if allow != "" && r.Method == http.MethodOptions {
			// Laravel answers OPTIONS itself with a route of its own that has
			// no middleware (no Accept check, no auth, no binding):
			// Illuminate/Routing/RouteCollection.php:236-240 (5.7; 5.2 :199-202).
			rs := resp{status: http.StatusOK, html: true, header: http.Header{"Allow": {strings.ReplaceAll(allow, ", ", ",")}}}
			rs.write(w)
			return
		}
		if allow != "" {
			rs := errResp(http.StatusMethodNotAllowed, "")
			switch {
			case jsonAPI:
				rs.ctype = "application/vnd.api+json"
			case !jsonOK:
				rs = htmlError(http.StatusMethodNotAllowed)
			}
			rs.header = http.Header{"Allow": {allow}}
			rs.write(w)
			return
		}
		fail(errResp(http.StatusNotFound, ""))
		return
	}
	c := &call{
		e:      e,
		r:      r,
		authed: e.opts.token != "" && r.Header.Get("X-Cachet-Token") == e.opts.token || inspecting(r),
		query:  parseQuery(r.URL.RawQuery),
		path:   path,
		loc:    e.zone(r.Header.Get("Time-Zone")),
		now:    e.now(),
		cost:   costOf(r),
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	c.base = scheme + "://" + r.Host
	var body = r.Body
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		body = nil
	}
	c.raw = readInput(c.query, r.Header.Get("Content-Type"), body)
	c.in = cleanInput(c.raw, e.v23)

	if rte.method == http.MethodGet {
		e.mu.RLock()
		defer e.mu.RUnlock()
	} else {
		e.mu.Lock()
		defer e.mu.Unlock()
	}
	segs := strings.Split(sub, "/")
	for i, p := range rte.pattern {
		if p[0] != '{' {
			continue
		}
		id, ok := e.bind(p, segs[i])
		if !ok {
			detail := ""
			if !e.v23 {
				detail = "No query results for model [CachetHQ\\Cachet\\Models\\" + modelClass[p] + "]."
			}
			fail(errResp(http.StatusNotFound, detail))
			return
		}
		c.ids = append(c.ids, id)
	}
	if !jsonOK {
		fail(errResp(http.StatusNotAcceptable, ""))
		return
	}
	if rte.auth && !c.authed {
		fail(errResp(http.StatusUnauthorized, ""))
		return
	}
	rs := rte.h(e, c)
	rs.write(w)
	rs.release()
}

// bind resolves a route parameter like MySQL compares "WHERE id = '12abc'":
// by its leading integer.
func (e *Emulator) bind(kind, seg string) (int, bool) {
	id := phpInt(seg)
	if id <= 0 {
		return 0, false
	}
	ok := false
	switch kind {
	case bComponent:
		_, ok = e.st.components.get(id)
	case bGroup:
		_, ok = e.st.groups.get(id)
	case bIncident:
		_, ok = e.st.incidents.get(id)
	case bUpdate:
		_, ok = e.st.updates.get(id)
	case bTemplate:
		_, ok = e.st.templates.get(id)
	case bMetric:
		_, ok = e.st.metrics.get(id)
	case bPoint:
		_, ok = e.st.points.get(id)
	case bSchedule:
		_, ok = e.st.schedules.get(id)
	case bSubscriber:
		_, ok = e.st.subscribers.get(id)
	case bSubscription:
		_, _, ok = e.st.findSubscription(id)
	}
	return id, ok
}

// acceptsJSON is Laravel's $request->accepts('application/json')
// (Illuminate/Http/Concerns/InteractsWithContentTypes.php:65-88 in 5.7, the
// same in 5.2 Request.php:717-740), which Cachet's Acceptable middleware
// requires (app/Http/Middleware/Acceptable.php:37-38): no Accept header, or
// an item that is exactly */*, *, application/* or application/json (case
// sensitive, parameters ignored). matchesType only lets a *suffix* type in
// the header match a plain type asked for, so application/vnd.api+json does
// not accept application/json.
func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	// PHP sees repeated headers joined with commas.
	items := 0
	for part := range strings.SplitSeq(strings.Join(values, ","), ",") {
		t, _, _ := strings.Cut(part, ";")
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		items++
		switch t {
		case "*/*", "*", "application/*", "application/json":
			return true
		}
	}
	return items == 0
}

// acceptsType is Laravel's $request->accepts($type) for one type
// (Illuminate/Http/Concerns/InteractsWithContentTypes.php:65-88 and
// matchesType :16-25 in 5.7.29): no Accept header, an item */* or *, the
// type itself, its "major/*", or an item "a/b" such that "a/.+\+b" occurs in
// the type (so application/json accepts application/vnd.api+json).
func acceptsType(values []string, typ string) bool {
	items := 0
	major, _, _ := strings.Cut(typ, "/")
	for part := range strings.SplitSeq(strings.Join(values, ","), ",") {
		t, _, _ := strings.Cut(part, ";")
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		items++
		if t == "*/*" || t == "*" || t == typ || t == major+"/*" {
			return true
		}
		segs := strings.Split(t, "/")
		if len(segs) > 1 && regexp.MustCompile(regexp.QuoteMeta(segs[0])+"/.+\\+"+regexp.QuoteMeta(segs[1])).MatchString(typ) {
			return true
		}
	}
	return items == 0
}

// zone resolves the Time-Zone request header (UTC when absent or unknown).
func (e *Emulator) zone(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if l, ok := e.zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	e.zones.Store(name, l)
	return l
}

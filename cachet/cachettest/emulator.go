// Package cachettest is an in-memory Cachet 2.4 (or 2.3) API v1 server for
// tests: an http.Handler that answers like Cachet does on the wire, bugs
// included, with reproducible fault injection.
//
// WithVersion("3") serves the Cachet 3.x API instead (a preview pinned to
// cachethq/core commit 9183688b): under /api, Sanctum Bearer tokens with
// abilities (AddToken), JSON:API resources, 422 validation errors,
// simplePaginate, filters, sorts and includes, visibility scoping, a
// per-minute rate limit (SetRateLimit), the api_enabled and api_protected
// settings (SetAPISettings) and a per-request hook (OnRequest). Faults and
// latency apply as in 2.x. It leaves out webhooks, mail, the MCP server,
// sparse fieldsets, the componentsCount style includes (accepted, not
// rendered) and blade templates.
//
// In a test of your own code, Start gives a running server and a client:
//
//	srv := cachettest.Start(t)
//	api := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true})
//	err := yourBot(ctx, srv.Client(), api.ID)
//	// assert on srv.Components(), srv.Incidents(), srv.Requests() ...
//
// Seed* methods store objects directly, and the inspection methods
// (Components, Incidents, MetricPoints, ...) return what the API would show;
// neither goes through HTTP, so they change no request count or record.
// Requests lists the API requests received (method, path, query, body and
// status). AddFault makes a chosen request fail (the Nth POST to a path,
// say), with a status or a dropped connection, before or after it is
// applied.
//
// Random faults: WithFaults(rate) makes a share of all requests fail.
// Every request under /api/v1 gets a request number n (in
// arrival order). From the seed and n alone the emulator derives the latency
// jitter and whether the request fails, and how: 500, 502, 503 or 429 (the
// last two with a Retry-After header), or a dropped connection (hijacked and
// closed without a response). So the same seed gives the same sequence of
// faults. Half of the 500/502/503 faults and dropped connections, again
// chosen from the seed, are "fail after apply": the request is handled (a
// write changes the store) and its response is replaced by the error or
// lost with the connection, modelling the ambiguous outcome of a real
// server that fails after committing. Every other fault (and every 429) is
// decided and answered before the request is handled, so it changes nothing.
//
// What it follows: the API controllers, commands (validation rules and
// messages, enforced on 2.4, not on 2.3), command handlers, models ($rules,
// casts, defaults), presenters (the exact keys of GET, PUT and POST
// answers) and middleware of Cachet 2.4 (branch 2.4) and 2.3 (tag
// v2.3.18), and the Laravel, Binput, Carbon/timelib and Twig behaviour they
// rely on (string input is cleaned as Binput::get does). Tests cite the PHP file and line each behaviour comes from.
//
// What it does not reproduce:
//   - the database is MySQL's as Cachet configures it, in a simplified
//     form: string comparisons (filters, subscriber e-mails, template
//     slugs, tag names) are case-insensitive; rows without a sort come in
//     id order, and so do ties of a sort;
//     over-long strings are kept whole (MySQL truncates at 255) and
//     negative values in unsigned columns are kept; 2.3's uncast integer
//     columns are numbers, never SQLite's strings;
//   - incident templates know {{ a.b }}, the escape filter, comments and
//     {% if [not] a.b %} with elseif, else and endif; other Twig syntax is
//     left as it is;
//   - no mail, Nexmo or Slack is sent: component status events are only
//     counted; maintenance-mode suppression, the always_authenticate
//     setting and maintenance mode (503) are not modelled;
//   - /version does not call GitHub (the latest release is v2.4.1);
//   - CORS preflights (Origin plus Access-Control-Request-Method) get
//     Laravel's plain OPTIONS answer instead of laravel-cors' headers;
//   - incident meta keys come back sorted, not in the order sent;
//   - dates are parsed with the format letters Cachet uses (Y m n d j H G
//     i); a local time in a daylight-saving gap is resolved as Go does;
//   - error pages for clients that do not accept JSON are a short HTML
//     page, not Laravel's.
package cachettest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultToken is the API token the emulator accepts unless WithToken is used.
const DefaultToken = "cachettest-token"

type options struct {
	token      string
	version    string
	latency    time.Duration
	jitter     time.Duration
	faults     float64
	seed       int64
	seeded     bool
	retryAfter int
	clock      func() time.Time
	php        *PHPModel                                  // WithPHPModel
	sleep      func(ctx context.Context, d time.Duration) // WithSleeper
	errs       []string                                   // invalid options, reported by New
}

func (o *options) bad(format string, args ...any) {
	o.errs = append(o.errs, fmt.Sprintf(format, args...))
}

// newOptions applies opts and reports the invalid ones.
func newOptions(opts []Option) (options, error) {
	o := options{token: DefaultToken, version: "2.4", retryAfter: 1}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.errs) > 0 {
		return o, fmt.Errorf("cachettest: %s", strings.Join(o.errs, "; "))
	}
	return o, nil
}

// Option configures an Emulator.
type Option func(*options)

// WithToken sets the accepted X-Cachet-Token (default DefaultToken).
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithVersion selects the emulated Cachet: "2.4" (default), "2.3", or "3"
// for Cachet 3.x (cachethq/core, a preview pinned to the contract's commit),
// served under /api. Anything else (e.g. "v2.3" or "2.3.18") is refused by
// New and Start.
func WithVersion(v string) Option {
	return func(o *options) {
		if v != "2.4" && v != "2.3" && v != "3" {
			o.bad(`WithVersion(%q): want "2.4", "2.3" or "3"`, v)
		}
		o.version = v
	}
}

// WithLatency delays every API request by fixed plus a uniform random
// duration in [0, jitter). Negative durations are refused.
func WithLatency(fixed, jitter time.Duration) Option {
	return func(o *options) {
		if fixed < 0 || jitter < 0 {
			o.bad("WithLatency(%v, %v): durations must not be negative", fixed, jitter)
		}
		o.latency, o.jitter = fixed, jitter
	}
}

// WithFaults sets the fraction of API requests that fail at random, from 0
// (none) to 1 (all); anything outside is refused (a rate of 2 is not 2%:
// write 0.02).
func WithFaults(rate float64) Option {
	return func(o *options) {
		if !(rate >= 0 && rate <= 1) {
			o.bad("WithFaults(%v): the rate is a fraction from 0 to 1 (0.02 is 2%%)", rate)
		}
		o.faults = rate
	}
}

// WithSeed makes latency jitter, faults and generated secrets reproducible.
func WithSeed(seed int64) Option { return func(o *options) { o.seed, o.seeded = seed, true } }

// WithRetryAfter sets the Retry-After value, in seconds, sent with injected
// 429 and 503 faults (default 1; 0 is allowed, negative is refused).
func WithRetryAfter(seconds int) Option {
	return func(o *options) {
		if seconds < 0 {
			o.bad("WithRetryAfter(%d): must not be negative", seconds)
		}
		o.retryAfter = max(seconds, 0)
	}
}

// WithClock makes the emulator read the current time from clock instead of
// the system clock, so timestamps, metric point de-duplication windows and
// incident durations are reproducible in tests.
func WithClock(clock func() time.Time) Option { return func(o *options) { o.clock = clock } }

// Stats counts the API requests received, by method.
type Stats struct {
	Requests map[string]int `json:"requests"`
}

// Emulator is an in-memory Cachet API v1. It is an http.Handler serving
// /api/v1/... and /_emulator/stats, safe for concurrent use.
type Emulator struct {
	opts      options
	v23       bool
	faultBits atomic.Uint64
	seq       atomic.Uint64

	statsMu sync.Mutex
	stats   map[string]int

	mu  sync.RWMutex
	st  store
	rnd *rand.Rand // guarded by mu (write lock)

	zones sync.Map // Time-Zone header -> *time.Location

	recMu     sync.Mutex
	requests  []*Request
	recDrop   int // requests dropped from the front of the record
	targeted  []*targetFault
	inspector inspector

	v3 *v3state // the 3.x mode (v3_*.go); nil in 2.x mode

	php *phpPool // WithPHPModel; nil without
}

// New returns an empty emulator. It panics on an invalid option, with a
// message naming it (Start fails the test instead).
func New(opts ...Option) *Emulator {
	o, err := newOptions(opts)
	if err != nil {
		panic(err)
	}
	return newEmulator(o)
}

func newEmulator(o options) *Emulator {
	if !o.seeded {
		o.seed = rand.Int64()
	}
	e := &Emulator{
		opts:  o,
		v23:   strings.HasPrefix(o.version, "2.3"),
		stats: map[string]int{},
		st:    newStore(),
		rnd:   rand.New(rand.NewPCG(uint64(o.seed), 0x63616368657474)),
	}
	if o.version == "3" {
		e.v3 = newV3State(o.token)
	}
	if o.php != nil {
		e.php = newPHPPool(*o.php)
	}
	e.SetFaults(o.faults)
	e.inspector.e = e
	return e
}

// Token returns the accepted API token.
func (e *Emulator) Token() string { return e.opts.token }

// SetFaults changes the fault rate at run time (0 turns faults off).
func (e *Emulator) SetFaults(rate float64) {
	e.faultBits.Store(math.Float64bits(min(max(rate, 0), 1)))
}

// Stats returns the number of API requests received per method, including
// faulted ones. GET, POST, PUT and DELETE are always present.
func (e *Emulator) Stats() Stats {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	s := Stats{Requests: map[string]int{"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}}
	for k, v := range e.stats {
		s.Requests[k] = v
	}
	return s
}

// ResetStats sets every request counter to zero.
func (e *Emulator) ResetStats() {
	e.statsMu.Lock()
	clear(e.stats)
	e.statsMu.Unlock()
}

// now is the emulator's clock, to the second (the precision of Cachet's
// timestamp columns).
func (e *Emulator) now() time.Time {
	if e.opts.clock != nil {
		return e.opts.clock().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == "/_emulator/stats" {
		e.serveStats(w, r)
		return
	}
	if e.v3 != nil && !inV3API(path) || e.v3 == nil && path != "/api/v1" && !strings.HasPrefix(path, "/api/v1/") {
		errResp(http.StatusNotFound, "").write(w)
		return
	}
	e.statsMu.Lock()
	e.stats[r.Method]++
	e.statsMu.Unlock()

	rec := e.record(r)
	w = &statusWriter{ResponseWriter: w, rec: rec, e: e}
	f := e.decide(e.seq.Add(1) - 1)
	if tf, ok := e.targetedFault(r); ok {
		tf.delay = f.delay
		f = tf
	}
	if f.delay > 0 {
		t := time.NewTimer(f.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case f.kind == faultDrop:
		if f.afterApply {
			e.serveAPI(discard{h: http.Header{}}, r) // the write lands, the answer is lost
		}
		dropConnection(w)
		return
	case f.kind != faultNone && f.afterApply:
		e.serveAPI(discard{h: http.Header{}}, r)
		e.faultStatus(f).write(w)
		return
	case f.kind != faultNone:
		e.faultStatus(f).write(w)
		return
	}
	if e.php != nil {
		e.servePHP(w, r, e.serveAPI)
		return
	}
	e.serveAPI(w, r)
}

func (e *Emulator) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rs := errResp(http.StatusMethodNotAllowed, "")
		rs.header = http.Header{"Allow": {"GET, HEAD"}}
		rs.write(w)
		return
	}
	s := e.Stats()
	jw := &jw{}
	jw.obj()
	jw.key("requests")
	jw.obj()
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		jw.kint(m, s.Requests[m])
	}
	for m, n := range s.Requests {
		switch m {
		case "GET", "POST", "PUT", "DELETE":
		default:
			jw.kint(m, n)
		}
	}
	jw.endObj()
	jw.endObj()
	resp{status: http.StatusOK, body: jw.b}.write(w)
}

type faultKind int

const (
	faultNone faultKind = iota
	fault500
	fault502
	fault503
	fault429
	faultDrop
	faultCustom // AddFault with a status
)

type fault struct {
	kind       faultKind
	afterApply bool
	delay      time.Duration
	status     int // faultStatus: the status to answer
}

// faultStatus answers f: a chosen status (AddFault) or a random fault's.
func (e *Emulator) faultStatus(f fault) resp {
	if f.kind != faultCustom {
		return e.faultResp(f.kind)
	}
	switch f.status {
	case http.StatusBadGateway:
		return e.faultResp(fault502)
	case http.StatusServiceUnavailable:
		return e.faultResp(fault503)
	case http.StatusTooManyRequests:
		return e.faultResp(fault429)
	}
	return errResp(f.status, "")
}

// mix is SplitMix64 over (seed, n, salt): a counter-based generator, so the
// decision for request n does not depend on goroutine scheduling.
func mix(seed int64, n, salt uint64) uint64 {
	z := uint64(seed) ^ (n+1)*0x9e3779b97f4a7c15 ^ salt*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func unit(x uint64) float64 { return float64(x>>11) / (1 << 53) }

// decide derives the latency and fault of API request n from the seed.
func (e *Emulator) decide(n uint64) fault {
	f := fault{delay: e.opts.latency}
	if e.opts.jitter > 0 {
		f.delay += time.Duration(unit(mix(e.opts.seed, n, 1)) * float64(e.opts.jitter))
	}
	rate := math.Float64frombits(e.faultBits.Load())
	if rate <= 0 || unit(mix(e.opts.seed, n, 2)) >= rate {
		return f
	}
	f.kind = faultKind(1 + mix(e.opts.seed, n, 3)%5)
	if f.kind != fault429 {
		f.afterApply = mix(e.opts.seed, n, 4)&1 == 1
	}
	return f
}

func (e *Emulator) faultResp(k faultKind) resp {
	ra := http.Header{"Retry-After": {strconv.Itoa(e.opts.retryAfter)}}
	switch k {
	case fault502:
		// A proxy in front of Cachet answers with its own HTML page.
		return resp{status: http.StatusBadGateway, html: true,
			body: []byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")}
	case fault503:
		r := errResp(http.StatusServiceUnavailable, "")
		r.header = ra
		return r
	case fault429:
		r := errResp(http.StatusTooManyRequests, "")
		r.header = ra
		return r
	}
	return errResp(http.StatusInternalServerError, "")
}

// dropConnection closes the connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discard is a ResponseWriter that throws the response away.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

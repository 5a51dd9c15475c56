package cachet

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cachetsync/cachetsync/internal/httpx"
	"github.com/cachetsync/cachetsync/internal/safetext"
)

// Default settings of a Client.
const (
	DefaultTimeout = 30 * time.Second
	apiPrefix      = "/api/v1"

	// DefaultMaxBodyBytes is the largest response body a client reads
	// unless WithMaxBodyBytes says otherwise.
	DefaultMaxBodyBytes = 64 << 20

	// MinTokenLength is the shortest API token New accepts. Cachet's
	// tokens are 20 characters; a shorter one could not be told from the
	// words of an error message when it is redacted.
	MinTokenLength = httpx.MinSecretLength

	// smallBodyBytes is how much of a response body is read without a
	// big-body slot; bigBodySlots is how many larger bodies are read and
	// decoded at once. Together they bound the memory of concurrent reads:
	// about concurrency × smallBodyBytes + bigBodySlots × (maxBodyBytes and
	// its decoding), whatever the server sends.
	smallBodyBytes = 1 << 20
	bigBodySlots   = 1

	maxIdleConnsPerHost = 64 // apply's largest --parallelism

	// MaxRetryAfter is the longest Retry-After a client waits; a longer
	// one (Laravel's maintenance mode sends an hour) fails at once.
	MaxRetryAfter = time.Minute
)

// Client talks to one Cachet instance through its API v1. It is safe for
// concurrent use. Create it with New or NewFromEnv.
type Client struct {
	Components        *ComponentsService
	Groups            *GroupsService
	Incidents         *IncidentsService
	IncidentUpdates   *IncidentUpdatesService
	IncidentTemplates *IncidentTemplatesService
	Metrics           *MetricsService
	MetricPoints      *MetricPointsService
	Subscribers       *SubscribersService
	Subscriptions     *SubscriptionsService
	Schedules         *SchedulesService

	base      *url.URL // scheme://host/.../api/v1, no trailing slash
	token     string
	userAgent string
	http      *http.Client
	retry     RetryPolicy
	maxBody   int64
	readOnly  bool
	version   atomic.Value  // "2.3" or "2.4" once known
	timeout   time.Duration // bounds one request, retries and waits included
	bigBodies chan struct{} // big-body slots (see bigBodySlots)
	debug     io.Writer     // WithDebug (one lock shared with its transport): also told of every retry and its wait
}

// lockedWriter serializes whole writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// refuseWrite fails a write of a read-only client before the reads some
// updates make first.
func (c *Client) refuseWrite(method, path string) error {
	if c.readOnly {
		return fmt.Errorf("%s %s: %w", method, c.base.Path+path, ErrReadOnly)
	}
	return nil
}

// Option configures a Client in New.
type Option func(*config)

type config struct {
	httpClient *http.Client
	timeout    time.Duration
	timeoutSet bool
	insecure   bool
	caFile     string
	userAgent  string
	retry      RetryPolicy
	readOnly   bool
	rateLimit  float64
	debug      io.Writer
	maxBody    int64
	version    string
}

// WithHTTPClient uses hc (a shallow copy of it) to send requests. Its
// transport is wrapped for read-only mode, rate limiting and tracing, and
// its CheckRedirect is replaced: the client follows no redirect.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithTimeout sets the timeout of each request (default 30s): its attempts,
// their retries and the waits between them all end within it, so a silent
// server costs one timeout, not attempts × timeout. A duration <= 0 makes
// New fail: a client never waits forever.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout, c.timeoutSet = d, true }
}

// WithInsecureSkipVerify disables TLS certificate verification.
func WithInsecureSkipVerify() Option { return func(c *config) { c.insecure = true } }

// WithCACertFile trusts the PEM certificates in path in addition to the
// system roots.
func WithCACertFile(path string) Option { return func(c *config) { c.caFile = path } }

// WithUserAgent sets the User-Agent header (default "cachetsync-go/<version>").
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithRetry sets the retry policy (default: 4 attempts, backoff 200ms..5s).
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithReadOnly makes the transport refuse every request but GET and HEAD
// with an error wrapping ErrReadOnly, before any byte leaves the process.
func WithReadOnly() Option { return func(c *config) { c.readOnly = true } }

// WithRateLimit limits all requests (retries included) to perSecond on
// average; 0 means no limit.
func WithRateLimit(perSecond float64) Option { return func(c *config) { c.rateLimit = perSecond } }

// WithServerVersion tells the client the server runs Cachet "2.3" or "2.4",
// so that it never probes for it (see ServerVersion). Any other value makes
// New fail.
func WithServerVersion(v string) Option { return func(c *config) { c.version = v } }

// WithMaxBodyBytes sets the largest response body the client reads (default
// DefaultMaxBodyBytes). A larger answer fails with an error wrapping
// ErrBodyTooLarge instead of being cut; read smaller pages (a lower
// ListOptions.PerPage) or raise the limit. n must be positive.
func WithMaxBodyBytes(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithDebug writes one trace line per HTTP attempt to w: method, path and
// query, status, duration and request headers, with the token redacted;
// and one line per retry with its reason and the wait before it.
func WithDebug(w io.Writer) Option { return func(c *config) { c.debug = w } }

// New returns a client for the API at endpoint, which must be an http(s)
// URL whose path ends in /api/v1 (a trailing slash is fine). token is sent
// in the X-Cachet-Token header; it may be empty for public reads.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	cfg := config{
		timeout:   DefaultTimeout,
		userAgent: defaultUserAgent(),
		retry:     DefaultRetryPolicy,
		maxBody:   DefaultMaxBodyBytes,
	}
	for _, o := range opts {
		o(&cfg)
	}
	base, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.timeoutSet && cfg.timeout <= 0 {
		return nil, fmt.Errorf("cachet: timeout must be positive, got %v", cfg.timeout)
	}
	if err := cfg.retry.validate(); err != nil {
		return nil, err
	}
	if cfg.rateLimit < 0 {
		return nil, fmt.Errorf("cachet: rate limit must not be negative, got %v", cfg.rateLimit)
	}
	if strings.ContainsAny(token, "\r\n") {
		return nil, errors.New("cachet: token contains a line break")
	}
	if token != "" && len(token) < MinTokenLength {
		return nil, fmt.Errorf("cachet: the API token is %d characters long, shorter than %d: Cachet's tokens are 20, and so short a token could not be redacted from messages without hiding ordinary words", len(token), MinTokenLength)
	}
	if cfg.version != "" && cfg.version != "2.3" && cfg.version != "2.4" {
		return nil, fmt.Errorf("cachet: server version %q: want \"2.3\" or \"2.4\"", cfg.version)
	}
	if cfg.maxBody <= 0 {
		return nil, fmt.Errorf("cachet: the response body limit must be positive, got %d", cfg.maxBody)
	}

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	if cfg.timeoutSet || hc.Timeout <= 0 {
		hc.Timeout = cfg.timeout // a caller's own client keeps its timeout unless WithTimeout is given
	}
	// Redirects are never followed, not even by a caller's own client: Go
	// would forward X-Cachet-Token to another host or over plain http, and
	// turn a PUT or DELETE answered 301/302 into a GET. A 3xx is returned
	// as an error naming its Location (see redirectError).
	hc.CheckRedirect = httpx.RefuseRedirects
	rt, err := cfg.baseTransport(hc.Transport)
	if err != nil {
		return nil, err
	}
	if cfg.rateLimit > 0 {
		rt = &httpx.RateLimit{Next: rt, Limiter: newLimiter(cfg.rateLimit), Name: "cachet"}
	}
	if cfg.readOnly {
		rt = &httpx.ReadOnly{Next: rt, Err: ErrReadOnly}
	}
	if cfg.debug != nil {
		cfg.debug = &lockedWriter{w: cfg.debug}
		rt = &httpx.Debug{Next: rt, W: cfg.debug, Secret: token, Name: "cachet"}
	}
	hc.Transport = rt

	c := &Client{
		base:      base,
		token:     token,
		userAgent: cfg.userAgent,
		http:      &hc,
		retry:     cfg.retry.withDefaults(),
		maxBody:   cfg.maxBody,
		readOnly:  cfg.readOnly,
		debug:     cfg.debug,
		timeout:   hc.Timeout,
		bigBodies: make(chan struct{}, bigBodySlots),
	}
	if cfg.version != "" {
		c.version.Store(cfg.version)
	}
	c.Components = &ComponentsService{c}
	c.Groups = &GroupsService{c}
	c.Incidents = &IncidentsService{c}
	c.IncidentUpdates = &IncidentUpdatesService{c}
	c.IncidentTemplates = &IncidentTemplatesService{c}
	c.Metrics = &MetricsService{c}
	c.MetricPoints = &MetricPointsService{c}
	c.Subscribers = &SubscribersService{c}
	c.Subscriptions = &SubscriptionsService{c}
	c.Schedules = &SchedulesService{c}
	return c, nil
}

// Environment variables read by NewFromEnv.
const (
	EnvEndpoint = "CACHET_ENDPOINT"
	EnvToken    = "CACHET_API_TOKEN"
)

// NewFromEnv is New with the endpoint from $CACHET_ENDPOINT and the token
// from $CACHET_API_TOKEN.
func NewFromEnv(opts ...Option) (*Client, error) {
	ep := os.Getenv(EnvEndpoint)
	if ep == "" {
		return nil, fmt.Errorf("cachet: %s is not set", EnvEndpoint)
	}
	return New(ep, os.Getenv(EnvToken), opts...)
}

// Endpoint returns the API base URL, ending in /api/v1.
func (c *Client) Endpoint() string { return c.base.String() }

func parseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("cachet: bad endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("cachet: endpoint %q: scheme must be http or https", u.Redacted())
	}
	if u.Host == "" {
		return nil, fmt.Errorf("cachet: endpoint %q has no host", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cachet: endpoint %q must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if !strings.HasSuffix(u.Path, apiPrefix) {
		return nil, fmt.Errorf("cachet: endpoint %q must end in %s", u.Redacted(), apiPrefix)
	}
	return u, nil
}

func defaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == "github.com/cachetsync/cachetsync" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/cachetsync/cachetsync" {
				v = d.Version
			}
		}
	}
	return "cachetsync-go/" + v
}

// baseTransport applies the TLS options to rt (or the default transport).
func (cfg *config) baseTransport(rt http.RoundTripper) (http.RoundTripper, error) {
	if rt == nil {
		// Our own transport keeps enough idle connections to the one host
		// for parallel reads and writes (the default keeps 2), so a busy
		// apply does not pay a TCP and TLS handshake per call.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		rt = t
	}
	if !cfg.insecure && cfg.caFile == "" {
		return rt, nil
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return nil, errors.New("cachet: TLS options need an *http.Transport")
	}
	t = t.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.insecure {
		t.TLSClientConfig.InsecureSkipVerify = true
	}
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, fmt.Errorf("cachet: CA bundle: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("cachet: CA bundle %s holds no PEM certificate", cfg.caFile)
		}
		t.TLSClientConfig.RootCAs = pool
	}
	return t, nil
}

// request describes one API call.
type request struct {
	method string
	path   string // below /api/v1, starting with "/"
	query  url.Values
	body   any // marshalled as JSON when non-nil
	out    any // the envelope's "data" is decoded into it when non-nil
	meta   any // the envelope's "meta" is decoded into it when non-nil
	status int // set to the final HTTP status
}

// target is the request path and query as messages show them, e.g.
// /api/v1/components?per_page=1: the same form for every error.
func (c *Client) target(r *request) string {
	u := url.URL{Path: c.base.Path + r.path, RawQuery: r.query.Encode()}
	return u.RequestURI()
}

func (c *Client) url(path string, q url.Values) string {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = q.Encode()
	return u.String()
}

func (c *Client) newHTTPRequest(ctx context.Context, r *request, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.url(r.path, r.query), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	// Presenter timestamps are rendered, and Y-m-d H:i inputs read, in UTC.
	req.Header.Set("Time-Zone", "UTC")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("X-Cachet-Token", c.token)
	}
	return req, nil
}

// do sends r with retries and decodes the response.
func (c *Client) do(ctx context.Context, r *request) error {
	return c.redact(c.doRaw(ctx, r))
}

func (c *Client) doRaw(ctx context.Context, r *request) error {
	path := c.target(r) // for messages
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("cachet: %s %s: encoding body: %w", r.method, path, err)
		}
	}
	// One deadline for the whole request: attempts, retries and waits.
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	idempotent := r.method != http.MethodPost
	read := r.method == http.MethodGet || r.method == http.MethodHead
	maybeApplied := false // an earlier attempt of a write may have been applied
	var lastErr error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			wait := c.retry.backoff(attempt)
			var ae *APIError
			if errors.As(lastErr, &ae) && ae.RetryAfter > 0 {
				if ae.RetryAfter > MaxRetryAfter {
					return c.finalErr(r, maybeApplied, fmt.Errorf("cachet: %s %s: the server asks to retry after %v (maintenance mode?), longer than this client waits (%v): %w",
						r.method, path, ae.RetryAfter, MaxRetryAfter, lastErr))
				}
				wait = ae.RetryAfter
			}
			c.traceRetry(r.method, path, attempt, wait, lastErr)
			if err := sleepCtx(ctx, wait); err != nil {
				return c.finalErr(r, maybeApplied, fmt.Errorf("cachet: %s %s: gave up waiting to retry (%w) after: %w", r.method, path, err, lastErr))
			}
		}
		req, err := c.newHTTPRequest(ctx, r, body)
		if err != nil {
			return fmt.Errorf("cachet: %s %s: %w", r.method, path, err)
		}
		resp, err := c.http.Do(req)
		var data []byte
		tooLarge := false
		release := func() {}
		if err == nil {
			data, tooLarge, release, err = c.readBody(ctx, resp)
			resp.Body.Close()
		}
		if err != nil {
			release()
			if errors.Is(err, ErrReadOnly) {
				return err
			}
			if ctx.Err() != nil && c.timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				err = fmt.Errorf("no complete answer within %v (the timeout of one request, retries included): %w", c.timeout, stripURLError(err))
			}
			lastErr = fmt.Errorf("cachet: %s %s: %w", r.method, path, stripURLError(err))
			notSent := isDialError(err)
			if !notSent {
				maybeApplied = true
			}
			if ctx.Err() != nil || attempt+1 >= c.retry.MaxAttempts || !(idempotent || notSent) || isCertificateError(err) {
				return c.finalErr(r, maybeApplied, lastErr)
			}
			continue
		}

		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			release()
			// Not applied: the write was not forwarded anywhere.
			return c.finalErr(r, maybeApplied, redirectError(r.method, req.URL, resp))
		}
		r.status = resp.StatusCode
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			var err error
			switch {
			case tooLarge:
				// No retry: the same answer would come again.
				err = &bodyTooLargeError{method: r.method, path: path, limit: c.maxBody}
			default:
				if err = proveWrite(r.method, req.URL.RequestURI(), resp.StatusCode, data); err == nil {
					err = decodeEnvelope(r, path, resp.StatusCode, data)
				}
			}
			release()
			if err != nil && !read {
				// A 2xx that is not Cachet's answer: the write may or may
				// not have happened; it is not reported as applied.
				return httpx.Ambiguous(err)
			}
			return err
		}
		release()
		apiErr := parseAPIError(r.method, req.URL.RequestURI(), resp, data)
		if r.method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && maybeApplied {
			return nil // an earlier ambiguous attempt did delete it
		}
		lastErr = apiErr
		retryable := false
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			retryable = true // the server surely did not act
		case http.StatusInternalServerError:
			retryable = read // a read changes nothing; a write may have half-happened
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retryable = idempotent
		}
		if resp.StatusCode >= 500 {
			maybeApplied = true
		}
		if !retryable || attempt+1 >= c.retry.MaxAttempts {
			return c.finalErr(r, maybeApplied, lastErr)
		}
	}
}

// traceRetry writes, with WithDebug, why a request is sent again and how
// long the client waits first: a plan that takes long with little CPU
// shows its waits here (a refused or reset connection, a 429 or 503 and its
// Retry-After).
func (c *Client) traceRetry(method, path string, attempt int, wait time.Duration, reason error) {
	if c.debug == nil {
		return
	}
	why := strings.TrimPrefix(reason.Error(), "cachet: "+method+" "+path+": ")
	line := fmt.Sprintf("cachet: retry %d of %d for %s %s in %s after: %s\n", attempt, c.retry.MaxAttempts-1, method, path, wait.Round(time.Millisecond), why)
	io.WriteString(c.debug, httpx.Redact(line, c.token))
}

// readBody reads resp's body within the client's memory bounds: the first
// smallBodyBytes freely, anything longer only while holding one of the
// client's big-body slots, and never more than c.maxBody bytes; tooLarge
// reports a longer body (data then holds its start). release frees the
// slot; call it once the data is decoded.
func (c *Client) readBody(ctx context.Context, resp *http.Response) (data []byte, tooLarge bool, release func(), err error) {
	release = func() {}
	small := min(smallBodyBytes, c.maxBody)
	size := int64(4 << 10)
	if resp.ContentLength > 0 {
		size = min(resp.ContentLength+1, small+1)
	}
	buf, err := readUpTo(resp.Body, make([]byte, 0, size), small+1)
	if err != nil {
		return nil, false, release, fmt.Errorf("reading response: %w", err)
	}
	if int64(len(buf)) <= small {
		return buf, false, release, nil
	}
	if resp.ContentLength > c.maxBody {
		return buf[:small], true, release, nil // announced too large: not read
	}
	select {
	case c.bigBodies <- struct{}{}:
	case <-ctx.Done():
		return nil, false, release, fmt.Errorf("reading response: waiting to read a large body: %w", ctx.Err())
	}
	release = func() { <-c.bigBodies }
	if buf, err = readUpTo(resp.Body, buf, c.maxBody+1); err != nil {
		return nil, false, release, fmt.Errorf("reading response: %w", err)
	}
	if int64(len(buf)) > c.maxBody {
		return buf[:c.maxBody], true, release, nil
	}
	return buf, false, release, nil
}

// readUpTo appends r's bytes to buf until EOF or until buf holds limit
// bytes. The buffer doubles as it fills but never beyond limit, so a body
// cut at the limit costs limit bytes, not twice as many.
func readUpTo(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			bigger := make([]byte, len(buf), min(int64(max(2*cap(buf), 4<<10)), limit))
			copy(bigger, buf)
			buf = bigger
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// redirectError describes a 3xx answer, which is never followed: its
// Location is named so that the endpoint can be corrected.
func redirectError(method string, from *url.URL, resp *http.Response) error {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("cachet: %s %s: the server answered %s without a Location; redirects are not followed",
			method, from.Path, resp.Status)
	}
	target, err := from.Parse(loc)
	if err != nil {
		return fmt.Errorf("cachet: %s %s: the server answered %d with an unreadable Location %s; redirects are not followed",
			method, from.Path, resp.StatusCode, strconv.Quote(loc))
	}
	target.User = nil
	hint := ""
	if i := strings.LastIndex(target.Path, apiPrefix); i >= 0 {
		ep := *target
		ep.Path, ep.RawPath, ep.RawQuery, ep.Fragment = target.Path[:i+len(apiPrefix)], "", "", ""
		hint = "; use that endpoint: " + ep.String()
	}
	return fmt.Errorf("cachet: %s %s: the endpoint redirects (%d) to %s%s (redirects are not followed, so the token is not sent there and no write is redirected)",
		method, from.Path, resp.StatusCode, safetext.Line(target.String()), safetext.Line(hint))
}

// proveWrite checks that a 2xx answer to a write is the one Cachet gives
// when the write happened (app/Http/Controllers/Api/AbstractApiController.php,
// 2.4 and 2.3): item() answers POST and PUT with 200 and the object under
// "data"; noContent() answers DELETE with 204. Anything else is not proof.
func proveWrite(method, path string, status int, data []byte) error {
	want := http.StatusOK
	switch method {
	case http.MethodGet, http.MethodHead:
		return nil
	case http.MethodDelete:
		want = http.StatusNoContent
	}
	if status != want {
		return fmt.Errorf("cachet: %s %s: the server answered %d %s (%s), not Cachet's %d to a write, so it is not known to be applied",
			method, path, status, http.StatusText(status), describeBody(data), want)
	}
	if method == http.MethodDelete {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(data, &env) != nil || len(env.Data) == 0 || env.Data[0] != '{' {
		return fmt.Errorf("cachet: %s %s: the server answered %d but not with the written object (%s), so it is not known to be applied",
			method, path, status, describeBody(data))
	}
	return nil
}

// describeBody shows the start of a body for an error message, control
// characters escaped.
func describeBody(data []byte) string {
	if len(bytes.TrimSpace(data)) == 0 {
		return "empty body"
	}
	return "body " + strconv.Quote(snippet(data))
}

// finalErr marks err ambiguous when r is a write that may have been applied.
func (c *Client) finalErr(r *request, maybeApplied bool, err error) error {
	if maybeApplied && r.method != http.MethodGet && r.method != http.MethodHead {
		return httpx.Ambiguous(err)
	}
	return err
}

func decodeEnvelope(r *request, path string, status int, data []byte) error {
	if r.out == nil && r.meta == nil {
		return nil
	}
	if status == http.StatusNoContent || len(bytes.TrimSpace(data)) == 0 {
		if r.out == nil {
			return nil // only meta was asked for, and there is none
		}
		return fmt.Errorf("cachet: %s %s: empty response body (status %d)", r.method, path, status)
	}
	var meta []byte
	fast := false
	switch out := r.out.(type) {
	case *[]wireSubscriber:
		meta, fast = decodeSubscriberPage(data, out)
	case *[]wireComponent:
		meta, fast = decodePage(data, out, decodeComponentAt)
	case *[]wireGroup:
		meta, fast = decodePage(data, out, decodeGroupAt)
	}
	if fast {
		return decodeMeta(r, path, meta)
	}
	// One pass: data decodes straight into r.out, meta stays raw because
	// Cachet sends [] for an empty meta.
	var sink json.RawMessage
	env := struct {
		Meta json.RawMessage `json:"meta"`
		Data any             `json:"data"`
	}{Data: r.out}
	if r.out == nil {
		env.Data = &sink
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("cachet: %s %s: decoding response: %w", r.method, path, err)
	}
	if r.out != nil && env.Data == nil {
		return fmt.Errorf("cachet: %s %s: response has no data", r.method, path)
	}
	return decodeMeta(r, path, env.Meta)
}

// decodeMeta decodes an envelope's raw meta into r.meta, if asked for.
func decodeMeta(r *request, path string, meta []byte) error {
	if r.meta != nil && len(meta) > 0 && !isNullOrEmptyArray(meta) {
		if err := json.Unmarshal(meta, r.meta); err != nil {
			return fmt.Errorf("cachet: %s %s: decoding meta: %w", r.method, path, err)
		}
	}
	return nil
}

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
var parseRetryAfter = httpx.ParseRetryAfter

// redact removes the token from err's message, keeping its chain.
func (c *Client) redact(err error) error { return httpx.RedactError(err, c.token) }

// doOne sends one request whose data is a single object.
func doOne[T any, W wireModel[T]](ctx context.Context, c *Client, method, path string, body any) (T, error) {
	var w W
	var zero T
	if err := c.do(ctx, &request{method: method, path: path, body: body, out: &w}); err != nil {
		return zero, err
	}
	// The object answered must be the one asked for: a write is reported
	// applied only with its object's id (for PUT and GET, the id asked).
	id := w.key()
	want := 0
	if method != http.MethodPost {
		want, _ = strconv.Atoi(path[strings.LastIndexByte(path, '/')+1:])
	}
	if id <= 0 || (want > 0 && id != want) {
		err := fmt.Errorf("cachet: %s %s%s: the answer is not the object asked for (id %d)", method, c.base.Path, path, id)
		if method != http.MethodGet {
			return zero, httpx.Ambiguous(err)
		}
		return zero, err
	}
	return w.model(), nil
}

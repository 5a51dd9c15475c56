package cachet3

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cachetsync/cachetsync/internal/httpx"
)

// Defaults of a Client.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultRateLimit is the server's default limit, requests per minute
	// (CACHET_API_RATE_LIMIT, core:config/cachet.php:132).
	DefaultRateLimit = 300
	// DefaultReadAhead bounds the pages All reads at once (per list).
	// All asks for no page past the highest id's bound, so a wider window
	// costs no wasted request where ids are dense.
	DefaultReadAhead = 16
	// MaxRetryAfter is the longest Retry-After the client waits; Laravel's
	// throttle asks for at most a minute.
	MaxRetryAfter = 90 * time.Second

	maxBodyBytes = 64 << 20
)

// Client talks to one Cachet 3.x API. It is safe for concurrent use.
type Client struct {
	Components      *ComponentsService
	Groups          *GroupsService
	Incidents       *IncidentsService
	IncidentUpdates *IncidentUpdatesService
	Metrics         *MetricsService
	MetricPoints    *MetricPointsService
	Schedules       *SchedulesService
	Subscribers     *SubscribersService

	base      *url.URL // scheme://host/.../api, no trailing slash
	token     string
	userAgent string
	http      *http.Client
	retry     RetryPolicy
	readAhead int
	readOnly  bool
	limiter   httpx.Waiter // nil: no client-side limit
}

// RetryPolicy bounds the retries of a request: GET, PUT and DELETE are
// retried on connection errors, 429, 502, 503 and 504; POST only on 429 or
// when the connection could not be made. Waits grow exponentially from
// MinBackoff to MaxBackoff with full jitter; a Retry-After replaces them.
type RetryPolicy struct {
	MaxAttempts int // total attempts, >= 1
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
}

// DefaultRetryPolicy is used when WithRetry is not given.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MinBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second}

// Option configures a Client in New.
type Option func(*config)

type config struct {
	httpClient *http.Client
	timeout    time.Duration
	userAgent  string
	retry      RetryPolicy
	readOnly   bool
	rateN      int
	ratePer    time.Duration
	readAhead  int
	debug      io.Writer
}

// WithHTTPClient sends requests with a shallow copy of hc; its transport is
// wrapped for read-only mode, rate limiting and tracing.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithTimeout sets the timeout of each attempt (default 30s; must be > 0).
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithRetry sets the retry policy (default DefaultRetryPolicy).
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithReadOnly makes the transport refuse every request but GET and HEAD
// with an error wrapping ErrReadOnly, before any byte is sent.
func WithReadOnly() Option { return func(c *config) { c.readOnly = true } }

// WithRateLimit lets at most n requests (retries included) start in any
// span of per (default DefaultRateLimit a minute, the server's own limit,
// which Laravel counts in fixed windows). n <= 0 turns the limiter off.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.rateN, c.ratePer = n, per }
}

// WithReadAhead sets how many requests All keeps in flight (default
// DefaultReadAhead; 1 reads one page after the other).
func WithReadAhead(n int) Option { return func(c *config) { c.readAhead = n } }

// WithDebug writes one line per attempt to w, the token redacted.
func WithDebug(w io.Writer) Option { return func(c *config) { c.debug = w } }

// New returns a client of the API at endpoint, an http(s) URL whose path
// ends in /api (e.g. https://status.example.com/api, or .../status/api with
// CACHET_PATH=status). token is a Sanctum token ("<id>|<secret>"); it may
// be empty for guest reads.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	cfg := config{timeout: DefaultTimeout, userAgent: "cachetsync-go", retry: DefaultRetryPolicy,
		rateN: DefaultRateLimit, ratePer: time.Minute, readAhead: DefaultReadAhead}
	for _, o := range opts {
		o(&cfg)
	}
	base, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("cachet3: timeout must be positive, got %v", cfg.timeout)
	}
	if cfg.retry.MaxAttempts < 1 || cfg.retry.MinBackoff < 0 || cfg.retry.MaxBackoff < 0 {
		return nil, fmt.Errorf("cachet3: bad retry policy %+v", cfg.retry)
	}
	if cfg.rateN > 0 && cfg.ratePer <= 0 {
		return nil, fmt.Errorf("cachet3: rate limit span must be positive, got %v", cfg.ratePer)
	}
	if cfg.readAhead < 1 {
		return nil, fmt.Errorf("cachet3: read-ahead must be at least 1, got %d", cfg.readAhead)
	}
	if strings.ContainsAny(token, "\r\n") {
		return nil, errors.New("cachet3: token contains a line break")
	}
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	hc.Timeout = cfg.timeout
	hc.CheckRedirect = httpx.RefuseRedirects // the token never leaves the endpoint's origin
	rt := hc.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		rt = t
	}
	if cfg.readOnly {
		rt = &httpx.ReadOnly{Next: rt, Err: ErrReadOnly}
	}
	if cfg.debug != nil {
		rt = &httpx.Debug{Next: rt, W: cfg.debug, Secret: token, Name: "cachet3"}
	}
	hc.Transport = rt
	c := &Client{base: base, token: token, userAgent: cfg.userAgent, http: &hc, retry: cfg.retry, readAhead: cfg.readAhead, readOnly: cfg.readOnly}
	if cfg.rateN > 0 {
		// Not in the transport: a wait of up to a minute for the window
		// must not count against the per-attempt timeout.
		c.limiter = httpx.NewWindow(cfg.rateN, cfg.ratePer)
	}
	c.Components = &ComponentsService{c}
	c.Groups = &GroupsService{c}
	c.Incidents = &IncidentsService{c}
	c.IncidentUpdates = &IncidentUpdatesService{c}
	c.Metrics = &MetricsService{c}
	c.MetricPoints = &MetricPointsService{c}
	c.Schedules = &SchedulesService{c}
	c.Subscribers = &SubscribersService{c}
	return c, nil
}

// Endpoint returns the API base URL, ending in /api.
func (c *Client) Endpoint() string { return c.base.String() }

func parseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("cachet3: bad endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("cachet3: endpoint %q: want an http(s) URL with a host", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cachet3: endpoint %q must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if strings.HasSuffix(u.Path, "/api/v1") {
		return nil, fmt.Errorf("cachet3: endpoint %q is an API v1 (Cachet 2.x) endpoint; Cachet 3.x serves its API at .../api (use package cachet for 2.x)", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/api") {
		return nil, fmt.Errorf("cachet3: endpoint %q must end in /api (e.g. https://status.example.com/api)", u.Redacted())
	}
	return u, nil
}

// request is one API call.
type request struct {
	method  string
	path    string // below the base, starting with "/"
	query   url.Values
	body    any    // JSON-encoded when non-nil
	ability string // the token ability the call needs, for 403 errors
	out     any    // a 2xx body is decoded into it when non-nil: a *document, or a *listDocument
}

// do sends r with retries; a 2xx body is decoded into r.out when set.
func (c *Client) do(ctx context.Context, r *request) (int, error) {
	status, err := c.doRaw(ctx, r)
	return status, httpx.RedactError(err, c.token)
}

func (c *Client) doRaw(ctx context.Context, r *request) (int, error) {
	u := *c.base
	u.Path = c.base.Path + r.path
	u.RawQuery = encodeQuery(r.query)
	full := u.String()
	label := r.method + " " + u.Path
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return 0, fmt.Errorf("cachet3: %s: encoding body: %w", label, err)
		}
	}
	idempotent := r.method != http.MethodPost
	maybeApplied := false
	var lastErr error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			wait := httpx.Backoff(c.retry.MinBackoff, c.retry.MaxBackoff, attempt)
			var ae *APIError
			if errors.As(lastErr, &ae) && ae.RetryAfter > 0 {
				if ae.RetryAfter > MaxRetryAfter {
					return 0, c.final(r, maybeApplied, fmt.Errorf("cachet3: %s: the server asks to retry after %v, longer than this client waits: %w", label, ae.RetryAfter, lastErr))
				}
				wait = ae.RetryAfter
			}
			if err := httpx.Sleep(ctx, wait); err != nil {
				return 0, c.final(r, maybeApplied, fmt.Errorf("cachet3: %s: gave up waiting to retry (%w) after: %w", label, err, lastErr))
			}
		}
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		write := r.method != http.MethodGet && r.method != http.MethodHead
		if c.limiter != nil && !(write && c.readOnly) {
			if err := c.limiter.Wait(ctx); err != nil {
				return 0, c.final(r, maybeApplied, fmt.Errorf("cachet3: %s: rate limit: %w", label, err))
			}
		}
		req, err := http.NewRequestWithContext(ctx, r.method, full, rd)
		if err != nil {
			return 0, fmt.Errorf("cachet3: %s: %w", label, err)
		}
		// Unmatched routes answer HTML unless JSON is asked for.
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", c.userAgent)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := c.http.Do(req)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
			resp.Body.Close()
		}
		if err != nil {
			if errors.Is(err, ErrReadOnly) {
				return 0, err
			}
			lastErr = fmt.Errorf("cachet3: %s: %w", label, httpx.StripURLError(err))
			notSent := httpx.IsDialError(err)
			if !notSent {
				maybeApplied = true
			}
			if ctx.Err() != nil || attempt+1 >= c.retry.MaxAttempts || !(idempotent || notSent) || httpx.IsCertificateError(err) {
				return 0, c.final(r, maybeApplied, lastErr)
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if r.out != nil {
				if err := json.Unmarshal(data, r.out); err != nil {
					return resp.StatusCode, fmt.Errorf("cachet3: %s: decoding response: %w", label, err)
				}
			}
			return resp.StatusCode, nil
		}
		if r.method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && maybeApplied {
			return http.StatusNoContent, nil // an earlier ambiguous attempt deleted it
		}
		lastErr = parseAPIError(r, req.URL.RequestURI(), resp, data)
		retryable := false
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			retryable = true // throttled before the controller ran
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retryable = idempotent
		}
		if resp.StatusCode >= 500 {
			maybeApplied = true
		}
		if !retryable || attempt+1 >= c.retry.MaxAttempts {
			return resp.StatusCode, c.final(r, maybeApplied, lastErr)
		}
	}
}

// encodeQuery encodes q with the brackets of filter[x] left readable.
func encodeQuery(q url.Values) string {
	s := q.Encode()
	return strings.NewReplacer("%5B", "[", "%5D", "]", "%2C", ",").Replace(s)
}

func (c *Client) final(r *request, maybeApplied bool, err error) error {
	if maybeApplied && r.method != http.MethodGet && r.method != http.MethodHead {
		return httpx.Ambiguous(err)
	}
	return err
}

// Ptr returns a pointer to v, for the optional fields of the params types.
func Ptr[T any](v T) *T { return &v }

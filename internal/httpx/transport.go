package httpx

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"time"
)

// ReadOnly is a transport that lets only GET and HEAD requests through;
// any other method fails with Err (wrapped) before a byte is sent.
type ReadOnly struct {
	Next http.RoundTripper
	Err  error
}

// RoundTrip implements http.RoundTripper.
func (t *ReadOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, t.Err)
	}
	return t.Next.RoundTrip(req)
}

// Waiter blocks until one more request may be sent, or ctx is done.
type Waiter interface {
	Wait(ctx context.Context) error
}

// RateLimit is a transport that waits for Limiter before each attempt.
// Name prefixes its errors (e.g. "cachet").
type RateLimit struct {
	Next    http.RoundTripper
	Limiter Waiter
	Name    string
}

// RoundTrip implements http.RoundTripper.
func (t *RateLimit) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.Limiter.Wait(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%s: rate limit: %w", t.Name, err)
	}
	return t.Next.RoundTrip(req)
}

// Spacer is a token bucket holding at most one token, refilled at a fixed
// rate: requests are spaced at least 1/rate apart on average.
type Spacer struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time // earliest time the next request may go
}

// NewSpacer returns a Spacer letting perSecond requests a second through.
func NewSpacer(perSecond float64) *Spacer {
	return &Spacer{interval: time.Duration(float64(time.Second) / perSecond)}
}

// Wait implements Waiter. A caller that gives up hands its slot back when
// no one reserved a later one.
func (l *Spacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := time.Now()
	slot := l.next
	if slot.Before(now) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()

	d := time.Until(slot)
	if d <= 0 {
		return nil
	}
	if err := Sleep(ctx, d); err != nil {
		l.mu.Lock()
		if l.next.Equal(slot.Add(l.interval)) {
			l.next = slot
		}
		l.mu.Unlock()
		return err
	}
	return nil
}

// Window lets at most N requests through in any span of Per: the (N+1)th
// request waits until Per after the request N places before it. A server
// counting requests in fixed windows of Per (as Laravel's throttle does)
// never sees more than N in one of its windows, whatever their alignment,
// while a burst of N goes at once.
type Window struct {
	per  time.Duration
	mu   sync.Mutex
	ring []time.Time // send times of the last N requests, oldest at head
	head int
	full bool
	now  func() time.Time
}

// NewWindow returns a Window of n requests per per. n must be positive.
func NewWindow(n int, per time.Duration) *Window {
	return &Window{per: per, ring: make([]time.Time, n), now: time.Now}
}

// reserve returns the time the next request may go and records it.
func (l *Window) reserve() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	slot := l.now()
	if l.full {
		if earliest := l.ring[l.head].Add(l.per); earliest.After(slot) {
			slot = earliest
		}
	}
	l.ring[l.head] = slot
	l.head++
	if l.head == len(l.ring) {
		l.head, l.full = 0, true
	}
	return slot
}

// Wait implements Waiter. A caller that gives up keeps its reservation, so
// the limiter errs on the side of sending less.
func (l *Window) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return Sleep(ctx, time.Until(l.reserve()))
}

// Debug is a transport that writes one line per attempt to W: method, path
// and query, status or error, duration (and, when the attempt needed them,
// how long its DNS lookup and its new connection took: a slow run with
// little CPU shows there where it waited), and the request headers with
// the secret and the credential headers redacted. Name starts each line.
type Debug struct {
	Next   http.RoundTripper
	W      io.Writer
	Secret string
	Name   string
	mu     sync.Mutex
}

// RoundTrip implements http.RoundTripper.
func (t *Debug) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	var phaseMu sync.Mutex
	var dnsStart, connStart time.Time
	var phases []string
	mark := func(at *time.Time) {
		phaseMu.Lock()
		*at = time.Now()
		phaseMu.Unlock()
	}
	phase := func(name string, since *time.Time) {
		phaseMu.Lock()
		phases = append(phases, name+" "+time.Since(*since).Round(time.Millisecond).String())
		phaseMu.Unlock()
	}
	trace := &httptrace.ClientTrace{
		DNSStart:     func(httptrace.DNSStartInfo) { mark(&dnsStart) },
		DNSDone:      func(httptrace.DNSDoneInfo) { phase("dns", &dnsStart) },
		ConnectStart: func(string, string) { mark(&connStart) },
		ConnectDone:  func(string, string, error) { phase("connect", &connStart) },
	}
	resp, err := t.Next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	d := time.Since(start)
	var outcome string
	if err != nil {
		outcome = "error: " + err.Error()
	} else {
		outcome = fmt.Sprint(resp.StatusCode)
	}
	took := d.Round(time.Millisecond).String()
	phaseMu.Lock()
	if len(phases) > 0 {
		took += "; " + strings.Join(phases, ", ")
	}
	phaseMu.Unlock()
	line := fmt.Sprintf("%s: %s %s -> %s (%s) %s\n",
		t.Name, req.Method, req.URL.RequestURI(), outcome, took, headers(req.Header))
	line = Redact(line, t.Secret)
	t.mu.Lock()
	io.WriteString(t.W, line)
	t.mu.Unlock()
	return resp, err
}

func headers(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.Join(h[k], ",")
		if ck := http.CanonicalHeaderKey(k); ck == "X-Cachet-Token" || ck == "Authorization" {
			v = "[redacted]"
		}
		parts = append(parts, k+": "+v)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// MinSecretLength is the shortest secret Redact replaces: a shorter one
// would hide parts of ordinary words.
const MinSecretLength = 8

// RedactError returns err with every whole occurrence of token in its
// message replaced as Redact does, keeping err's chain for errors.Is/As; err
// itself when the message holds no token.
func RedactError(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	if red := Redact(msg, token); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Redact replaces each whole occurrence of token in s (not preceded
// or followed by a letter or digit) with "[redacted]". A token shorter than
// MinSecretLength is never replaced: it would hide parts of ordinary words.
func Redact(s, token string) string {
	if len(token) < MinSecretLength || !strings.Contains(s, token) {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] is written
	for from := 0; ; {
		i := strings.Index(s[from:], token)
		if i < 0 {
			break
		}
		i += from
		end := i + len(token)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			b.WriteString(s[last:i])
			b.WriteString("[redacted]")
			last, from = end, end
			continue
		}
		from = i + 1
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// RefuseRedirects is a CheckRedirect for an http.Client that follows no
// redirect: the 3xx itself is returned. Go would otherwise forward custom
// auth headers (X-Cachet-Token) to any host, keep Authorization over an
// https to http downgrade on the same host, and turn a PUT or DELETE
// answered 301/302 into a GET whose 200 looks like success.
func RefuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

package cachet

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// readOnlyTransport lets only GET and HEAD requests through.
type readOnlyTransport struct{ next http.RoundTripper }

func (t *readOnlyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, ErrReadOnly)
	}
	return t.next.RoundTrip(req)
}

// rateLimitTransport waits for the limiter before each request.
type rateLimitTransport struct {
	next    http.RoundTripper
	limiter *limiter
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.wait(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// limiter is a token bucket holding at most one token, refilled at a fixed
// rate: requests are spaced at least 1/rate apart on average.
type limiter struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time // earliest time the next request may go
}

func newLimiter(perSecond float64) *limiter {
	return &limiter{interval: time.Duration(float64(time.Second) / perSecond)}
}

// wait blocks until the caller may send, or ctx is done. A caller that
// gives up hands its slot back when no one reserved a later one.
func (l *limiter) wait(ctx context.Context) error {
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
	if err := sleepCtx(ctx, d); err != nil {
		l.release(slot)
		return fmt.Errorf("cachet: rate limit: %w", err)
	}
	return nil
}

func (l *limiter) release(slot time.Time) {
	l.mu.Lock()
	if l.next.Equal(slot.Add(l.interval)) {
		l.next = slot
	}
	l.mu.Unlock()
}

// debugTransport writes one line per request: method, path and query,
// status or error, duration, and the request headers with the token
// redacted.
type debugTransport struct {
	next  http.RoundTripper
	w     io.Writer
	token string
	mu    sync.Mutex
}

func (t *debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	d := time.Since(start)
	var outcome string
	if err != nil {
		outcome = "error: " + err.Error()
	} else {
		outcome = fmt.Sprint(resp.StatusCode)
	}
	line := fmt.Sprintf("cachet: %s %s -> %s (%s) %s\n",
		req.Method, req.URL.RequestURI(), outcome, d.Round(time.Millisecond), t.headers(req.Header))
	line = redactToken(line, t.token)
	t.mu.Lock()
	io.WriteString(t.w, line)
	t.mu.Unlock()
	return resp, err
}

func (t *debugTransport) headers(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.Join(h[k], ",")
		if http.CanonicalHeaderKey(k) == "X-Cachet-Token" || http.CanonicalHeaderKey(k) == "Authorization" {
			v = "[redacted]"
		}
		parts = append(parts, k+": "+v)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

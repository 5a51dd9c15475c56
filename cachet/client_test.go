package cachet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

const secretToken = "s3cr3tTokenABCDEFGHIJ"

// fast retries keep the tests quick; MaxAttempts 4 like the default.
var fastRetry = cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})

// fakeServer is a tiny server speaking Cachet's wire format for behaviours
// the emulator does not offer on demand (fault sequences). handle gets the
// 1-based number of the request.
type fakeServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, r)
		f.bodies = append(f.bodies, string(body))
		n := len(f.requests)
		f.mu.Unlock()
		handle(w, r, n)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) endpoint() string { return f.URL + "/api/v1" }

func (f *fakeServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeServer) request(i int) (*http.Request, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[i], f.bodies[i]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func writeError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, fmt.Sprintf(`{"errors":[{"id":"x","status":%d,"title":%q,"detail":%q}]}`,
		status, http.StatusText(status), detail))
}

// dropConnection closes the connection without an answer.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

const componentJSON = `{"data":{"id":1,"name":"API","status":1,"enabled":true,"group_id":0,"order":0,"tags":[],"meta":null}}`

func newClient(t *testing.T, endpoint string, opts ...cachet.Option) *cachet.Client {
	t.Helper()
	// The fakes are no Cachet: name the version so that no probe is sent.
	c, err := cachet.New(endpoint, secretToken, append([]cachet.Option{fastRetry, cachet.WithServerVersion("2.4")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewValidatesEndpointAndOptions(t *testing.T) {
	for _, ep := range []string{"", "status.example.com/api/v1", "ftp://h/api/v1", "https:///api/v1",
		"https://h/api", "https://h/api/v2", "https://h/api/v1?x=1", "https://h/", "://bad"} {
		if _, err := cachet.New(ep, "test-token"); err == nil {
			t.Errorf("New(%q) succeeded", ep)
		}
	}
	for ep, want := range map[string]string{
		"https://h/api/v1":            "https://h/api/v1",
		"https://h/api/v1/":           "https://h/api/v1",
		"http://h:8000/cachet/api/v1": "http://h:8000/cachet/api/v1",
	} {
		c, err := cachet.New(ep, "test-token")
		if err != nil || c.Endpoint() != want {
			t.Errorf("New(%q): endpoint %v, %v; want %q", ep, c, err, want)
		}
	}
	bad := map[string]cachet.Option{
		"zero timeout":     cachet.WithTimeout(0),
		"negative timeout": cachet.WithTimeout(-time.Second),
		"no attempts":      cachet.WithRetry(cachet.RetryPolicy{}),
		"negative rate":    cachet.WithRateLimit(-1),
		"missing CA file":  cachet.WithCACertFile(filepath.Join(t.TempDir(), "none.pem")),
	}
	notPEM := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	bad["CA file without PEM"] = cachet.WithCACertFile(notPEM)
	for name, opt := range bad {
		if _, err := cachet.New("https://h/api/v1", "test-token", opt); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestNewFromEnv(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("X-Cachet-Token") != "env-token" {
			writeError(w, 401, "Authentication is required and has failed or has not yet been provided.")
			return
		}
		writeJSON(w, 200, `{"meta":{"pagination":{"total":0,"count":0,"per_page":1,"current_page":1,"total_pages":1}},"data":[]}`)
	})
	t.Setenv(cachet.EnvEndpoint, f.endpoint()+"/")
	t.Setenv(cachet.EnvToken, "env-token")
	c, err := cachet.NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != f.endpoint() {
		t.Errorf("endpoint %q", c.Endpoint())
	}
	if err := c.CheckToken(context.Background()); err != nil {
		t.Errorf("CheckToken: %v", err)
	}

	t.Setenv(cachet.EnvEndpoint, "")
	if _, err := cachet.NewFromEnv(); err == nil || !strings.Contains(err.Error(), cachet.EnvEndpoint) {
		t.Errorf("NewFromEnv without endpoint: %v", err)
	}
}

func TestRequestHeadersAndBody(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, componentJSON) })
	c := newClient(t, f.endpoint(), cachet.WithUserAgent("test-agent/1"))
	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{
		Name: cachet.Ptr("API"), Tags: []string{"Production", " EU West ", ""}, Enabled: cachet.Ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	r, body := f.request(0)
	for k, want := range map[string]string{
		"Accept": "application/json", "Content-Type": "application/json",
		"X-Cachet-Token": secretToken, "User-Agent": "test-agent/1",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query %q: nothing belongs in the query of a POST", r.URL.RawQuery)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "API", "tags": "Production,EU West", "enabled": false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("body %v, want %v", got, want)
	}

	// Without a token no header is sent; the default user agent names the client.
	c2, _ := cachet.New(f.endpoint(), "")
	c2.Ping(context.Background())
	r, _ = f.request(1)
	if _, ok := r.Header["X-Cachet-Token"]; ok {
		t.Error("X-Cachet-Token sent without a token")
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "cachetsync-go/") {
		t.Errorf("default User-Agent %q", ua)
	}
}

func TestRetriesIdempotentRequests(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < 3 {
					writeError(w, status, "try again")
					return
				}
				if r.Method == "DELETE" {
					w.WriteHeader(204)
					return
				}
				writeJSON(w, 200, componentJSON)
			})
			c := newClient(t, f.endpoint())
			ctx := context.Background()
			var err error
			switch method {
			case "GET":
				_, err = c.Components.Get(ctx, 1)
			case "PUT":
				_, err = c.Components.Update(ctx, 1, cachet.ComponentParams{Name: cachet.Ptr("x")})
			case "DELETE":
				err = c.Components.Delete(ctx, 1)
			}
			if err != nil || f.count() != 3 {
				t.Errorf("%s after %d: err %v after %d attempts, want success after 3", method, status, err, f.count())
			}
		}
	}
}

func TestRetriesAreBounded(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeError(w, 503, "down for maintenance") })
	c := newClient(t, f.endpoint())
	_, err := c.Components.Get(context.Background(), 1)
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Detail != "down for maintenance" {
		t.Errorf("err = %v, want the 503 APIError", err)
	}
	if f.count() != 4 {
		t.Errorf("%d attempts, want 4", f.count())
	}
	if cachet.IsAmbiguous(err) {
		t.Error("a failed GET is never ambiguous")
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 404} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeError(w, status, "no") })
		c := newClient(t, f.endpoint())
		if _, err := c.Components.Get(context.Background(), 1); err == nil || f.count() != 1 {
			t.Errorf("status %d: err %v after %d attempts, want an error after 1", status, err, f.count())
		}
	}
}

// A GET answered 500 is retried like 502-504: a read changes nothing. A
// PUT or DELETE answered 500 is not: it may have half-happened.
func TestGetRetriedOn500ButNotWrites(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodGet && n == 1 {
			writeError(w, 500, "flaky")
			return
		}
		if r.Method != http.MethodGet {
			writeError(w, 500, "flaky")
			return
		}
		writeJSON(w, 200, `{"data":{"id":1,"name":"API"}}`)
	})
	c := newClient(t, f.endpoint())
	if _, err := c.Components.Get(context.Background(), 1); err != nil || f.count() != 2 {
		t.Fatalf("GET: err %v after %d attempts, want success after 2", err, f.count())
	}
	for _, write := range []func() error{
		func() error {
			_, err := c.Components.Update(context.Background(), 1, cachet.ComponentParams{Name: cachet.Ptr("x")})
			return err
		},
		func() error { return c.Components.Delete(context.Background(), 1) },
	} {
		before := f.count()
		err := write()
		writes := 0
		for i := before; i < f.count(); i++ {
			if r, _ := f.request(i); r.Method != http.MethodGet {
				writes++
			}
		}
		if err == nil || !cachet.IsAmbiguous(err) || writes != 1 {
			t.Errorf("write answered 500: err %v after %d attempts, want an ambiguous error after 1", err, writes)
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	// A Retry-After longer than the context allows: the client gives up at
	// once instead of retrying after its own (millisecond) backoff.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "45")
			writeError(w, 429, "Too many requests")
			return
		}
		writeJSON(w, 200, componentJSON)
	})
	c := newClient(t, f.endpoint())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Components.Get(ctx, 1)
	if !errors.Is(err, context.DeadlineExceeded) || f.count() != 1 {
		t.Errorf("err %v after %d attempts; want a deadline error after 1", err, f.count())
	}
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 45*time.Second {
		t.Errorf("err %v should carry the 429 with RetryAfter 45s", err)
	}

	// Maintenance mode asks for an hour: without any deadline the client
	// still gives up at once rather than hang.
	f3 := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "3600")
		writeError(w, 503, "Be right back")
	})
	c3 := newClient(t, f3.endpoint())
	_, err = c3.Components.Get(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "maintenance") || f3.count() != 1 {
		t.Errorf("err %v after %d attempts; want a prompt maintenance error", err, f3.count())
	}

	// A short Retry-After is waited out, and the retry succeeds.
	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			writeError(w, 429, "Too many requests")
			return
		}
		writeJSON(w, 200, componentJSON)
	})
	c2 := newClient(t, f2.endpoint())
	if _, err := c2.Components.Get(context.Background(), 1); err != nil || f2.count() != 2 {
		t.Errorf("err %v after %d attempts, want success after 2", err, f2.count())
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		cancel() // the caller gives up while the first answer is on its way
		writeError(w, 503, "busy")
	})
	c := newClient(t, f.endpoint(), cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	done := make(chan error, 1)
	go func() { _, err := c.Components.Get(ctx, 1); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Get kept waiting after the context was cancelled")
	}
	if f.count() != 1 {
		t.Errorf("%d attempts, want 1", f.count())
	}
}

func TestPostIsNotRetriedBlindly(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeError(w, status, "oops") })
		c := newClient(t, f.endpoint())
		_, err := c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("x")})
		if err == nil || f.count() != 1 || !cachet.IsAmbiguous(err) {
			t.Errorf("POST %d: err %v, %d attempts, ambiguous %v; want an ambiguous error after 1",
				status, err, f.count(), cachet.IsAmbiguous(err))
		}
	}

	// 429: the server did not act, so the POST is retried.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeError(w, 429, "slow down")
			return
		}
		writeJSON(w, 200, componentJSON)
	})
	c := newClient(t, f.endpoint())
	if _, err := c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("x")}); err != nil || f.count() != 2 {
		t.Errorf("POST after 429: err %v after %d attempts", err, f.count())
	}

	// 400 is a clear refusal.
	f = newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 400, `{"errors":[{"status":400,"title":"Bad Request","detail":"The request cannot be fulfilled due to bad syntax.","meta":{"details":["The name field is required."]}}]}`)
	})
	c = newClient(t, f.endpoint())
	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{})
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || cachet.IsAmbiguous(err) || len(apiErr.Details) != 1 || apiErr.Method != "POST" || apiErr.Path != "/api/v1/components" {
		t.Errorf("400: %#v (ambiguous %v)", err, cachet.IsAmbiguous(err))
	}
	if !strings.Contains(err.Error(), "The name field is required.") {
		t.Errorf("error text %q lacks the validation detail", err)
	}
}

func TestDroppedConnection(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 || r.Method == "POST" {
			dropConnection(t, w)
			return
		}
		writeJSON(w, 200, componentJSON)
	})
	c := newClient(t, f.endpoint())
	if _, err := c.Components.Get(context.Background(), 1); err != nil || f.count() != 2 {
		t.Errorf("GET: err %v after %d attempts; want success after 2", err, f.count())
	}
	before := f.count()
	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("x")})
	if err == nil || !cachet.IsAmbiguous(err) || f.count()-before != 1 {
		t.Errorf("POST: err %v (ambiguous %v) after %d attempts; want ambiguous after 1", err, cachet.IsAmbiguous(err), f.count()-before)
	}
}

func TestTimeoutIsAmbiguousForWrites(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := newClient(t, f.endpoint(), cachet.WithTimeout(50*time.Millisecond))
	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("x")})
	if err == nil || !cachet.IsAmbiguous(err) || f.count() != 1 {
		t.Errorf("POST timeout: err %v (ambiguous %v) after %d attempts", err, cachet.IsAmbiguous(err), f.count())
	}
	// The timeout bounds the request, retries included: a PUT to a silent
	// server is tried once, and ambiguous.
	before := f.count()
	_, err = c.Components.Update(context.Background(), 1, cachet.ComponentParams{Name: cachet.Ptr("x")})
	if err == nil || !cachet.IsAmbiguous(err) || f.count()-before != 1 {
		t.Errorf("PUT timeout: err %v (ambiguous %v) after %d attempts", err, cachet.IsAmbiguous(err), f.count()-before)
	}
}

// refusedEndpoint returns an endpoint on a port nothing listens on.
func refusedEndpoint(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/api/v1"
}

func TestPostRetriedWhenConnectionRefused(t *testing.T) {
	var trace bytes.Buffer
	c := newClient(t, refusedEndpoint(t), cachet.WithDebug(&trace))
	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("x")})
	if err == nil || cachet.IsAmbiguous(err) {
		t.Errorf("err %v (ambiguous %v); a refused connection surely did not act", err, cachet.IsAmbiguous(err))
	}
	if n := len(regexp.MustCompile(`(?m)^cachet: POST `).FindAllString(trace.String(), -1)); n != 4 {
		t.Errorf("%d attempts, want 4:\n%s", n, trace.String())
	}
	// Each retry is traced with its reason and its wait, so that a slow
	// run with little CPU shows where it waited.
	retries := regexp.MustCompile(`(?m)^cachet: retry [123] of 3 for POST /api/v1/components in \d+(\.\d+)?(ms|µs|ns|s) after: dial tcp .*connection refused$`)
	if n := len(retries.FindAllString(trace.String(), -1)); n != 3 {
		t.Errorf("%d traced retries, want 3:\n%s", n, trace.String())
	}
}

func TestDeleteNotFoundOnRetryIsDone(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeError(w, 502, "bad gateway") // the delete may or may not have happened
			return
		}
		writeError(w, 404, "No query results for model [CachetHQ\\Cachet\\Models\\Component].")
	})
	c := newClient(t, f.endpoint())
	if err := c.Components.Delete(context.Background(), 1); err != nil || f.count() != 2 {
		t.Errorf("err %v after %d attempts; want nil after 2", err, f.count())
	}

	// A 404 on the first attempt is a real not-found, as is a 404 after a 429.
	f = newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 && r.URL.Path == "/api/v1/subscribers/2" {
			writeError(w, 429, "slow down")
			return
		}
		writeError(w, 404, "The requested resource could not be found but may be available again in the future.")
	})
	c = newClient(t, f.endpoint())
	if err := c.Components.Delete(context.Background(), 1); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	if err := c.Subscribers.Delete(context.Background(), 2); !errors.Is(err, cachet.ErrNotFound) {
		t.Errorf("after 429: err = %v, want ErrNotFound", err)
	}
}

func TestTokenNeverInErrorsOrTrace(t *testing.T) {
	// A hostile server echoes the token everywhere it can.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		tok := r.Header.Get("X-Cachet-Token")
		switch r.URL.Path {
		case "/api/v1/components/1":
			writeError(w, 401, "bad token "+tok)
		case "/api/v1/components/2":
			writeJSON(w, 502, "<html>proxy saw "+tok+"</html>")
		case "/api/v1/components/3":
			writeJSON(w, 200, `{"data":{"id":"`+tok+`"}}`)
		case "/api/v1/components/4":
			dropConnection(t, w)
		default:
			writeJSON(w, 200, `{"data":`)
		}
	})
	var trace bytes.Buffer
	c := newClient(t, f.endpoint(), cachet.WithDebug(&trace), cachet.WithTimeout(time.Second))
	ro := newClient(t, f.endpoint(), cachet.WithDebug(&trace), cachet.WithReadOnly())
	refused := newClient(t, refusedEndpoint(t), cachet.WithDebug(&trace))
	ctx := context.Background()
	var errs []error
	for id := 1; id <= 5; id++ {
		_, err := c.Components.Get(ctx, id)
		errs = append(errs, err)
	}
	_, err := c.Components.Create(ctx, cachet.ComponentParams{Name: cachet.Ptr(secretToken)})
	errs = append(errs, err)
	errs = append(errs, ro.Components.Delete(ctx, 1))
	_, err = refused.Components.Get(ctx, 1)
	errs = append(errs, err)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Components.Get(cancelled, 1)
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		if strings.Contains(err.Error(), secretToken) {
			t.Errorf("case %d: token in error %q", i, err)
		}
	}
	if strings.Contains(trace.String(), secretToken) {
		t.Errorf("token in debug trace:\n%s", trace.String())
	}
	if !strings.Contains(trace.String(), "X-Cachet-Token: [redacted]") {
		t.Errorf("trace does not show the redacted header:\n%s", trace.String())
	}
}

func TestDebugTraceOneLinePerAttempt(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeError(w, 503, "busy")
			return
		}
		writeJSON(w, 200, `{"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}},"data":[`+
			strings.TrimSuffix(strings.TrimPrefix(componentJSON, `{"data":`), "}")+`]}`)
	})
	var trace bytes.Buffer
	c := newClient(t, f.endpoint(), cachet.WithDebug(&trace))
	n := 0
	for _, err := range c.Components.All(context.Background(), cachet.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("got %d components", n)
	}
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(trace.String()), "\n") {
		if !strings.HasPrefix(line, "cachet: retry ") { // the retry's own line
			lines = append(lines, line)
		}
	}
	re := regexp.MustCompile(`^cachet: GET /api/v1/components\?page=1&per_page=100&sort=id -> (503|200) \([^)]+\) \[.*X-Cachet-Token: \[redacted\].*\]$`)
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got:\n%s", trace.String())
	}
	for i, want := range []string{"503", "200"} {
		if m := re.FindStringSubmatch(lines[i]); m == nil || m[1] != want {
			t.Errorf("line %d = %q, want status %s in the documented format", i, lines[i], want)
		}
	}
}

func TestRateLimitWaitHonoursContext(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `{"data":"Pong!"}`) })
	c := newClient(t, f.endpoint(), cachet.WithRateLimit(0.01)) // one request per 100s
	if ok, err := c.Ping(context.Background()); !ok || err != nil {
		t.Fatalf("first ping: %v %v", ok, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second ping: %v, want a deadline error from the limiter", err)
	}
	if f.count() != 1 {
		t.Errorf("%d requests reached the server, want 1", f.count())
	}
	// Without a limit, requests go straight through.
	c2 := newClient(t, f.endpoint(), cachet.WithRateLimit(0))
	for range 3 {
		if _, err := c2.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTLSOptions(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":"Pong!"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	ep := srv.URL + "/api/v1"
	ctx := context.Background()

	c := newClient(t, ep, cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 1}))
	if _, err := c.Ping(ctx); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
	c = newClient(t, ep, cachet.WithInsecureSkipVerify())
	if ok, err := c.Ping(ctx); !ok || err != nil {
		t.Errorf("insecure: %v %v", ok, err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	c = newClient(t, ep, cachet.WithCACertFile(caFile))
	if ok, err := c.Ping(ctx); !ok || err != nil {
		t.Errorf("CA file: %v %v", ok, err)
	}
	// TLS options need a transport they can configure.
	custom := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) { return nil, errors.New("x") })}
	if _, err := cachet.New(ep, "test-token", cachet.WithHTTPClient(custom), cachet.WithInsecureSkipVerify()); err == nil {
		t.Error("TLS option with a custom RoundTripper should fail")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWithHTTPClientIsWrapped(t *testing.T) {
	var calls atomic.Int32
	custom := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `{"data":"Pong!"}`) })
	c := newClient(t, f.endpoint(), cachet.WithHTTPClient(custom), cachet.WithReadOnly())
	if ok, err := c.Ping(context.Background()); !ok || err != nil || calls.Load() != 1 {
		t.Errorf("ping through the custom client: %v %v, %d calls", ok, err, calls.Load())
	}
	if err := c.Subscriptions.Delete(context.Background(), 1); !errors.Is(err, cachet.ErrReadOnly) || calls.Load() != 1 {
		t.Errorf("read-only custom client: %v, %d calls", err, calls.Load())
	}
	if custom.Timeout != 0 {
		t.Error("New changed the caller's http.Client")
	}
}

func TestBadResponses(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/api/v1/components/1":
			writeJSON(w, 200, `not json`)
		case "/api/v1/components/2":
			w.WriteHeader(204)
		case "/api/v1/components/3":
			writeJSON(w, 200, `{"data":{"id":1,"created_at":"yesterday"}}`)
		case "/api/v1/components/4":
			writeJSON(w, 406, `<html>Not Acceptable</html>`)
		}
	})
	c := newClient(t, f.endpoint())
	for id := 1; id <= 4; id++ {
		if _, err := c.Components.Get(context.Background(), id); err == nil {
			t.Errorf("component %d: no error", id)
		}
	}
	_, err := c.Components.Get(context.Background(), 4)
	var apiErr *cachet.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 406 || apiErr.Title != "Not Acceptable" {
		t.Errorf("406: %v", err)
	}
}

func TestAllStopsOnFirstError(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("page") == "1" {
			writeJSON(w, 200, `{"meta":{"pagination":{"total":3,"count":2,"per_page":2,"current_page":1,"total_pages":2}},"data":[{"id":1},{"id":2}]}`)
			return
		}
		writeError(w, 500, "An error has occurred and this resource cannot be displayed.")
	})
	c := newClient(t, f.endpoint())
	var ids []int
	var errs []error
	for comp, err := range c.Components.All(context.Background(), cachet.ListOptions{PerPage: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, comp.ID)
	}
	if fmt.Sprint(ids) != "[1 2]" || len(errs) != 1 {
		t.Errorf("ids %v, errors %v", ids, errs)
	}
}

package httpx

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// The trace of an attempt that opened a connection says how long the
// connect took (a plan that waits long on connects shows it in --debug);
// an attempt on a kept-alive connection has no such part.
func TestDebugTraceShowsNewConnections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	var trace bytes.Buffer
	c := &http.Client{Transport: &Debug{Next: http.DefaultTransport.(*http.Transport).Clone(), W: &trace, Name: "t"}}
	for range 2 {
		resp, err := c.Get(srv.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	lines := strings.Split(strings.TrimSpace(trace.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines:\n%s", trace.String())
	}
	first := regexp.MustCompile(`^t: GET /x -> 200 \(\d+(\.\d+)?(ms|µs|ns|s); connect \d+(\.\d+)?(ms|µs|ns|s)\) \[`)
	second := regexp.MustCompile(`^t: GET /x -> 200 \(\d+(\.\d+)?(ms|µs|ns|s)\) \[`)
	if !first.MatchString(lines[0]) || !second.MatchString(lines[1]) {
		t.Errorf("want a connect time on the first attempt only:\n%s", trace.String())
	}
}

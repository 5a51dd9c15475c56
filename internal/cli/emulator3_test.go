package cli_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestEmulatorVersion3 runs `cachetsync emulator --version 3 --rate-limit 2`:
// the API is at /api, takes a Bearer token, and throttles.
func TestEmulatorVersion3(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Run([]string{"emulator", "--listen", "127.0.0.1:0", "--version", "3", "--rate-limit", "2"}, &cli.Env{Stdout: &out, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, Context: ctx})
	}()
	endpoint := regexp.MustCompile(`CACHET_ENDPOINT=(\S+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && base == ""; time.Sleep(10 * time.Millisecond) {
		if m := endpoint.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if !strings.HasSuffix(base, "/api") {
		t.Fatalf("endpoint %q, want .../api:\n%s", base, out.String())
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Accept", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/version", ""); code != 200 || !strings.Contains(body, "3.x-dev") {
		t.Errorf("version: %d %s", code, body)
	}
	if code, body := get("/subscribers", cachettest.DefaultToken); code != 200 || !strings.Contains(body, `"links"`) {
		t.Errorf("subscribers with the token: %d %s", code, body)
	}
	// Reads count per IP; /subscribers (behind auth:sanctum) counted for the token's user.
	if code, _ := get("/ping", ""); code != 200 {
		t.Errorf("second read from this IP: %d, want 200", code)
	}
	if code, _ := get("/ping", ""); code != 429 {
		t.Errorf("third read from this IP with --rate-limit 2: %d, want 429", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("emulator exited %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("emulator did not stop")
	}
}

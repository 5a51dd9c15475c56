package cli_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// TestEmulatorVersion3 runs `cachetsync emulator --version 3 --rate-limit 2`:
// the API is at /api, takes a Bearer token, and throttles.
func TestEmulatorVersion3(t *testing.T) {
	base, out, stop := startEmulator(t, "--version", "3", "--rate-limit", "2")
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
	stop()
}

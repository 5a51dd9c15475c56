package cli_test

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// secretToken is distinctive enough that finding it anywhere in the output
// can only mean it leaked.
const secretToken = "tok-7Qz9-SECRET-do-not-print-4e1b"

// echoingServer serves emu, except that requests matching fail get a 500
// whose error body (and a response header) quote the request's token back,
// as a badly written proxy or server might.
func echoingServer(t *testing.T, emu *cachettest.Emulator, fail func(*http.Request) bool) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r) {
			tok := r.Header.Get("X-Cachet-Token")
			body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
				"status": 500, "title": "Internal Server Error",
				"detail": "token " + tok + " caused an exception",
			}}})
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Debug-Token", tok)
			w.WriteHeader(http.StatusInternalServerError)
			w.Write(body)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/api/v1"
}

// refusedEndpoint returns an endpoint on a loopback port nobody listens on.
func refusedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/api/v1"
}

// TestTokenNeverPrinted runs every command, with HTTP tracing on, in
// success and in failure, and checks that the token appears nowhere in
// stdout or stderr. Where calls are made, the trace must be there (so the
// check is not vacuous) and must show the token header as redacted.
func TestTokenNeverPrinted(t *testing.T) {
	spec := writeFile(t, "status.yaml", []byte("groups:\n  - name: G\n    components:\n      - name: In G\ncomponents:\n  - name: Alone\nsubscribers:\n  - email: ops@example.com\n"))
	isGet := func(r *http.Request) bool { return r.Method == http.MethodGet }
	isPost := func(r *http.Request) bool { return r.Method == http.MethodPost }

	cases := []struct {
		name     string
		endpoint func(t *testing.T) string
		args     []string
		code     int
		trace    bool   // --debug lines expected on stderr
		want     string // in stdout+stderr
	}{
		{"plan", emulatorEndpoint, []string{"plan", "-f", spec, "--detailed-exitcode"}, cli.ExitChanges, true, "Plan: 4 to create"},
		{"apply", emulatorEndpoint, []string{"apply", "-f", spec, "--auto-approve"}, cli.ExitOK, true, "4 applied, 0 failed, 0 not attempted."},
		{"export", emulatorEndpoint, []string{"export"}, cli.ExitOK, true, "components:"},
		{"validate", func(*testing.T) string { return "" }, []string{"validate", "-f", spec}, cli.ExitOK, false, "is valid"}, // no connection flags
		{"bad endpoint", func(*testing.T) string { return "http://127.0.0.1:9/api/v2" }, []string{"plan", "-f", spec}, cli.ExitError, false, "must end in /api/v1"},
		{"401", func(t *testing.T) string {
			srv := cachettest.NewServer() // accepts only its default token
			t.Cleanup(srv.Close)
			return srv.URL
		}, []string{"plan", "-f", spec}, cli.ExitError, true, "-> 401"},
		{"500 on read, token echoed", func(t *testing.T) string {
			return echoingServer(t, cachettest.New(cachettest.WithToken(secretToken)), isGet)
		}, []string{"export"}, cli.ExitError, true, "[redacted] caused an exception"},
		{"500 on write, token echoed", func(t *testing.T) string {
			return echoingServer(t, cachettest.New(cachettest.WithToken(secretToken)), isPost)
		}, []string{"apply", "-f", spec, "--auto-approve"}, cli.ExitPartial, true, "[redacted] caused an exception"},
		{"connection refused", refusedEndpoint, []string{"plan", "-f", spec}, cli.ExitError, true, "-> error: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			endpoint := tc.endpoint(t)
			args := append([]string{}, tc.args...)
			if endpoint != "" {
				args = append(args, "--debug")
			}
			r := run(t, endpoint, secretToken, args...)
			all := r.stdout + r.stderr
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, all)
			}
			if strings.Contains(all, secretToken) {
				t.Fatalf("the token was printed:\n%s", all)
			}
			if !strings.Contains(all, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, all)
			}
			traced := strings.Contains(r.stderr, "cachet: GET /api/v1/")
			if traced != tc.trace {
				t.Fatalf("trace lines on stderr: %v, want %v\n%s", traced, tc.trace, r.stderr)
			}
			if tc.trace && !strings.Contains(r.stderr, "X-Cachet-Token: [redacted]") {
				t.Errorf("the trace does not show the token header redacted:\n%s", r.stderr)
			}
		})
	}
}

// emulatorEndpoint starts an emulator that accepts secretToken.
func emulatorEndpoint(t *testing.T) string {
	srv := cachettest.NewServer(cachettest.WithToken(secretToken))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTokenFromEnvironmentNotPrinted: the token from CACHET_API_TOKEN is
// used and, like a flag's, never printed (help included).
func TestTokenFromEnvironmentNotPrinted(t *testing.T) {
	srv := cachettest.NewServer(cachettest.WithToken(secretToken))
	defer srv.Close()
	t.Setenv("CACHET_API_TOKEN", secretToken)
	t.Setenv("CACHET_ENDPOINT", srv.URL)
	spec := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n"))
	for _, args := range [][]string{{"plan", "-f", spec, "--debug"}, {"plan", "--help"}, {"--help"}} {
		r := run(t, "", "", args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, secretToken) {
			t.Fatalf("%v printed the token:\n%s%s", args, r.stdout, r.stderr)
		}
	}
	if srv.Stats().Requests["GET"] == 0 {
		t.Fatal("the plan made no call: the token from the environment was not used")
	}
}

// TestTokenFile: --token-file reads the token, without its trailing
// newline, and never prints it; a missing file is a clear error that sends
// nothing.
func TestTokenFile(t *testing.T) {
	srv := cachettest.NewServer(cachettest.WithToken(secretToken))
	defer srv.Close()
	spec := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n"))
	tokenFile := writeFile(t, "token", []byte(secretToken+"\n"))

	r := run(t, "", "", "apply", "-f", spec, "--auto-approve", "--debug", "--endpoint", srv.URL, "--token-file", tokenFile)
	if r.code != 0 || len(srv.Components()) != 1 {
		t.Fatalf("apply with --token-file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, secretToken) {
		t.Fatalf("the token was printed:\n%s%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "X-Cachet-Token: [redacted]") {
		t.Fatalf("no redacted trace:\n%s", r.stderr)
	}

	srv.ResetStats()
	missing := filepath.Join(t.TempDir(), "no-such-token")
	r = run(t, "", "", "plan", "-f", spec, "--endpoint", srv.URL, "--token-file", missing)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "token file") || !strings.Contains(r.stderr, "no-such-token") {
		t.Fatalf("missing token file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := srv.Stats().Requests["GET"]; n != 0 {
		t.Fatalf("%d requests sent without a token", n)
	}
}

// tlsEmulator serves an emulator over HTTPS with httptest's self-signed
// certificate, written as PEM to the returned file.
func tlsEmulator(t *testing.T) (endpoint, caFile string) {
	t.Helper()
	ts := httptest.NewUnstartedServer(cachettest.New())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	ts.StartTLS()
	t.Cleanup(ts.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return ts.URL + "/api/v1", caFile
}

// TestTLSVerification: a server with an unknown certificate is refused;
// --ca-cert trusts it; --insecure-skip-verify works too but warns.
func TestTLSVerification(t *testing.T) {
	endpoint, caFile := tlsEmulator(t)
	spec := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n"))
	tok := cachettest.DefaultToken

	r := run(t, endpoint, tok, "plan", "-f", spec)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "certificate") || r.stdout != "" {
		t.Fatalf("unverified server: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = run(t, endpoint, tok, "plan", "-f", spec, "--ca-cert", caFile)
	if r.code != 0 || !strings.Contains(r.stdout, "Plan: 1 to create") || strings.Contains(r.stderr, "Warning") {
		t.Fatalf("--ca-cert: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = run(t, endpoint, tok, "plan", "-f", spec, "--insecure-skip-verify")
	if r.code != 0 || !strings.Contains(r.stdout, "Plan: 1 to create") {
		t.Fatalf("--insecure-skip-verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "Warning: TLS certificate verification is disabled") {
		t.Fatalf("--insecure-skip-verify printed no warning:\n%s", r.stderr)
	}

	notPEM := writeFile(t, "ca.pem", []byte("not a certificate\n"))
	r = run(t, endpoint, tok, "plan", "-f", spec, "--ca-cert", notPEM)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "no PEM certificate") {
		t.Fatalf("bad --ca-cert: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

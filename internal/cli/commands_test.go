package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
	"github.com/cachetsync/cachetsync/spec"
)

func TestDemo(t *testing.T) {
	r := run(t, "", "", "demo")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	plan1 := strings.Index(r.stdout, "Plan: 5 to create, 4 to update, 2 to delete.")
	applied := strings.Index(r.stdout, "Apply complete: 10 applied, 0 failed, 0 not attempted.")
	plan2 := strings.LastIndex(r.stdout, "No changes.")
	if plan1 < 0 || applied < plan1 || plan2 < applied {
		t.Fatalf("demo output is not plan, apply, no-change plan:\n%s", r.stdout)
	}
}

func TestSchemaCommand(t *testing.T) {
	r := run(t, "", "", "schema")
	if r.code != 0 || !bytes.Equal([]byte(r.stdout), spec.Schema()) || !json.Valid([]byte(r.stdout)) {
		t.Fatalf("exit %d, %d bytes", r.code, len(r.stdout))
	}
}

func TestHelpExitsZero(t *testing.T) {
	if r := run(t, "", "", "plan", "--help"); r.code != 0 || !strings.Contains(r.stdout, "--detailed-exitcode") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "", "bogus"); r.code != cli.ExitError {
		t.Fatalf("unknown command: exit %d", r.code)
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it;
// wrote is signalled after each write.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer func() {
		select {
		case b.wrote <- struct{}{}:
		default:
		}
	}()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startEmulator runs `cachetsync emulator --listen 127.0.0.1:0 args...`
// and returns the CACHET_ENDPOINT it prints, what it printed, and stop,
// which cancels it and fails the test unless it exits 0. It waits for the
// printed line, woken by each write of the command.
func startEmulator(t *testing.T, args ...string) (endpoint string, out *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(append([]string{"emulator", "--listen", "127.0.0.1:0"}, args...), &cli.Env{Stdout: out, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, Context: ctx})
	}()
	stop = func() {
		t.Helper()
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("emulator exited %d", code)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("emulator did not stop when its context was cancelled")
		}
	}
	line := regexp.MustCompile(`CACHET_ENDPOINT=(\S+)`)
	timeout := time.After(10 * time.Second)
	for {
		if m := line.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, stop
		}
		select {
		case <-out.wrote:
		case code := <-done:
			t.Fatalf("emulator exited %d before printing its endpoint:\n%s", code, out.String())
		case <-timeout:
			stop()
			t.Fatalf("no endpoint printed:\n%s", out.String())
		}
	}
}

// TestEmulatorCommandAnswersLikeCachet runs `cachetsync emulator` and talks
// to it with plain HTTP, as curl would.
func TestEmulatorCommandAnswersLikeCachet(t *testing.T) {
	// A real token in the environment is neither adopted nor printed.
	t.Setenv("CACHET_API_TOKEN", "real-production-secret")
	base, out, stop := startEmulator(t)
	if !strings.Contains(out.String(), "CACHET_API_TOKEN="+cachettest.DefaultToken) {
		t.Errorf("the documented default token is not printed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "real-production-secret") {
		t.Errorf("the token from the environment was printed:\n%s", out.String())
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if token != "" {
			req.Header.Set("X-Cachet-Token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/ping", ""); code != 200 || body != `{"data":"Pong!"}` {
		t.Errorf("ping: %d %s", code, body)
	}
	if code, _ := get("/subscribers", ""); code != 401 {
		t.Errorf("subscribers without a token: %d, want 401", code)
	}
	if code, body := get("/subscribers", cachettest.DefaultToken); code != 200 || !strings.Contains(body, `"pagination"`) {
		t.Errorf("subscribers with the token: %d %s", code, body)
	}
	stop()
}

// TestColourOnlyOnATerminal: ANSI colours on a terminal, none with NO_COLOR,
// --no-color, or off a terminal.
func TestColourOnlyOnATerminal(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: New\n"))
	for _, tc := range []struct {
		name      string
		terminal  bool
		noColor   string
		extra     []string
		wantColor bool
	}{
		{"terminal", true, "", nil, true},
		{"NO_COLOR", true, "1", nil, false},
		{"--no-color", true, "", []string{"--no-color"}, false},
		{"not a terminal", false, "", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			args := append([]string{"plan", "-f", file, "--endpoint", srv.URL, "--token", srv.Token()}, tc.extra...)
			code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: io.Discard, Terminal: tc.terminal, Context: context.Background(),
				Getenv: func(k string) string {
					if k == "NO_COLOR" {
						return tc.noColor
					}
					return ""
				}})
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tc.wantColor {
				t.Fatalf("colour = %v, want %v:\n%q", got, tc.wantColor, out.String())
			}
		})
	}
}

func TestReadFlags(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	for _, name := range []string{"A", "B", "C"} {
		srv.SeedComponent(cachet.Component{Name: name, Enabled: true})
	}
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n  - name: B\n  - name: C\n"))
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--page-size", "1", "--read-concurrency", "2")
	if r.code != 0 {
		t.Fatalf("exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	// groups 1 page, components 3 pages, subscribers 1 page (the token check)
	if got := srv.Stats().Requests["GET"]; got != 5 {
		t.Fatalf("%d GETs, want 5", got)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--read-concurrency", "0"); r.code != cli.ExitError {
		t.Fatalf("--read-concurrency 0: exit %d", r.code)
	}
}

func TestClearErrorsForMissingInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-f", "does-not-exist.yaml"}, "does-not-exist.yaml does not exist"},
		{[]string{"apply"}, "no file given, and neither cachetsync.yaml nor status.yaml is in the working directory"},
		{[]string{"plan", "-f", "x.yaml", "--endpoint", "https://status.example.com/"}, "does not exist"},
	} {
		r := run(t, "", "", tc.args...)
		if r.code != cli.ExitError || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// TestApplyAsksOnATerminal: without --auto-approve, apply on a terminal
// applies only after "yes".
func TestApplyAsksOnATerminal(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: New\n"))
	for _, answer := range []string{"no\n", "yes\n"} {
		var out bytes.Buffer
		code := cli.Run([]string{"apply", "-f", file, "--endpoint", srv.URL, "--token", srv.Token(), "--no-color"}, &cli.Env{
			Stdin: strings.NewReader(answer), Stdout: &out, Stderr: io.Discard, Terminal: true,
			Getenv: func(string) string { return "" }, Context: context.Background()})
		if !strings.Contains(out.String(), "Only 'yes' will be accepted") {
			t.Fatalf("no question asked:\n%s", out.String())
		}
		created := len(srv.Components()) == 1
		if want := answer == "yes\n"; created != want || (code == 0) != want {
			t.Fatalf("answer %q: exit %d, created %v", answer, code, created)
		}
	}
}

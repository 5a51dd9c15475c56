package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// cancellingWriter collects output and calls cancel once a line starting
// with prefix and containing marker has been written: it plays the user
// who presses Ctrl-C as soon as apply reports its first finished call.
type cancellingWriter struct {
	prefix, marker string
	cancel         context.CancelFunc

	mu      sync.Mutex
	buf     bytes.Buffer
	partial string // an unfinished line
	fired   bool
}

func (w *cancellingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	text := w.partial + string(p)
	lines := strings.Split(text, "\n")
	w.partial = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		if !w.fired && strings.HasPrefix(l, w.prefix) && strings.Contains(l, w.marker) {
			w.fired = true
			w.cancel()
		}
	}
	return len(p), nil
}

func (w *cancellingWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// manyComponents is a spec of n ungrouped components: one apply step.
func manyComponents(n int) []byte {
	var b strings.Builder
	b.WriteString("components:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: Component %02d\n", i)
	}
	return []byte(b.String())
}

var summaryRE = regexp.MustCompile(`(\d+) applied, (\d+) failed, (\d+) not attempted\.`)

// parseSummary returns the counts of apply's closing line.
func parseSummary(t *testing.T, out string) (applied, failed, notAttempted int) {
	t.Helper()
	m := summaryRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", out)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return n(m[1]), n(m[2]), n(m[3])
}

// interruptedApply runs apply in-process and cancels its context once the
// first create is reported, Signal naming sig.
func interruptedApply(t *testing.T, srv *cachettest.Server, file string, sig os.Signal) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancellingWriter{prefix: "+ ", marker: ": created", cancel: cancel}
	var errOut bytes.Buffer
	code = cli.Run([]string{"apply", "-f", file, "--auto-approve", "--parallelism", "1", "--endpoint", srv.URL, "--token", srv.Token()},
		&cli.Env{Stdout: out, Stderr: &errOut, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" },
			Context: ctx, Signal: func() os.Signal {
				if ctx.Err() != nil {
					return sig
				}
				return nil
			}})
	if !out.fired {
		t.Fatalf("no create was reported, so nothing was interrupted:\n%s%s", out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

// TestInterruptedApplyLosesNothing: an interrupt during apply lets the call
// in flight finish, starts no new one, exits 130, and the summary accounts
// for every operation and matches the page; a re-run then converges.
func TestInterruptedApplyLosesNothing(t *testing.T) {
	const total = 15
	srv := cachettest.NewServer(cachettest.WithLatency(30*time.Millisecond, 0))
	defer srv.Close()
	file := writeFile(t, "s.yaml", manyComponents(total))

	code, stdout, stderr := interruptedApply(t, srv, file, os.Interrupt)
	if code != cli.ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s%s", code, cli.ExitInterrupted, stdout, stderr)
	}
	applied, failed, notAttempted := parseSummary(t, stdout)
	if !strings.Contains(stdout, "Apply interrupted: ") || strings.Contains(stdout, "Apply complete") {
		t.Errorf("the summary of an interrupted apply does not say so:\n%s", stdout)
	}
	// With one call at a time, the call in flight finishes and at most one
	// more may have been starting at the very moment of the interrupt.
	if failed != 0 || applied < 1 || applied > 2 || applied+notAttempted != total {
		t.Fatalf("summary %d applied, %d failed, %d not attempted\n%s", applied, failed, notAttempted, stdout)
	}
	if n := len(srv.Components()); n != applied {
		t.Fatalf("the page holds %d components, the summary says %d applied", n, applied)
	}
	if !strings.Contains(stderr, "Interrupted: finishing the calls in flight, starting no new ones.") {
		t.Errorf("stderr does not say what an interrupted apply does:\n%s", stderr)
	}
	if !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, "run apply again") {
		t.Errorf("stderr does not explain the interrupt:\n%s", stderr)
	}

	r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve")
	if want := fmt.Sprintf("%d applied, 0 failed, 0 not attempted.", notAttempted); r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("re-run: exit %d, want %q\n%s%s", r.code, want, r.stdout, r.stderr)
	}
	r = run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != 0 || len(srv.Components()) != total {
		t.Fatalf("plan after the re-run: exit %d, %d components\n%s%s", r.code, len(srv.Components()), r.stdout, r.stderr)
	}
}

// TestTerminatedApplyExits143: SIGTERM gives 128+15, the shell convention.
func TestTerminatedApplyExits143(t *testing.T) {
	srv := cachettest.NewServer(cachettest.WithLatency(30*time.Millisecond, 0))
	defer srv.Close()
	file := writeFile(t, "s.yaml", manyComponents(15))
	code, stdout, stderr := interruptedApply(t, srv, file, syscall.SIGTERM)
	if code != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit %d, want 143\n%s%s", code, stdout, stderr)
	}
	applied, _, notAttempted := parseSummary(t, stdout)
	if notAttempted == 0 || len(srv.Components()) != applied {
		t.Fatalf("%d applied, %d not attempted, %d on the page", applied, notAttempted, len(srv.Components()))
	}
}

// TestInterruptBeforeAnyWrite: an interrupt while the live page is read
// exits 130 for every command that reads, and nothing is written.
func TestInterruptBeforeAnyWrite(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", manyComponents(3))
	for _, cmd := range [][]string{{"plan", "-f", file}, {"apply", "-f", file, "--auto-approve"}, {"export"}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out, errOut bytes.Buffer
		code := cli.Run(append(cmd, "--endpoint", srv.URL, "--token", srv.Token()),
			&cli.Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" },
				Context: ctx, Signal: func() os.Signal { return os.Interrupt }})
		if code != cli.ExitInterrupted {
			t.Errorf("%s: exit %d, want %d\n%s%s", cmd[0], code, cli.ExitInterrupted, out.String(), errOut.String())
		}
	}
	if n := writes(srv.Emulator); n != 0 || len(srv.Components()) != 0 {
		t.Fatalf("%d writes after an interrupt before apply", n)
	}
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// buildBinary builds cachetsync into a temporary directory with the go
// command from PATH.
func buildBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	bin := filepath.Join(t.TempDir(), "cachetsync")
	out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// command runs the binary against srv without a terminal, colours or
// CACHET_* variables from the environment.
func command(bin string, srv *cachettest.Server, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append(args, "--endpoint", srv.URL, "--token", srv.Token())...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CACHET_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "NO_COLOR=1")
	return cmd
}

var summaryRE = regexp.MustCompile(`(\d+) applied, (\d+) failed, (\d+) not attempted\.`)

// TestSignalStopsApplyCleanly sends a real SIGINT (and SIGTERM) to an apply
// in progress: the process finishes the call in flight, prints a summary
// that accounts for every operation, exits 130 (143), leaves the page
// holding exactly what it reports as applied, and a re-run converges.
func TestSignalStopsApplyCleanly(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			const total = 20
			srv := cachettest.NewServer(cachettest.WithLatency(50*time.Millisecond, 0))
			defer srv.Close()
			var spec strings.Builder
			spec.WriteString("components:\n")
			for i := range total {
				fmt.Fprintf(&spec, "  - name: Component %02d\n", i)
			}
			file := filepath.Join(t.TempDir(), "status.yaml")
			if err := os.WriteFile(file, []byte(spec.String()), 0o600); err != nil {
				t.Fatal(err)
			}

			cmd := command(bin, srv, "apply", "-f", file, "--auto-approve", "--parallelism", "1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			pipe, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Read stdout to the end; signal on the first finished create.
			var stdout bytes.Buffer
			firstCreate := make(chan struct{})
			readDone := make(chan struct{})
			go func() {
				defer close(readDone)
				sc := bufio.NewScanner(pipe)
				signalled := false
				for sc.Scan() {
					line := sc.Text()
					stdout.WriteString(line + "\n")
					if !signalled && strings.HasPrefix(line, "+ ") && strings.Contains(line, ": created") {
						signalled = true
						close(firstCreate)
					}
				}
			}()
			waitErr := make(chan error, 1)
			go func() {
				<-readDone // Wait closes the pipe: read it all first
				waitErr <- cmd.Wait()
			}()

			const bound = 10 * time.Second // a failure timeout, not a performance assertion
			select {
			case <-firstCreate:
			case err := <-waitErr:
				t.Fatalf("apply ended before any create was reported: %v\n%s%s", err, stdout.String(), stderr.String())
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				<-waitErr
				t.Fatalf("no create reported within a minute\n%s%s", stdout.String(), stderr.String())
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err = <-waitErr:
			case <-time.After(bound):
				cmd.Process.Kill()
				<-waitErr
				t.Fatalf("still running %v after %v\n%s%s", tc.sig, bound, stdout.String(), stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want code %d\n%s%s", err, tc.code, stdout.String(), stderr.String())
			}
			m := summaryRE.FindStringSubmatch(stdout.String())
			if m == nil || !strings.Contains(stdout.String(), "not attempted") {
				t.Fatalf("no summary:\n%s", stdout.String())
			}
			applied, _ := strconv.Atoi(m[1])
			failed, _ := strconv.Atoi(m[2])
			notAttempted, _ := strconv.Atoi(m[3])
			if failed != 0 || notAttempted == 0 || applied+notAttempted != total {
				t.Fatalf("summary %q for %d operations", m[0], total)
			}
			if n := len(srv.Components()); n != applied {
				t.Fatalf("the page holds %d components, the summary says %d applied", n, applied)
			}
			if !strings.Contains(stderr.String(), "Interrupted") {
				t.Errorf("stderr does not report the interrupt:\n%s", stderr.String())
			}

			if out, err := command(bin, srv, "apply", "-f", file, "--auto-approve").CombinedOutput(); err != nil {
				t.Fatalf("re-run: %v\n%s", err, out)
			}
			if out, err := command(bin, srv, "plan", "-f", file, "--detailed-exitcode").CombinedOutput(); err != nil {
				t.Fatalf("plan after the re-run: %v\n%s", err, out)
			}
			if n := len(srv.Components()); n != total {
				t.Fatalf("%d components after the re-run, want %d", n, total)
			}
		})
	}
}

// TestDevNullIsNotATerminal: `apply < /dev/null` must say it needs
// --auto-approve instead of prompting; /dev/null is a character device,
// which the earlier check took for a terminal.
func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Fatal("/dev/null is taken for a terminal")
	}
}

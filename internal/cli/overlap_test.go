package cli_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/examples"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// readsObserver is an emulator behind a handler that reports the first API
// request it receives, and can hold every request until its client gives
// up (hold), reporting each one it saw end that way.
type readsObserver struct {
	emu       *cachettest.Emulator
	srv       *httptest.Server
	first     chan struct{}
	once      sync.Once
	hold      bool
	mu        sync.Mutex
	held      int
	cancelled int
}

func newReadsObserver(t *testing.T, hold bool) *readsObserver {
	o := &readsObserver{emu: cachettest.New(), first: make(chan struct{}), hold: hold}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.once.Do(func() { close(o.first) })
		if !o.hold {
			o.emu.ServeHTTP(w, r)
			return
		}
		o.mu.Lock()
		o.held++
		o.mu.Unlock()
		<-r.Context().Done() // answers nothing until the client cancels
		o.mu.Lock()
		o.cancelled++
		o.mu.Unlock()
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *readsObserver) url() string { return o.srv.URL + "/api/v1" }

// waitForFirstRead blocks the parse until the server has seen a request:
// it only returns promptly if the reads start before the parse.
func (o *readsObserver) waitForFirstRead(t *testing.T) func() {
	return func() {
		select {
		case <-o.first:
		case <-time.After(20 * time.Second): // a failure only: never reached when reads overlap
			t.Error("no request reached the server while the file was being parsed: the reads wait for the parse")
		}
	}
}

// TestPlanReadsWhileParsing: the live page's first request reaches the
// server before the file's parse has begun, and the plan is the same.
func TestPlanReadsWhileParsing(t *testing.T) {
	o := newReadsObserver(t, false)
	defer cli.SetParseHook(o.waitForFirstRead(t))()
	file := writeFile(t, "status.yaml", examples.StatusYAML)
	r := run(t, o.url(), o.emu.Token(), "plan", "-f", file)
	if r.code != 0 || !strings.Contains(r.stdout, "Plan: 10 to create, 0 to update, 0 to delete.") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPlanInvalidFileCancelsReads: with an invalid file, the reads already
// sent are cancelled, and the output (warnings and --debug traces of the
// reads included) is exactly what it is without any server.
func TestPlanInvalidFileCancelsReads(t *testing.T) {
	file := writeFile(t, "status.yaml", []byte("groups:\n  - name: A\n    colapsed: 1\n"))
	// Today's output: no endpoint at all, so nothing can have been read.
	want := run(t, "", "", "plan", "-f", file)
	if want.code == 0 || !strings.Contains(want.stderr, "status.yaml:3:") {
		t.Fatalf("the file is not reported invalid: exit %d\n%s%s", want.code, want.stdout, want.stderr)
	}

	o := newReadsObserver(t, true)
	defer cli.SetParseHook(o.waitForFirstRead(t))()
	// A non-loopback-looking endpoint would warn; --debug would trace.
	// With --timeout 1h, a plan that waited for its reads without cancelling
	// them would hang here.
	got := run(t, o.url(), o.emu.Token(), "plan", "-f", file, "--debug", "--timeout", "1h")
	if got != want {
		t.Errorf("output differs from the plan without reads:\ngot  exit %d\n%s%s\nwant exit %d\n%s%s", got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
	}
	// The server learns of a cancel when the client drops the connection,
	// a moment after plan returned: wait for it (a failure only times out).
	deadline := time.Now().Add(20 * time.Second)
	for {
		o.mu.Lock()
		held, cancelled := o.held, o.cancelled
		o.mu.Unlock()
		if held > 0 && cancelled == held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d reads reached the server, %d were cancelled; want all of at least one", held, cancelled)
		}
		runtime.Gosched()
	}
}

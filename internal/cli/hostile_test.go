package cli_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestRedirectedWritesAreNotReportedApplied: an endpoint whose reads are
// answered but whose writes are redirected (301, as an http endpoint
// redirecting to https does) used to print "updated", "deleted" and
// "Apply complete: 2 applied" with no write on the server, because Go turns
// PUT and DELETE into GET on a 301. Now each write fails with the Location,
// nothing reaches the other server, and the exit code is 4.
func TestRedirectedWritesAreNotReportedApplied(t *testing.T) {
	emu := cachettest.New()
	emu.SeedComponent(cachet.Component{Name: "API", Description: "old", Enabled: true})
	emu.SeedComponent(cachet.Component{Name: "Stray", Enabled: true})
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		emu.ServeHTTP(w, r)
	}))
	defer other.Close()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: new\nprune: {components: true}\n"))
	r := run(t, ts.URL+"/api/v1", emu.Token(), "apply", "-f", file, "--auto-approve")
	if r.code != cli.ExitPartial || strings.Contains(r.stdout, "2 applied") || !strings.Contains(r.stdout, "0 applied, 1 failed, 1 not attempted") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "use that endpoint: "+other.URL+"/api/v1") {
		t.Fatalf("the failure does not name the endpoint to use:\n%s", r.stdout)
	}
	if n := elsewhere.Load(); n != 0 || writes(emu) != 0 {
		t.Fatalf("%d requests reached the other server, %d writes the emulator", n, writes(emu))
	}
}

// TestIncompleteListIsAnErrorNotNoChanges: a list whose total is 2 but
// which holds one item used to plan "No changes", exit 0. It is exit 1 now.
func TestIncompleteListIsAnErrorNotNoChanges(t *testing.T) {
	emu := cachettest.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/components") {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"meta":{"pagination":{"total":2,"count":1,"per_page":500,"current_page":1,"total_pages":1}},"data":[{"id":1,"name":"API","status":1,"enabled":true,"meta":null}]}`)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n"))
	r := run(t, ts.URL+"/api/v1", emu.Token(), "plan", "-f", file)
	if r.code != cli.ExitError || strings.Contains(r.stdout, "No changes") || !strings.Contains(r.stderr, "could not be read completely (read 1 objects but the server reported 2)") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestEscapeCodesNeverReachTheTerminal: ESC, OSC and BEL in a live
// description (shown as a long-text diff), a name and a server's error are
// printed escaped, in text and Markdown.
func TestEscapeCodesNeverReachTheTerminal(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	hostile := "Served from the primary region, with failover.\x1b[8m hidden \x1b]0;owned\x07 \u009b2J and \u202eevil"
	srv.SeedComponent(cachet.Component{Name: "API", Description: hostile, Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "Stray\x1b[2J\u009b", Description: "x\x1b[8m", Enabled: true})
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: API\n    description: Served from the primary region, with failover, and more words here.\nprune: {components: true}\n"))
	for _, format := range []string{"text", "markdown"} {
		r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--format", format)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", format, r.code, r.stdout, r.stderr)
		}
		if strings.ContainsAny(r.stdout, "\x1b\x07\u009b\u202e") {
			t.Fatalf("%s: a control character reached the output:\n%q", format, r.stdout)
		}
		if !strings.Contains(r.stdout, `\x1b[8m hidden \x1b]0;owned\x07 \u009b2J and \u202eevil`) {
			t.Fatalf("%s: the description is not shown escaped:\n%s", format, r.stdout)
		}
	}
}

// TestMaxObjectsAndDeadline: a page with more objects than --max-objects
// is refused before its pages are read, and --deadline ends a run against
// a server that never answers, whatever --timeout says.
func TestMaxObjectsAndDeadline(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	for _, name := range []string{"A", "B", "C"} {
		srv.SeedComponent(cachet.Component{Name: name, Enabled: true})
	}
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n"))
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--max-objects", "2")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "reports 3 objects, more than the 2 this tool reads (--max-objects)") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer silent.Close()
	r = run(t, silent.URL+"/api/v1", "a-token-of-twenty-ch", "plan", "-f", file, "--timeout", "1h", "--deadline", "200ms")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "the run passed its --deadline of 200ms") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestNestedEmptyMetaDoesNotDrift: Cachet serves a stored {labels: {}} as
// {"labels":[]} (see plan/meta.go); the plan after the apply is empty.
func TestNestedEmptyMetaDoesNotDrift(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n    meta: {labels: {}, x: {y: {}}, z: [], n: 1}\n"))
	if r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
	if r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestDeadlineStopsAnApplyAgainstASilentServer: writes that are never
// answered cost one --timeout each (retries included), and once --deadline
// has passed no further call starts. (A call in flight is left to finish
// within its --timeout, as after an interrupt.)
func TestDeadlineStopsAnApplyAgainstASilentServer(t *testing.T) {
	emu := cachettest.New()
	for _, name := range []string{"A", "B", "C"} {
		emu.SeedComponent(cachet.Component{Name: name, Description: "old", Enabled: true})
	}
	var writesSeen atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writesSeen.Add(1)
			io.Copy(io.Discard, r.Body) // then a closed connection cancels r's context
			<-r.Context().Done()
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n    description: new\n  - name: B\n    description: new\n  - name: C\n    description: new\n"))
	r := run(t, ts.URL+"/api/v1", emu.Token(), "apply", "-f", file, "--auto-approve", "--parallelism", "1", "--timeout", "1s", "--deadline", "300ms")
	if r.code == 0 || strings.Contains(r.stdout, " applied,") && !strings.Contains(r.stdout, "0 applied") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writesSeen.Load(); n != 1 {
		t.Fatalf("%d writes sent, want 1 (no call starts after the deadline)\n%s%s", n, r.stdout, r.stderr)
	}
}

package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// journalLine is one line of `apply --journal`, decoded loosely so that a
// missing field shows up as its zero value.
type journalLine struct {
	Time   string `json:"time"`
	Step   int    `json:"step"`
	Kind   string `json:"kind"`
	Action string `json:"action"`
	Key    string `json:"key"`
	ID     int    `json:"id"`
	Result string `json:"result"`
	Error  string `json:"error"`
}

func readJournal(t *testing.T, path string) []journalLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []journalLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l journalLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("journal line %d %q: %v", len(lines)+1, sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestApplyJournal: `apply --journal FILE` writes one JSON line per finished
// or skipped call; the counts match the summary, applied creates carry the
// new ids, a call the server refused is "failed" with the error, and a
// second run appends to the same file.
func TestApplyJournal(t *testing.T) {
	emu := cachettest.New()
	stray := emu.SeedComponent(cachet.Component{Name: "Stray", Enabled: true})
	var refuse atomic.Bool
	refuse.Store(true)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api/v1/components") {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(`"Broken"`)) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"errors":[{"id":"x","status":400,"title":"Bad Request","detail":"The request cannot be fulfilled due to bad syntax."}]}`))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		emu.ServeHTTP(w, r)
	}))
	defer ts.Close()
	endpoint := ts.URL + "/api/v1"
	file := writeFile(t, "s.yaml", []byte(`
groups:
  - name: G
    components:
      - name: In G
components:
  - name: Alone
  - name: Broken
prune: {components: true}
`))
	journal := filepath.Join(t.TempDir(), "journal.jsonl")

	r := run(t, endpoint, emu.Token(), "apply", "-f", file, "--auto-approve", "--journal", journal)
	// group G, In G, Alone applied; Broken failed; the stray's delete is
	// not attempted after a failure.
	if r.code != cli.ExitPartial || !strings.Contains(r.stdout, "3 applied, 1 failed, 1 not attempted.") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := readJournal(t, journal)
	if len(lines) != 5 {
		t.Fatalf("%d journal lines, want 5: %+v", len(lines), lines)
	}
	live := map[string]int{}
	for _, c := range emu.Components() {
		live[c.Name] = c.ID
	}
	for _, g := range emu.Groups() {
		live["group "+g.Name] = g.ID
	}
	count := map[string]int{}
	for _, l := range lines {
		count[l.Result]++
		if l.Time == "" || l.Step == 0 || l.Kind == "" || l.Action == "" || l.Key == "" {
			t.Errorf("incomplete line %+v", l)
		}
		switch l.Key {
		case "G", "In G", "Alone":
			name := l.Key
			if l.Kind == "group" {
				name = "group " + l.Key
			}
			if l.Result != "applied" || l.Action != "create" || l.Error != "" || l.ID == 0 || l.ID != live[name] {
				t.Errorf("line %+v; live id %d", l, live[name])
			}
		case "Broken":
			if l.Result != "failed" || l.Kind != "component" || !strings.Contains(l.Error, "400") || l.ID != 0 {
				t.Errorf("failed call: %+v", l)
			}
		case "Stray":
			if l.Result != "skipped" || l.Action != "delete" || l.ID != stray.ID || l.Error == "" {
				t.Errorf("skipped delete: %+v", l)
			}
		default:
			t.Errorf("unexpected line %+v", l)
		}
	}
	if count["applied"] != 3 || count["failed"] != 1 || count["skipped"] != 1 {
		t.Fatalf("results %v do not match the summary", count)
	}
	if _, ok := live["Broken"]; ok {
		t.Fatal("Broken was created although the server refused it")
	}

	// The re-run finishes the job and appends its two calls.
	refuse.Store(false)
	r = run(t, endpoint, emu.Token(), "apply", "-f", file, "--auto-approve", "--journal", journal)
	if r.code != 0 || !strings.Contains(r.stdout, "2 applied, 0 failed, 0 not attempted.") {
		t.Fatalf("re-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines = readJournal(t, journal)
	if len(lines) != 7 {
		t.Fatalf("%d journal lines after the re-run, want 7", len(lines))
	}
	for _, l := range lines[5:] {
		if l.Result != "applied" || (l.Key != "Broken" && l.Key != "Stray") {
			t.Errorf("re-run line %+v", l)
		}
	}
	if info, err := os.Stat(journal); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("journal mode: %v %v", info.Mode(), err)
	}
}

// TestApplyJournalUnwritable: a journal that cannot be opened stops apply
// before any write.
func TestApplyJournalUnwritable(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "s.yaml", []byte("components:\n  - name: A\n"))
	journal := filepath.Join(t.TempDir(), "missing-dir", "journal.jsonl")
	r := run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve", "--journal", journal)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "journal") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("%d writes without a journal", n)
	}
}

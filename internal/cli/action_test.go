package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// fakeGitHub serves the issue-comment endpoints of the GitHub REST API for
// one repository, paginated as GitHub paginates them.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []fakeComment
	nextID   int64
	calls    []string
	token    string
	readOnly bool // a token without pull-requests: write
}

type fakeComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	var in struct{ Body string }
	if f.readOnly && r.Method != http.MethodGet {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, http.StatusForbidden)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/status/issues/7/comments":
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		start := min((page-1)*per, len(f.comments))
		end := min(start+per, len(f.comments))
		json.NewEncoder(w).Encode(f.comments[start:end])
	case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/status/issues/7/comments":
		json.NewDecoder(r.Body).Decode(&in)
		f.nextID++
		f.comments = append(f.comments, fakeComment{f.nextID, in.Body})
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(f.comments[len(f.comments)-1])
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/status/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/acme/status/issues/comments/"), 10, 64)
		json.NewDecoder(r.Body).Decode(&in)
		for i := range f.comments {
			if f.comments[i].ID == id {
				f.comments[i].Body = in.Body
				json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

// actionRun runs `cachetsync action ...` as action.yml does, in a
// GitHub-like environment rooted at dir.
type actionEnv struct {
	dir, event, summary, output string
	api                         string
}

func newActionEnv(t *testing.T, api string, fork bool) *actionEnv {
	t.Helper()
	dir := t.TempDir()
	e := &actionEnv{dir: dir, api: api, event: filepath.Join(dir, "event.json"),
		summary: filepath.Join(dir, "summary.md"), output: filepath.Join(dir, "output.txt")}
	head := "acme/status"
	if fork {
		head = "someone/status"
	}
	ev := fmt.Sprintf(`{"pull_request":{"number":7,"head":{"repo":{"full_name":%q}}},"repository":{"full_name":"acme/status"}}`, head)
	if err := os.WriteFile(e.event, []byte(ev), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "work"), 0o700); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *actionEnv) run(t *testing.T, srv *cachettest.Server, args ...string) result {
	t.Helper()
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": filepath.Join(e.dir, "work"), "GITHUB_EVENT_PATH": e.event,
		"GITHUB_STEP_SUMMARY": e.summary, "GITHUB_OUTPUT": e.output, "RUNNER_TEMP": e.dir,
		"GITHUB_API_URL": e.api, "GITHUB_TOKEN": "gh-token",
	}
	var out, errOut bytes.Buffer
	args = append(append([]string{"action"}, args...), "--endpoint", srv.URL, "--token", srv.Token())
	code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""),
		Getenv: func(k string) string { return env[k] }, Context: context.Background()})
	return result{code, out.String(), errOut.String()}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestActionCommentsOncePerFile: the Action's plan goes to the job summary,
// the full plan to the artifact directory, the outputs to $GITHUB_OUTPUT,
// and into one pull-request comment per file, found again by its marker and
// updated in place; other comments, also beyond the first page, are left
// alone.
func TestActionCommentsOncePerFile(t *testing.T) {
	gh := &fakeGitHub{token: "gh-token"}
	for i := range 120 { // more than a page of other comments
		gh.nextID++
		gh.comments = append(gh.comments, fakeComment{gh.nextID, fmt.Sprintf("LGTM %d", i)})
	}
	api := httptest.NewServer(gh)
	defer api.Close()
	srv := cachettest.NewServer()
	defer srv.Close()
	e := newActionEnv(t, api.URL, false)
	file := filepath.Join(e.dir, "work", "status.yaml")
	if err := os.WriteFile(file, []byte("components:\n  - name: API\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	r := e.run(t, srv, "plan", file, "--comment")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Plan: 1 to create") {
		t.Errorf("the job log lacks the text plan:\n%s", r.stdout)
	}
	if out := readString(t, e.output); !strings.Contains(out, "changes=true\n") || !strings.Contains(out, "exitcode=0\n") || !strings.Contains(out, "plan-dir="+filepath.Join(e.dir, "cachetsync")+"\n") {
		t.Errorf("outputs:\n%s", out)
	}
	if sum := readString(t, e.summary); !strings.Contains(sum, "## cachetsync plan") || !strings.Contains(sum, "`status.yaml`") {
		t.Errorf("summary:\n%s", sum)
	}
	if md := readString(t, filepath.Join(e.dir, "cachetsync", "plan.md")); !strings.Contains(md, "create component \"API\"") {
		t.Errorf("plan.md:\n%s", md)
	}
	if !json.Valid([]byte(readString(t, filepath.Join(e.dir, "cachetsync", "plan.json")))) {
		t.Error("plan.json is not JSON")
	}
	if len(gh.comments) != 121 || !strings.HasPrefix(gh.comments[120].Body, `<!-- cachetsync-plan file="status.yaml" -->`) {
		t.Fatalf("%d comments; last: %q", len(gh.comments), gh.comments[len(gh.comments)-1].Body)
	}

	// A new push: the same comment is updated.
	if err := os.WriteFile(file, []byte("components:\n  - name: API\n  - name: Web\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.run(t, srv, "plan", file, "--comment"); r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	if len(gh.comments) != 121 || !strings.Contains(gh.comments[120].Body, "Plan: 2 to create") {
		t.Fatalf("not updated in place: %d comments, last %q", len(gh.comments), gh.comments[120].Body)
	}
	// Another file: a comment of its own.
	other := filepath.Join(e.dir, "work", "other.yaml")
	if err := os.WriteFile(other, []byte("components: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.run(t, srv, "plan", other, "--comment"); r.code != 0 {
		t.Fatalf("other file: exit %d\n%s", r.code, r.stderr)
	}
	if len(gh.comments) != 122 || !strings.HasPrefix(gh.comments[121].Body, `<!-- cachetsync-plan file="other.yaml" -->`) || !strings.Contains(gh.comments[120].Body, "Plan: 2 to create") {
		t.Fatalf("%d comments", len(gh.comments))
	}
	for i := range 120 {
		if gh.comments[i].Body != fmt.Sprintf("LGTM %d", i) {
			t.Fatalf("comment %d changed: %q", i, gh.comments[i].Body)
		}
	}
	if n := writes(srv.Emulator); n != 0 {
		t.Fatalf("the plan wrote %d times", n)
	}
}

// TestActionFitsALargePlan: the comment of 400 new subscribers stays under
// GitHub's 65,536 characters, while the artifact holds the full plan.
func TestActionFitsALargePlan(t *testing.T) {
	gh := &fakeGitHub{token: "gh-token"}
	api := httptest.NewServer(gh)
	defer api.Close()
	srv := cachettest.NewServer()
	defer srv.Close()
	e := newActionEnv(t, api.URL, false)
	var b strings.Builder
	b.WriteString("components:\n  - name: API\n  - name: Web\n  - name: Checkout\nsubscribers:\n")
	for i := range 400 {
		fmt.Fprintf(&b, "  - email: subscriber-%04d@example.com\n    components: [API, Checkout]\n", i)
	}
	file := filepath.Join(e.dir, "work", "status.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.run(t, srv, "plan", file, "--comment"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	full := readString(t, filepath.Join(e.dir, "cachetsync", "plan.md"))
	if len(gh.comments) != 1 {
		t.Fatalf("%d comments", len(gh.comments))
	}
	body := gh.comments[0].Body
	t.Logf("full plan %d bytes, comment %d bytes", len(full), len(body))
	if len(full) <= 65536 || len([]rune(body)) > 65536 || !strings.Contains(body, "400 subscribers to create (folded to fit)") {
		t.Fatalf("full %d bytes, comment %d runes", len(full), len([]rune(body)))
	}
}

// TestActionSkipsForksAndApplies: a fork's pull request gets no API call
// and a clear line; apply applies and reports in the summary.
func TestActionSkipsForksAndApplies(t *testing.T) {
	gh := &fakeGitHub{token: "gh-token"}
	api := httptest.NewServer(gh)
	defer api.Close()
	srv := cachettest.NewServer()
	defer srv.Close()
	e := newActionEnv(t, api.URL, true)
	file := filepath.Join(e.dir, "work", "status.yaml")
	if err := os.WriteFile(file, []byte("components:\n  - name: API\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run(t, srv, "plan", file, "--comment")
	if r.code != 0 || len(gh.calls) != 0 || !strings.Contains(r.stderr, "from a fork") {
		t.Fatalf("fork: exit %d, calls %v\n%s", r.code, gh.calls, r.stderr)
	}
	// The fork job validates offline: no plan, no comment, no artifact.
	before := len(readString(t, e.output))
	r = e.run(t, srv, "validate", file, "--comment")
	if r.code != 0 || !strings.Contains(r.stdout, "is valid") || len(gh.calls) != 0 || strings.Contains(readString(t, e.output)[before:], "plan-dir=") {
		t.Fatalf("validate: exit %d, calls %v\n%s%s", r.code, gh.calls, r.stdout, r.stderr)
	}
	r = e.run(t, srv, "apply", file)
	if r.code != 0 || len(srv.Components()) != 1 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if sum := readString(t, e.summary); !strings.Contains(sum, "applied: Apply complete: 1 applied, 0 failed, 0 not attempted.") {
		t.Fatalf("summary:\n%s", sum)
	}
	// A refused plan fails the step, with the plan still reported.
	srv.SeedComponent(cachet.Component{Name: "Old 1", Enabled: true})
	r = e.run(t, srv, "plan", writeFile(t, "prune.yaml", []byte("components: []\nprune: {components: true}\n")), "--max-deletes", "0")
	if r.code != cli.ExitRefused || !strings.Contains(readString(t, e.output), "exitcode=3\n") {
		t.Fatalf("refused: exit %d\n%s", r.code, r.stderr)
	}
}

// TestActionFailsWhenTheCommentFails: a token that may not comment fails
// the step with the reason, after the plan went to the summary.
func TestActionFailsWhenTheCommentFails(t *testing.T) {
	gh := &fakeGitHub{token: "gh-token", readOnly: true}
	api := httptest.NewServer(gh)
	defer api.Close()
	srv := cachettest.NewServer()
	defer srv.Close()
	e := newActionEnv(t, api.URL, false)
	file := filepath.Join(e.dir, "work", "status.yaml")
	if err := os.WriteFile(file, []byte("components:\n  - name: API\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run(t, srv, "plan", file, "--comment")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "::error::cachetsync: the plan is in the job summary, but not in a pull-request comment") ||
		!strings.Contains(r.stderr, "403 Forbidden") || !strings.Contains(r.stderr, "pull-requests: write") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(readString(t, e.summary), "## cachetsync plan") || !strings.Contains(readString(t, e.output), "exitcode=1\n") {
		t.Fatal("no summary, or the exit code output is wrong")
	}
}

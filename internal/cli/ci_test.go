package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

const badSpec = `groups:
  - name: Ops
    colapsed: open
    components:
      - name: API
        status: broken
`

// TestGitHubAnnotations: under GitHub Actions, every validation problem is
// also printed as a workflow command that annotates the file on the pull
// request; elsewhere it is not. No API call is made either way.
func TestGitHubAnnotations(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	workspace := t.TempDir()
	file := filepath.Join(workspace, "config", "cachet.yaml")
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(badSpec), 0o600); err != nil {
		t.Fatal(err)
	}
	// Paths relative to the workspace, on stderr: stdout may be a plan.
	want := []string{
		"::error file=config/cachet.yaml,line=3,col=5::unknown key \"colapsed\"",
		"::error file=config/cachet.yaml,line=6,col=17::unknown component status \"broken\"",
	}
	for _, cmd := range [][]string{{"validate", "-f", file}, {"plan", "-f", file}} {
		t.Run(cmd[0], func(t *testing.T) {
			var s *cachettest.Server
			if cmd[0] == "plan" {
				s = srv
			}
			r := runEnv(t, s, map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace}, cmd...)
			if r.code != cli.ExitError {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, cli.ExitError, r.stdout, r.stderr)
			}
			for _, w := range want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stdout, "::") {
				t.Errorf("annotations on stdout:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, file+":3:5: unknown key") {
				t.Errorf("stderr lacks the file:line:column diagnostic:\n%s", r.stderr)
			}

			r = runEnv(t, s, nil, cmd...)
			if r.code != cli.ExitError || strings.Contains(r.stdout+r.stderr, "::error") {
				t.Errorf("outside GitHub Actions: exit %d, output:\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
	// plan reads the page while it parses the file (issue 13), and cancels
	// those GETs when the file is invalid; nothing else may be sent.
	if n := srv.Stats().Requests; writeCount(srv.Emulator) != 0 {
		t.Errorf("an invalid file led to writes: %v", n)
	}
}

// planSpec changes the seeded page: a description, a new component, and
// a new subscriber whose e-mail must be masked in text and Markdown.
const planSpec = `groups:
  - name: Customer facing
    components:
      - name: API
        description: |-
          Public REST API
          all regions, now with | pipes
      - name: Website
      - name: Checkout
        description: Payments
  - name: Intern — Zürich
    components:
      - name: CI
components:
  - name: Status page
subscribers:
  - email: New.Person@example.com
    components: [Checkout]
`

// TestPlanFormats runs plan in each output format against the emulator:
// text and Markdown mask e-mails unless --show-emails, JSON keeps them.
func TestPlanFormats(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	file := filepath.Join(t.TempDir(), "cachet.yaml")
	if err := os.WriteFile(file, []byte(planSpec), 0o600); err != nil {
		t.Fatal(err)
	}
	const email, masked = "New.Person@example.com", "N***@example.com"

	t.Run("text", func(t *testing.T) {
		r := runEnv(t, srv, nil, "plan", "-f", file, "--detailed-exitcode")
		if r.code != cli.ExitChanges || !strings.Contains(r.stdout, "Plan: 2 to create, 1 to update, 0 to delete.") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(strings.ToLower(r.stdout), "new.person@") || !strings.Contains(r.stdout, masked) {
			t.Errorf("e-mail not masked:\n%s", r.stdout)
		}
		r = runEnv(t, srv, nil, "plan", "-f", file, "--show-emails")
		if !strings.Contains(r.stdout, email) {
			t.Errorf("--show-emails does not show the e-mail:\n%s", r.stdout)
		}
	})

	t.Run("markdown", func(t *testing.T) {
		r := runEnv(t, srv, nil, "plan", "-f", file, "--format", "markdown", "--detailed-exitcode")
		if r.code != cli.ExitChanges {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			"## cachetsync plan\n\n**Plan: 2 to create, 1 to update, 0 to delete.**",
			"| 2 | 1 | 0 |",
			"### `~` update component \"API\" (id 1)",
			"```diff\n Public REST API\n-all regions\n+all regions, now with | pipes\n```",
			"### `+` create subscriber n\\*\\*\\*@example.com",
			"`\"" + masked + "\"`",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("missing %q in:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(strings.ToLower(r.stdout), "new.person@") || strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("unmasked e-mail or colour in Markdown:\n%s", r.stdout)
		}
		r = runEnv(t, srv, nil, "plan", "-f", file, "--format", "markdown", "--show-emails")
		if !strings.Contains(r.stdout, "`\""+email+"\"`") {
			t.Errorf("--show-emails does not show the e-mail:\n%s", r.stdout)
		}
	})

	t.Run("json", func(t *testing.T) {
		r := runEnv(t, srv, nil, "plan", "-f", file, "--format", "json", "--detailed-exitcode")
		if r.code != cli.ExitChanges {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		var doc struct {
			FormatVersion  string         `json:"format_version"`
			Summary        map[string]int `json:"summary"`
			ChangesPresent bool           `json:"changes_present"`
			Operations     []struct {
				Kind, Action, Key string
				Changes           []struct {
					Field         string
					Before, After any
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, r.stdout)
		}
		if doc.FormatVersion != "1.1" || !doc.ChangesPresent || doc.Summary["create"] != 2 || doc.Summary["update"] != 1 {
			t.Errorf("unexpected document: %+v", doc)
		}
		found := false
		for _, op := range doc.Operations {
			if op.Kind == "subscriber" {
				found = op.Key == strings.ToLower(email) && op.Changes[0].After == email
			}
		}
		if !found {
			t.Errorf("the subscriber's e-mail is not in full in JSON:\n%s", r.stdout)
		}
	})

	if n := writeCount(srv.Emulator); n != 0 {
		t.Errorf("plan sent %d writes", n)
	}
}

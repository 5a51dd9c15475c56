package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// TestBareCommandPrintsUsage: a bare cachetsync prints the usage and exits 0.
func TestBareCommandPrintsUsage(t *testing.T) {
	r := run(t, "", "")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: cachetsync <command>") || !strings.Contains(r.stdout, "plan") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHelpCommand: `help` and `help plan` print the usage of cachetsync and
// of plan, and exit 0.
func TestHelpCommand(t *testing.T) {
	if r := run(t, "", "", "help"); r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
		t.Fatalf("help: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, "", "", "help", "plan")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: cachetsync plan [<file>]") || !strings.Contains(r.stdout, "--max-bytes") {
		t.Fatalf("help plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestVersion: `version`, --version and -v print the same line, and the
// User-Agent of every API request carries the same version string.
func TestVersion(t *testing.T) {
	want := regexp.MustCompile(`^cachetsync (devel|v\S+)( \(commit [0-9a-f]+(-dirty)?(, \S+)?\)| \(\S+\))? go\S+ \w+/\w+\n$`)
	var first string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		r := run(t, "", "", args...)
		if r.code != 0 || !want.MatchString(r.stdout) {
			t.Fatalf("%v: exit %d, %q", args, r.code, r.stdout)
		}
		if first == "" {
			first = r.stdout
		} else if r.stdout != first {
			t.Fatalf("%v printed %q, version printed %q", args, r.stdout, first)
		}
	}
	version := strings.Fields(first)[1]
	emu := cachettest.New()
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: API\n"))
	if r := run(t, srv.URL+"/api/v1", cachettest.DefaultToken, "plan", file, "--read-concurrency", "1"); r.code != 0 {
		t.Fatalf("plan: exit %d\n%s", r.code, r.stderr)
	}
	if len(agents) == 0 {
		t.Fatal("no request")
	}
	// The version string without the Go version and platform.
	line := strings.TrimSpace(first)
	uaVersion := strings.TrimPrefix(line[:strings.LastIndex(line[:strings.LastIndex(line, " ")], " ")], "cachetsync ")
	for _, a := range agents {
		if a != "cachetsync/"+uaVersion || !strings.HasPrefix(uaVersion, version) {
			t.Fatalf("User-Agent %q, want %q", a, "cachetsync/"+uaVersion)
		}
	}
}

// TestFileArgument: plan, validate and apply take the file as an argument
// as well as with -f.
func TestFileArgument(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: API\n"))
	if r := run(t, "", "", "validate", file); r.code != 0 || !strings.Contains(r.stdout, "is valid") {
		t.Fatalf("validate FILE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"plan", file}, {"plan", "-f", file}} {
		if r := run(t, srv.URL, srv.Token(), args...); r.code != 0 || !strings.Contains(r.stdout, "Plan: 1 to create") {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	other := writeFile(t, "other.yaml", []byte("components: []\n"))
	if r := run(t, srv.URL, srv.Token(), "plan", file, "-f", other); r.code != cli.ExitError || !strings.Contains(r.stderr, "two files given") {
		t.Fatalf("two files: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve"); r.code != 0 || len(srv.Components()) != 1 {
		t.Fatalf("apply FILE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestDefaultFile: without a file, cachetsync.yaml is read, else
// status.yaml, and the error names both when neither exists.
func TestDefaultFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := run(t, "", "", "validate")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "neither cachetsync.yaml nor status.yaml") {
		t.Fatalf("no file: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.WriteFile("status.yaml", []byte("components:\n  - name: A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "", "validate")
	if r.code != 0 || !strings.Contains(r.stdout, "status.yaml is valid: 0 groups, 1 component, 0 subscribers.") || !strings.Contains(r.stderr, "Reading status.yaml") {
		t.Fatalf("status.yaml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile("cachetsync.yaml", []byte("components:\n  - name: A\n  - name: B\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "", "validate")
	if r.code != 0 || !strings.Contains(r.stdout, "cachetsync.yaml is valid: 0 groups, 2 components") {
		t.Fatalf("cachetsync.yaml first: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	srv := cachettest.NewServer()
	defer srv.Close()
	if r := run(t, srv.URL, srv.Token(), "plan"); r.code != 0 || !strings.Contains(r.stdout, "Plan: 2 to create") {
		t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestApplyTellsPlanFromSpec: `apply FILE` applies a saved plan or plans and
// applies a YAML file, told apart by content; `apply -f PLAN` says to drop -f.
func TestApplyTellsPlanFromSpec(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	file := writeFile(t, "status.yaml", []byte("# a comment first\ncomponents:\n  - name: API\n"))
	saved := filepath.Join(t.TempDir(), "saved.plan")
	if r := run(t, srv.URL, srv.Token(), "plan", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: exit %d\n%s", r.code, r.stderr)
	}
	r := run(t, srv.URL, srv.Token(), "apply", "-f", saved)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "is a saved plan, not a YAML file: apply it without -f (cachetsync apply "+saved+")") {
		t.Fatalf("apply -f PLAN: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("more than one line:\n%s", r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", saved); r.code != 0 || len(srv.Components()) != 1 {
		t.Fatalf("apply PLAN: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A YAML file as the argument: planned, then (on no terminal) refused
	// without --auto-approve, exactly like -f.
	file2 := writeFile(t, "more.yaml", []byte("components:\n  - name: API\n  - name: Web\n"))
	r = run(t, srv.URL, srv.Token(), "apply", file2)
	if r.code != cli.ExitError || !strings.Contains(r.stdout, "Plan: 1 to create") || !strings.Contains(r.stderr, "--auto-approve") {
		t.Fatalf("apply YAML: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file2, "--auto-approve"); r.code != 0 || len(srv.Components()) != 2 {
		t.Fatalf("apply YAML --auto-approve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestEndpointCompletion: the site's URL of a 2.x page is probed and gets
// /api/v1, said once on stderr;
// an endpoint already ending in /api/v1 is used as given.
func TestEndpointCompletion(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	site := strings.TrimSuffix(srv.URL, "/api/v1")
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: API\n"))
	r := run(t, site+"/", srv.Token(), "apply", file, "--auto-approve")
	if r.code != 0 || len(srv.Components()) != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stderr, "using the API at "+srv.URL+" (API v1, Cachet 2.x)\n"); n != 1 {
		t.Errorf("said %d times, want once:\n%s", n, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || strings.Contains(r.stderr, "using the API") {
		t.Errorf("full endpoint: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, site+"/api/v2", srv.Token(), "plan", file); r.code != cli.ExitError || !strings.Contains(r.stderr, "must end in /api/v1") {
		t.Errorf("/api/v2: exit %d\n%s", r.code, r.stderr)
	}
}

// TestPlainHTTPWarning: a token about to travel over plain HTTP to a host
// that is not this machine is warned about; loopback is not.
func TestPlainHTTPWarning(t *testing.T) {
	file := writeFile(t, "status.yaml", []byte("components: []\n"))
	// The context is cancelled before the command starts: the warning is
	// printed while the client is built, and no request (not even a DNS
	// lookup) is made.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errOut bytes.Buffer
	cli.Run([]string{"plan", file, "--endpoint", "http://status.example.com", "--token", "t"}, &cli.Env{Stdout: io.Discard, Stderr: &errOut,
		Getenv: func(string) string { return "" }, Context: ctx})
	r := result{stderr: errOut.String()}
	if !strings.Contains(r.stderr, "Warning: the API token travels unencrypted to status.example.com over plain HTTP") {
		t.Fatalf("no warning:\n%s", r.stderr)
	}
	srv := cachettest.NewServer()
	defer srv.Close()
	if r := run(t, srv.URL, srv.Token(), "plan", file); strings.Contains(r.stderr, "unencrypted") {
		t.Fatalf("warned for loopback:\n%s", r.stderr)
	}
}

// TestConnectionFlagsOnlyWhereTheyConnect: validate, schema, demo and fmt
// have no --endpoint or --token; the emulator's --token does not read
// CACHET_API_TOKEN.
func TestConnectionFlagsOnlyWhereTheyConnect(t *testing.T) {
	for _, cmd := range []string{"validate", "schema", "demo", "fmt", "emulator", "completion"} {
		r := run(t, "", "", "help", cmd)
		if r.code != 0 || strings.Contains(r.stdout, "--endpoint") || strings.Contains(r.stdout, "CACHET_API_TOKEN)") {
			t.Errorf("help %s: exit %d\n%s", cmd, r.code, r.stdout)
		}
	}
	for _, cmd := range []string{"plan", "apply", "export"} {
		if r := run(t, "", "", "help", cmd); !strings.Contains(r.stdout, "--endpoint") {
			t.Errorf("help %s lacks --endpoint", cmd)
		}
	}
}

// TestOneErrorPrefix: every error line starts with "cachetsync: ".
func TestOneErrorPrefix(t *testing.T) {
	for _, args := range [][]string{{"plan", "nope.yaml"}, {"bogus"}, {"apply", "--parallelism", "0", "x"}} {
		r := run(t, "", "", args...)
		if r.code == 0 || strings.Contains(r.stderr, "Error:") || !strings.Contains(r.stderr, "cachetsync: ") {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}

// TestFmtRoundTrip: fmt rewrites a file in the layout export writes, keeps
// its comments, plans the same, is idempotent, and fmt -check exits 2 on an
// unformatted file and 0 on a formatted one.
func TestFmtRoundTrip(t *testing.T) {
	in := `# Our status page
prune: {subscribers: false, groups: true}
components:
    - link: https://x.example.com   # the public site
      name: Website
      enabled: false
groups:
    # customer facing first
    - components:
        - tags:
            - eu
            - prod
          name: API
      name: Public
      collapsed: open
subscribers:
    - components:
        - API
      email: a@example.com
`
	want := `# Our status page
groups:
  # customer facing first
  - name: Public
    collapsed: open
    components:
      - name: API
        tags: [eu, prod]

components:
  - name: Website
    link: https://x.example.com # the public site
    enabled: false

subscribers:
  - email: a@example.com
    components: [API]

prune: {groups: true, subscribers: false}
`
	file := writeFile(t, "status.yaml", []byte(in))
	if r := run(t, "", "", "fmt", "-check", file); r.code != cli.ExitChanges || !strings.Contains(r.stdout, file) {
		t.Fatalf("fmt -check of an unformatted file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if data, _ := os.ReadFile(file); string(data) != in {
		t.Fatal("fmt -check changed the file")
	}
	if r := run(t, "", "", "fmt", file); r.code != 0 {
		t.Fatalf("fmt: exit %d\n%s", r.code, r.stderr)
	}
	got, _ := os.ReadFile(file)
	if string(got) != want {
		t.Fatalf("fmt wrote:\n%s\nwant:\n%s", got, want)
	}
	if r := run(t, "", "", "fmt", "-check", file); r.code != 0 {
		t.Fatalf("fmt -check of a formatted file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The same spec before and after.
	srv := cachettest.NewServer()
	defer srv.Close()
	before := run(t, srv.URL, srv.Token(), "plan", writeFile(t, "in.yaml", []byte(in)), "--show-emails", "--allow-mass-delete")
	after := run(t, srv.URL, srv.Token(), "plan", file, "--show-emails", "--allow-mass-delete")
	if before.code != after.code || before.stdout != after.stdout {
		t.Fatalf("plans differ:\n%s\n---\n%s", before.stdout, after.stdout)
	}
	// An exported file is already formatted.
	seedPage(srv.Emulator)
	exported := filepath.Join(t.TempDir(), "export.yaml")
	if r := run(t, srv.URL, srv.Token(), "export", "-o", exported, "--subscribers"); r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, "", "", "fmt", "-check", exported); r.code != 0 {
		t.Fatalf("fmt -check of an export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A broken file is reported, not rewritten.
	bad := writeFile(t, "bad.yaml", []byte("components:\n  - name: [\n"))
	if r := run(t, "", "", "fmt", bad); r.code != cli.ExitError || !strings.Contains(r.stderr, "bad.yaml:") {
		t.Fatalf("fmt of a broken file: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCompletion: each shell's script names every visible command, the
// flags of plan and the values of --format, and no hidden command.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := run(t, "", "", "completion", shell)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", shell, r.code, r.stderr)
		}
		for _, want := range []string{"plan", "apply", "validate", "fmt", "export", "completion", "max-deletes", "detailed-exitcode", "text markdown json", "cachetsync"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s script lacks %q", shell, want)
			}
		}
		if regexp.MustCompile(`(?m)(-a action |^\s+action\)| action )`).MatchString(r.stdout) {
			t.Errorf("%s script names the hidden action command", shell)
		}
	}
	if r := run(t, "", "", "completion", "tcsh"); r.code != cli.ExitError {
		t.Errorf("tcsh: exit %d", r.code)
	}
}

// TestExportSubscribersFile: subscribers are left out by default, and with
// --subscribers-file go to their own file; planning the directory that
// holds both files shows no changes.
func TestExportSubscribersFile(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedPage(srv.Emulator)
	r := run(t, srv.URL, srv.Token(), "export")
	if r.code != 0 || strings.Contains(r.stdout, "@example.com") || strings.Contains(r.stdout, `""`) || strings.Contains(r.stdout, "enabled: true") {
		t.Fatalf("default export: exit %d\n%s", r.code, r.stdout)
	}
	dir := t.TempDir()
	main, subs := filepath.Join(dir, "status.yaml"), filepath.Join(dir, "subscribers.yaml")
	r = run(t, srv.URL, srv.Token(), "export", "-o", main, "--subscribers-file", subs)
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	m, _ := os.ReadFile(main)
	s, _ := os.ReadFile(subs)
	if bytes.Contains(m, []byte("@example.com")) || !bytes.Contains(s, []byte("support@example.com")) {
		t.Fatalf("main:\n%s\nsubscribers:\n%s", m, s)
	}
	if info, err := os.Stat(subs); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("subscribers file mode %v", info.Mode().Perm())
	}
	if r := run(t, srv.URL, srv.Token(), "plan", dir, "--detailed-exitcode"); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan of the directory: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPlanWarningsAnnotated: under GitHub Actions a plan warning becomes a
// ::warning annotation on stderr at the position of the component it
// concerns.
func TestPlanWarningsAnnotated(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{ID: 1, Name: "API", Enabled: true, Tags: cachet.Tags{"eu": "eu"}})
	dir := t.TempDir()
	file := filepath.Join(dir, "status.yaml")
	if err := os.WriteFile(file, []byte("components:\n  - name: Web\n  - name: API\n    tags: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir}
	code := cli.Run([]string{"plan", file, "--endpoint", srv.URL, "--token", srv.Token()}, &cli.Env{Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, Context: context.Background()})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut.String())
	}
	if !regexp.MustCompile(`(?m)^::warning file=status.yaml,line=3,col=\d+::component "API" \(id 1\): .*tags`).MatchString(errOut.String()) {
		t.Fatalf("no annotation at the component:\nstderr:\n%s\nstdout:\n%s", errOut.String(), out.String())
	}
	if strings.Contains(out.String(), "::warning") {
		t.Fatal("annotation on stdout")
	}
}

// TestSyntaxErrorQuotesTheLine: a YAML mistake is printed with its
// file:line:column, the line itself and a caret under the column; control
// characters of the line are not passed to the terminal.
func TestSyntaxErrorQuotesTheLine(t *testing.T) {
	// U+202E (right-to-left override) is valid YAML but would reorder the
	// terminal's line.
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: API\n    description: \"x\u202e y\n  - name: Web\n"))
	r := run(t, "", "", "validate", file)
	want := file + ":3:18: invalid YAML: the quoted string that starts here is never closed; add the closing \"\n" +
		"  3 |     description: \"x\uFFFD y\n" +
		"    |                  ^\n"
	if r.code != cli.ExitError || !strings.HasPrefix(r.stderr, want) || strings.Contains(r.stderr, "\u202e") {
		t.Fatalf("exit %d\n%s\nwant prefix\n%s", r.code, r.stderr, want)
	}
}

// TestCompletionScriptsRun loads each script into its shell (when the shell
// is installed) and asks for completions: commands, flags and the values
// of --format.
func TestCompletionScriptsRun(t *testing.T) {
	dir := t.TempDir()
	script := func(shell string) string {
		r := run(t, "", "", "completion", shell)
		path := filepath.Join(dir, "cachetsync."+shell)
		if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	shellOut := func(name string, args ...string) string {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("no %s", name)
		}
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return string(out)
	}
	t.Run("bash", func(t *testing.T) {
		got := shellOut("bash", "-c", `source "$0"
ask() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _cachetsync; echo "${COMPREPLY[*]}"; }
ask cachetsync pl; ask cachetsync plan --detailed; ask cachetsync plan --format ""; ask cachetsync completion ""`, script("bash"))
		if want := "plan\n--detailed-exitcode\ntext markdown json\nbash zsh fish\n"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("fish", func(t *testing.T) {
		got := shellOut("fish", "-c", `source $argv[1]; complete -C "cachetsync pl"; complete -C "cachetsync plan --detailed"; complete -C "cachetsync plan --format="`, script("fish"))
		for _, want := range []string{"plan\tShow what apply would change", "--detailed-exitcode\t", "--format=markdown\t"} {
			if !strings.Contains(got, want) {
				t.Errorf("lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("zsh", func(t *testing.T) {
		path := script("zsh")
		shellOut("zsh", "-n", path)
		// Loaded as a completion function, it defines _cachetsync.
		got := shellOut("zsh", "-c", `autoload -U compinit && compinit -u -D; source "$1"; whence -w _cachetsync`, "zsh", path)
		if !strings.Contains(got, "_cachetsync: function") {
			t.Fatalf("got %q", got)
		}
	})
}

// TestExamplesAreFormatted: the example files are in the canonical layout.
func TestExamplesAreFormatted(t *testing.T) {
	for _, path := range []string{"../../examples/status.yaml", "../../examples/multi-file"} {
		if r := run(t, "", "", "fmt", "-check", path); r.code != 0 {
			t.Errorf("%s: exit %d\n%s%s", path, r.code, r.stdout, r.stderr)
		}
	}
}

// TestAnnotationPathsRelativeToTheWorkingDirectory: without
// GITHUB_WORKSPACE, annotation paths are relative to the working directory.
func TestAnnotationPathsRelativeToTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "page"), 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "page", "status.yaml")
	if err := os.WriteFile(file, []byte("components:\n  - name: A\n    colour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	r := runEnv(t, nil, map[string]string{"GITHUB_ACTIONS": "true"}, "validate", file)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "::error file=page/status.yaml,line=3,col=5::unknown key \"colour\"") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// Package cli implements the cachetsync commands. main.go only hands it the
// process's arguments, streams and environment, so that every command can be
// run in-process by tests against the emulator.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/internal/regfile"
	"github.com/cachetsync/cachetsync/internal/safetext"
	"github.com/cachetsync/cachetsync/spec"
)

// Exit codes shared by every command.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitChanges     = 2 // plan --detailed-exitcode found changes
	ExitRefused     = 3 // a safety limit refused the plan
	ExitPartial     = 4 // apply partly failed
	ExitInterrupted = 130
)

// Env is what a command may touch of the process: streams, environment
// variables, whether stdin and stdout are terminals, and signals.
type Env struct {
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Getenv   func(string) string
	Terminal bool // stdin and stdout are terminals
	// Context is cancelled on SIGINT or SIGTERM; Signal then names it.
	Context context.Context
	Signal  func() os.Signal
}

// exitError carries an exit code up to Run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// Globals are the flags every command accepts.
type Globals struct {
	NoColor  bool          `help:"No colours in output (also NO_COLOR)."`
	Deadline time.Duration `help:"Stop the whole run after this long (0: no limit); an apply stops starting calls." default:"0s"`

	env    *Env
	parser *kong.Kong
}

// ConnFlags are the flags of the commands that talk to a Cachet API: plan,
// apply and export.
type ConnFlags struct {
	Endpoint           string        `help:"Cachet API endpoint (.../api/v1 for Cachet 2.x, .../api for 3.x), or the site's URL (the API is then probed)." env:"CACHET_ENDPOINT" placeholder:"URL"`
	Token              string        `help:"Cachet API token (prefer the environment variable or --token-file)." env:"CACHET_API_TOKEN" placeholder:"TOKEN"`
	TokenFile          string        `help:"Read the API token from this file." type:"path" placeholder:"FILE"`
	Timeout            time.Duration `help:"Timeout of each HTTP request, its retries included." default:"30s"`
	InsecureSkipVerify bool          `help:"Do not verify the server's TLS certificate (prints a warning)."`
	CACert             string        `name:"ca-cert" help:"Trust the PEM certificates in this file (a private CA)." type:"path" placeholder:"FILE"`
	Debug              bool          `help:"Trace every HTTP request on stderr (the token is redacted)."`
	Rate               float64       `help:"Limit requests per second (0: no limit)." default:"0"`

	warned   map[string]bool // warnings already printed (a command may build two clients)
	detected *detectedAPI    // the API a site URL was found to serve (probed once)
}

// CLI is the command line of cachetsync.
type CLI struct {
	Globals

	Plan       PlanCmd       `cmd:"" help:"Show what apply would change on the live page."`
	Apply      ApplyCmd      `cmd:"" help:"Change the live page to match the file (or a saved plan)."`
	Validate   ValidateCmd   `cmd:"" help:"Check the file offline: no API call at all."`
	Fmt        FmtCmd        `cmd:"" help:"Rewrite the YAML file in the canonical layout (comments kept)."`
	Export     ExportCmd     `cmd:"" help:"Write the live page as YAML in the spec format."`
	Emulator   EmulatorCmd   `cmd:"" help:"Serve an in-memory Cachet API for trying and testing."`
	Demo       DemoCmd       `cmd:"" help:"Try everything in one command: emulator, plan, apply, plan."`
	Schema     SchemaCmd     `cmd:"" help:"Print the JSON Schema of the YAML file, for editors."`
	Completion CompletionCmd `cmd:"" help:"Print a shell completion script (bash, zsh or fish)."`
	Version    VersionCmd    `cmd:"" help:"Print the version, commit and build date."`
	Help       HelpCmd       `cmd:"" help:"Show help for a command."`
	Action     ActionCmd     `cmd:"" hidden:"" help:"Run plan or apply as the GitHub Action does (used by action.yml)."`
}

// helpExit is how kong's exit after --help reaches Run.
type helpExit int

// Run parses args, runs the command and returns the process exit code.
func Run(args []string, env *Env) (code int) {
	if env.Context == nil {
		env.Context = context.Background()
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	var c CLI
	c.env = env
	parser, err := kong.New(&c,
		kong.Name("cachetsync"),
		kong.Description("Keep a Cachet status page's components, groups and subscribers in git: plan, then apply.\n\n"+
			"Start with 'cachetsync demo'. 'cachetsync help COMMAND' explains a command; 'cachetsync version' (or --version) prints the version."),
		kong.UsageOnError(),
		kong.Writers(env.Stdout, env.Stderr),
		kong.Exit(func(code int) { panic(helpExit(code)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintln(env.Stderr, "cachetsync:", err)
		return ExitError
	}
	defer func() {
		if r := recover(); r != nil {
			h, ok := r.(helpExit)
			if !ok {
				panic(r)
			}
			code = int(h)
		}
	}()
	c.parser = parser
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-v") {
		// Not a kong flag: `emulator --version 2.3` names a Cachet version.
		fmt.Fprintln(env.Stdout, versionLine())
		return ExitOK
	}
	if len(args) > 0 && args[0] == "fmt" {
		args = terraformFlags(args)
	}
	if len(args) == 0 {
		args = []string{"--help"} // a bare cachetsync prints the usage
	}
	ctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintln(env.Stderr, "cachetsync:", err)
		return ExitError
	}
	if c.Deadline < 0 {
		fmt.Fprintln(env.Stderr, "cachetsync: --deadline must not be negative")
		return ExitError
	}
	if c.Deadline > 0 {
		runCtx, cancel := context.WithTimeout(env.Context, c.Deadline)
		defer cancel()
		withDeadline := *env
		withDeadline.Context = runCtx
		c.env = &withDeadline
	}
	err = ctx.Run(&c.Globals)
	if err != nil && c.Deadline > 0 && c.env.Context.Err() == context.DeadlineExceeded && env.Context.Err() == nil {
		err = fmt.Errorf("the run passed its --deadline of %v: %w", c.Deadline, err)
	}
	if err == nil {
		return ExitOK
	}
	code = ExitError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
		if ee.err == nil {
			return code
		}
	case env.Context.Err() != nil && errors.Is(err, context.Canceled):
		code = interruptCode(env) // interrupted before apply began: nothing was written
	}
	// Errors may echo a server's or a file's text: escaped for the terminal.
	fmt.Fprintf(env.Stderr, "cachetsync: %s\n", safetext.Text(err.Error()))
	return code
}

// terraformFlags accepts Terraform's single-dash spelling of fmt's flag
// (terraform fmt -check).
func terraformFlags(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "-check" {
			a = "--check"
		}
		out[i] = a
	}
	return out
}

// reportDiagnostics prints every problem of a file (and GitHub annotations
// under GitHub Actions) and returns the error that ends the command.
func (g *Globals) reportDiagnostics(path string, diags spec.Diagnostics) error {
	return g.reportDiagnosticsThen(path, diags, "nothing was sent to Cachet")
}

// reportDiagnosticsThen is reportDiagnostics with what was left undone.
func (g *Globals) reportDiagnosticsThen(path string, diags spec.Diagnostics, outcome string) error {
	// The file's text is quoted: escaped for the terminal.
	fmt.Fprint(g.env.Stderr, safetext.Text(withSourceLines(diags)))
	if g.env.Getenv("GITHUB_ACTIONS") == "true" {
		fmt.Fprint(g.env.Stderr, g.relativeDiagnostics(diags).GitHubAnnotations())
	}
	return exitWith(ExitError, fmt.Errorf("%s: %s found; %s", path, countOf(len(diags), "problem"), outcome))
}

// interruptCode is the exit code after a signal: 130 for an interrupt,
// 128+15 for SIGTERM.
func interruptCode(env *Env) int {
	if env.Signal != nil && env.Signal() == syscall.SIGTERM {
		return 128 + int(syscall.SIGTERM)
	}
	return ExitInterrupted
}

// color reports whether output may use ANSI colours.
func (g *Globals) color() bool {
	return g.env.Terminal && !g.NoColor && g.env.Getenv("NO_COLOR") == ""
}

// connect builds the client of the API the connection flags name: the
// endpoint tells it (.../api/v1 or .../api), or, given the site's URL, one
// probe (see detectAPI).
func (f *ConnFlags) connect(g *Globals, readOnly bool) (*conn, error) {
	if f.Endpoint == "" {
		return nil, errors.New("no Cachet endpoint: set --endpoint or CACHET_ENDPOINT (for example https://status.example.com)")
	}
	endpoint, api, err := parseEndpoint(f.Endpoint)
	if err != nil {
		return nil, err
	}
	token := f.Token
	if f.TokenFile != "" {
		b, err := regfile.Read(f.TokenFile, 64<<10)
		if err != nil {
			return nil, fmt.Errorf("reading the token file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, errors.New("no API token: set CACHET_API_TOKEN, --token or --token-file (without one Cachet silently hides disabled components and hidden groups)")
	}
	opts := []cachet.Option{cachet.WithTimeout(f.Timeout), cachet.WithUserAgent(userAgent())}
	if f.Rate != 0 && f.Rate < 0.001 {
		return nil, errors.New("--rate must be 0 (no limit) or at least 0.001 requests per second")
	}
	if u, err := url.Parse(endpoint); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		f.warnOnce(g, "http", fmt.Sprintf("Warning: the API token travels unencrypted to %s over plain HTTP; use https:// unless this network is trusted.", u.Host))
	}
	if f.InsecureSkipVerify {
		f.warnOnce(g, "insecure", "Warning: TLS certificate verification is disabled (--insecure-skip-verify).")
		opts = append(opts, cachet.WithInsecureSkipVerify())
	}
	if f.CACert != "" {
		opts = append(opts, cachet.WithCACertFile(f.CACert))
	}
	if f.Debug {
		opts = append(opts, cachet.WithDebug(g.env.Stderr))
	}
	if f.Rate > 0 {
		opts = append(opts, cachet.WithRateLimit(f.Rate))
	}
	if readOnly {
		opts = append(opts, cachet.WithReadOnly())
	}
	if api == "" {
		if f.detected == nil {
			f.detected = f.detectAPI(g, endpoint, token, opts)
		}
		endpoint, api = f.detected.endpoint, f.detected.api
		f.warnOnce(g, "endpoint", "cachetsync: using the API at "+endpoint+" ("+apiName(api)+")")
	}
	if api == apiV3 {
		c3, err := f.client3(g, endpoint, token, readOnly)
		return &conn{v3: c3}, err
	}
	c, err := cachet.New(endpoint, token, opts...)
	return &conn{v1: c}, err
}

// warnOnce prints line on stderr the first time key is warned about.
func (f *ConnFlags) warnOnce(g *Globals, key, line string) {
	if f.warned[key] {
		return
	}
	if f.warned == nil {
		f.warned = map[string]bool{}
	}
	f.warned[key] = true
	fmt.Fprintln(g.env.Stderr, line)
}

// parseEndpoint reads --endpoint: a URL whose path ends in /api/v1 is API
// v1 (Cachet 2.x), one ending in /api is Cachet 3.x; any other is the
// site's URL, returned without a trailing slash and with api "" (the API
// is then probed). Other paths under /api are refused.
func parseEndpoint(raw string) (endpoint, api string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("--endpoint %q is not an http(s) URL (for example https://status.example.com)", redactURL(raw))
	}
	path := strings.TrimRight(u.Path, "/")
	switch {
	case strings.HasSuffix(path, "/api/v1"):
		return u.String(), apiV1, nil
	case strings.HasSuffix(path, "/api"):
		return u.String(), apiV3, nil
	case strings.Contains(path+"/", "/api/"):
		return "", "", fmt.Errorf("--endpoint %q must end in /api/v1 (Cachet 2.x) or /api (Cachet 3.x), or be the site's URL, such as https://status.example.com", u.Redacted())
	}
	u.Path = path
	u.RawPath = ""
	return u.String(), "", nil
}

// redactURL hides a password written in a URL.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// isLoopback reports whether host is this machine: localhost or a loopback
// address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadSpec loads and validates the file or directory, printing every
// problem (and GitHub annotations under GitHub Actions).
func (g *Globals) loadSpec(path string) (*spec.Spec, error) {
	s, skippedFiles, err := spec.LoadSkipping(path)
	if err == nil {
		for _, skipped := range skippedFiles {
			fmt.Fprintf(g.env.Stderr, "Warning: skipped %s: not a regular file\n", safetext.Line(skipped))
		}
		return s, nil
	}
	var diags spec.Diagnostics
	if errors.As(err, &diags) {
		return nil, g.reportDiagnostics(path, diags)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, exitWith(ExitError, fmt.Errorf("%s does not exist (give a YAML file or a directory of them)", path))
	}
	return nil, exitWith(ExitError, err)
}

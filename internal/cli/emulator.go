package cli

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// EmulatorCmd is `cachetsync emulator`: the in-memory Cachet, standalone.
type EmulatorCmd struct {
	Listen         string        `help:"Address to listen on." default:"127.0.0.1:8000"`
	Latency        time.Duration `help:"Latency added to every API request." default:"0s"`
	Jitter         time.Duration `help:"Random extra latency, up to this much." default:"0s"`
	FailRate       float64       `help:"Fraction of API requests that fail (500, 502, 503, 429 or a dropped connection)." default:"0"`
	Seed           int64         `help:"Seed for latency jitter and faults." default:"1"`
	Version        string        `help:"Cachet version to behave as: 2.4, 2.3, or 3 (Cachet 3.x preview, API at /api)." enum:"2.4,2.3,3" default:"2.4"`
	RateLimit      int           `help:"Cachet 3 only: API requests a minute per client before 429 (0: no limit)." default:"300"`
	Token          string        `help:"Accept this API token instead of the fixed cachettest-token (CACHET_API_TOKEN is never read)." placeholder:"TOKEN"`
	PHP            bool          `help:"Spend time like a PHP-FPM server: a cost per request, per row returned and per subscription loaded, with a bounded pool of workers (see the --php-* flags; their defaults are estimates)."`
	PHPRequestCost time.Duration `name:"php-request-cost" help:"With --php: fixed cost of each request (Laravel's bootstrap, middleware, queries)." default:"10ms"`
	PHPRowCost     time.Duration `name:"php-row-cost" help:"With --php: cost of each row returned (Eloquent hydration and presenter)." default:"40us"`
	PHPRelatedCost time.Duration `name:"php-related-cost" help:"With --php: cost of each related row loaded (a listed subscriber's subscriptions)." default:"15us"`
	PHPWorkers     int           `name:"php-workers" help:"With --php: requests served at once (PHP-FPM's pm.max_children, 5 as shipped); the rest queue." default:"5"`
}

// Run serves until the command's context is cancelled (Ctrl-C).
func (cmd *EmulatorCmd) Run(g *Globals) error {
	if cmd.FailRate < 0 || cmd.FailRate > 1 {
		return errors.New("--fail-rate must be between 0 and 1")
	}
	// The emulator accepts the token given with --token on its command
	// line, else the documented fixed one. It has no env binding for
	// CACHET_API_TOKEN: that usually holds a real token, which a fake server
	// must neither adopt nor print.
	token, shown := cachettest.DefaultToken, cachettest.DefaultToken
	if cmd.Token != "" {
		token, shown = cmd.Token, "<the token given with --token>"
	}
	opts := []cachettest.Option{cachettest.WithToken(token), cachettest.WithVersion(cmd.Version),
		cachettest.WithLatency(cmd.Latency, cmd.Jitter), cachettest.WithFaults(cmd.FailRate), cachettest.WithSeed(cmd.Seed)}
	if cmd.PHP {
		if cmd.PHPWorkers < 1 || cmd.PHPRequestCost < 0 || cmd.PHPRowCost < 0 || cmd.PHPRelatedCost < 0 {
			return errors.New("--php-workers must be at least 1 and the --php-*-cost flags not negative")
		}
		opts = append(opts, cachettest.WithPHPModel(cachettest.PHPModel{PerRequest: cmd.PHPRequestCost, PerRow: cmd.PHPRowCost, PerRelated: cmd.PHPRelatedCost, Workers: cmd.PHPWorkers}))
	}
	emu := cachettest.New(opts...)
	if cmd.RateLimit < 0 {
		return errors.New("--rate-limit must not be negative")
	}
	emu.SetRateLimit(cmd.RateLimit)
	ln, err := net.Listen("tcp", cmd.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	endpoint := fmt.Sprintf("http://%s/api/v1", ln.Addr())
	if cmd.Version == "3" {
		endpoint = fmt.Sprintf("http://%s/api", ln.Addr())
	}
	fmt.Fprintf(g.env.Stdout, "Cachet %s emulator listening on %s\n\n  export CACHET_ENDPOINT=%s\n  export CACHET_API_TOKEN=%s\n\nStats: http://%s/_emulator/stats. Press Ctrl-C to stop.\n",
		cmd.Version, endpoint, endpoint, shown, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-g.env.Context.Done():
		return srv.Close()
	}
}

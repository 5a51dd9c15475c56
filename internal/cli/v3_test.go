package cli_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// start3 starts a Cachet 3.x emulator holding a group "Core" (everyone,
// expanded) with the enabled component "API" (operational) and the
// disabled component "Legacy", plus a subscriber of "API". writes counts
// the requests that are not GETs.
func start3(t *testing.T) (srv *cachettest.Server, writes *atomic.Int64) {
	t.Helper()
	srv = cachettest.Start(t, cachettest.WithVersion("3"))
	c, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Core"), Visible: cachet3.Ptr(true), Collapsed: cachet3.Ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	api, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("API"), Status: cachet3.Ptr(cachet3.StatusOperational),
		GroupID: cachet3.Ptr(g.ID), Enabled: cachet3.Ptr(true), Order: cachet3.Ptr(0), Description: cachet3.Ptr("Public API")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("Legacy"), Status: cachet3.Ptr(cachet3.StatusOperational),
		GroupID: cachet3.Ptr(g.ID), Enabled: cachet3.Ptr(false), Order: cachet3.Ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("ops@example.com"), Components: &[]int{api.ID},
		Verified: cachet3.Ptr(true)}); err != nil {
		t.Fatal(err)
	}
	writes = &atomic.Int64{}
	srv.OnRequest(func(r *http.Request) {
		if r.Method != http.MethodGet {
			writes.Add(1)
		}
	})
	return srv, writes
}

const page3 = `groups:
  - name: Core
    visible: true
    collapsed: open
    components:
      - name: API
        description: Public API
        status: operational
        enabled: true
      - name: Legacy
        status: operational
        enabled: false
subscribers:
  - email: ops@example.com
    components: [API]
`

// TestPlanOn3x: plan reads a Cachet 3.x page through its API (disabled
// components included, subscribers with their components): a file that
// matches is "No changes.", and one that differs shows each change.
func TestPlanOn3x(t *testing.T) {
	srv, writes := start3(t)
	same := writeFile(t, "status.yaml", []byte(page3))
	if r := run(t, srv.URL, srv.Token(), "plan", same); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("matching file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	changed := strings.NewReplacer("description: Public API", "description: Public REST API",
		"        enabled: false\n", "        enabled: false\n      - name: Search\n",
		"components: [API]", "components: [API, Legacy]").Replace(page3)
	r := run(t, srv.URL, srv.Token(), "plan", writeFile(t, "status.yaml", []byte(changed)), "--show-emails")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{`"API"`, "Public REST API", `"Search"`, "ops@example.com"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, `component "Legacy"`) {
		t.Errorf("the disabled component was not read:\n%s", r.stdout)
	}
	if n := writes.Load(); n != 0 {
		t.Errorf("plan sent %d writes", n)
	}
}

// TestTagsOn3xAreAnError: tags in the file on a 3.x page fail at the
// component's position with a hint to use meta.
func TestTagsOn3xAreAnError(t *testing.T) {
	srv, _ := start3(t)
	file := writeFile(t, "status.yaml", []byte(strings.Replace(page3, "        description: Public API\n", "        description: Public API\n        tags: [eu]\n", 1)))
	r := run(t, srv.URL, srv.Token(), "plan", file)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "status.yaml:6:") || !strings.Contains(r.stderr, "tags") || !strings.Contains(r.stderr, "`meta`") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestApplyAndExportRefuseOn3x: apply and export on a 3.x page say in one
// line that only plan is supported, and send nothing but (at most) the
// probe.
func TestApplyAndExportRefuseOn3x(t *testing.T) {
	srv, writes := start3(t)
	file := writeFile(t, "status.yaml", []byte(strings.Replace(page3, "Public API", "Changed", 1)))
	for _, args := range [][]string{{"apply", file, "--auto-approve"}, {"export"}} {
		for _, endpoint := range []string{srv.URL, srv.BaseURL()} {
			r := run(t, endpoint, srv.Token(), args...)
			if r.code != cli.ExitError || !strings.Contains(r.stderr, "Cachet 3.x: only plan is supported in this preview") {
				t.Errorf("%s at %s: exit %d\n%s%s", args[0], endpoint, r.code, r.stdout, r.stderr)
			}
		}
	}
	if n := writes.Load(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

// TestEndpointTellsTheAPI: .../api is 3.x, .../api/v1 is v1, and a site
// URL is probed once and the API found said on stderr.
func TestEndpointTellsTheAPI(t *testing.T) {
	srv3, _ := start3(t)
	file := writeFile(t, "status.yaml", []byte(page3))
	var pingV1, ping3 atomic.Int64
	srv3.OnRequest(func(r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/ping":
			pingV1.Add(1)
		case "/api/ping":
			ping3.Add(1)
		}
	})
	r := run(t, srv3.BaseURL()+"/", srv3.Token(), "plan", file)
	if r.code != 0 || !strings.Contains(r.stdout, "No changes.") || !strings.Contains(r.stderr, "using the API at "+srv3.URL+" (Cachet 3.x)") {
		t.Fatalf("site URL of a 3.x page: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if pingV1.Load() != 1 || ping3.Load() != 1 {
		t.Errorf("probes: %d to /api/v1/ping and %d to /api/ping, want one each", pingV1.Load(), ping3.Load())
	}
	if r := run(t, srv3.URL, srv3.Token(), "plan", file); r.code != 0 || strings.Contains(r.stderr, "using the API") {
		t.Errorf(".../api: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	v1 := cachettest.Start(t)
	empty := writeFile(t, "empty.yaml", []byte("components: []\n"))
	if r := run(t, v1.BaseURL(), v1.Token(), "plan", empty); r.code != 0 || !strings.Contains(r.stderr, "using the API at "+v1.URL+" (API v1, Cachet 2.x)") {
		t.Errorf("site URL of a 2.x page: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, v1.URL, v1.Token(), "plan", empty); r.code != 0 || strings.Contains(r.stderr, "using the API") {
		t.Errorf(".../api/v1: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The 3.x path on a 2.x server is read as 3.x and fails, not silently v1.
	if r := run(t, v1.BaseURL()+"/api", v1.Token(), "plan", empty); r.code == 0 {
		t.Errorf(".../api on a 2.x page: exit 0\n%s%s", r.stdout, r.stderr)
	}
}

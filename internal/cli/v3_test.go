package cli_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// isAbilityProbe reports whether r is apply's probe of a manage ability:
// a PUT of the empty object {}, which changes nothing on the page
// (cachet3.Client.HasAbility).
func isAbilityProbe(r *http.Request) bool {
	return r.Method == http.MethodPut && r.ContentLength == 2
}

// start3 starts a Cachet 3.x emulator holding a group "Core" (everyone,
// expanded, components in manual order) with the enabled component "API" (operational) and the
// disabled component "Legacy", plus a subscriber of "API". writes counts
// the requests that are not GETs, ability probes left out.
func start3(t *testing.T) (srv *cachettest.Server, writes *atomic.Int64) {
	t.Helper()
	srv = cachettest.Start(t, cachettest.WithVersion("3"))
	c, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Core"), Visible: cachet3.Ptr(true), Collapsed: cachet3.Ptr(0),
		OrderColumn: cachet3.Ptr("manual")})
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
		Verified: cachet3.Ptr(true), Global: cachet3.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	writes = &atomic.Int64{}
	srv.OnRequest(func(r *http.Request) {
		if r.Method != http.MethodGet && !isAbilityProbe(r) {
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

// TestExportOn3xRoundTrips: export reads a 3.x page (at the API endpoint
// and at the site's URL), and planning the exported file against the same
// page finds no changes.
func TestExportOn3xRoundTrips(t *testing.T) {
	srv, writes := start3(t)
	for _, endpoint := range []string{srv.URL, srv.BaseURL()} {
		r := run(t, endpoint, srv.Token(), "export", "--subscribers")
		if r.code != 0 || !strings.Contains(r.stdout, "name: Legacy") || !strings.Contains(r.stdout, "ops@example.com") {
			t.Fatalf("export at %s: exit %d\n%s%s", endpoint, r.code, r.stdout, r.stderr)
		}
		file := writeFile(t, "exported.yaml", []byte(r.stdout))
		if r := run(t, endpoint, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
			t.Errorf("plan of the export at %s: exit %d\n%s%s", endpoint, r.code, r.stdout, r.stderr)
		}
	}
	if n := writes.Load(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

// TestApplyOn3xUpdatesSubscribersInPlace: a subscriber whose components
// change keeps its id (3.x updates it; no delete and re-create), and a
// status change is planned with the webhook warning, never as silent.
func TestApplyOn3xUpdatesSubscribersInPlace(t *testing.T) {
	srv, _ := start3(t)
	c, _ := cachet3.New(srv.URL, srv.Token())
	before, _, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil || len(before) != 1 {
		t.Fatalf("%v %+v", err, before)
	}
	changed := strings.NewReplacer("components: [API]", "components: [API, Legacy]",
		"        status: operational\n        enabled: true", "        status: major-outage\n        enabled: true").Replace(page3)
	file := writeFile(t, "status.yaml", []byte(changed))
	r := run(t, srv.URL, srv.Token(), "plan", file)
	if r.code != 0 || !strings.Contains(r.stdout, "webhook fires") || strings.Contains(r.stdout, "re-created") {
		t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	after, _, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil || len(after) != 1 || after[0].ID != before[0].ID || len(after[0].Components) != 2 {
		t.Fatalf("after apply: %v %+v (before: %+v)", err, after, before)
	}
	if n := srv.StatusChanges3(); n != 1 {
		t.Errorf("%d status changes recorded, want 1", n)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// randomPage3 writes a status file for step of the property test: groups,
// components and subscribers drawn from rng. Component names are tied to
// their group (3.x cannot ungroup a component), texts are set or left
// out (3.x cannot clear them), and everything undeclared is pruned.
func randomPage3(rng *rand.Rand) string {
	var b strings.Builder
	statuses := []string{"operational", "performance-issues", "partial-outage", "major-outage"}
	collapsed := []string{"open", "collapsed", "collapsed-unless-incident"}
	var names []string
	component := func(indent, name string) {
		names = append(names, name)
		fmt.Fprintf(&b, "%s- name: %s\n", indent, name)
		fmt.Fprintf(&b, "%s  status: %s\n", indent, statuses[rng.IntN(len(statuses))])
		fmt.Fprintf(&b, "%s  enabled: %v\n", indent, rng.IntN(4) != 0)
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "%s  description: Text %d\n", indent, rng.IntN(3))
		}
		if rng.IntN(3) == 0 {
			fmt.Fprintf(&b, "%s  meta: {owner: team%d, tier: %d}\n", indent, rng.IntN(2), rng.IntN(3))
		}
	}
	b.WriteString("groups:\n")
	for g := range 3 {
		if rng.IntN(3) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  - name: Group %d\n    visible: %v\n    collapsed: %s\n    components:\n", g, rng.IntN(2) == 0, collapsed[rng.IntN(3)])
		for _, c := range rng.Perm(3)[:1+rng.IntN(3)] {
			component("      ", fmt.Sprintf("G%d service %d", g, c))
		}
	}
	b.WriteString("components:\n")
	for _, c := range rng.Perm(3)[:rng.IntN(4)] {
		component("  ", fmt.Sprintf("Loose %d", c))
	}
	b.WriteString("subscribers:\n")
	for s := range 4 {
		if rng.IntN(3) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  - email: s%d@example.com\n", s)
		if rng.IntN(4) != 0 && len(names) > 0 {
			picked := []string{strconv.Quote(names[rng.IntN(len(names))])}
			for _, n := range names {
				if q := strconv.Quote(n); rng.IntN(2) == 0 && !slices.Contains(picked, q) {
					picked = append(picked, q)
				}
			}
			fmt.Fprintf(&b, "    components: [%s]\n", strings.Join(picked, ", "))
		}
	}
	b.WriteString("prune:\n  groups: true\n  components: true\n  subscribers: true\n")
	return b.String()
}

// TestApplyThenPlanIsEmptyOn23And24And3x is the property test, on the 3.x emulator
// and on 2.3 and 2.4: for a run of random files applied one after the
// other to the same page (creates, updates, moves between groups, deletes,
// subscribers created, changed and deleted), the plan after each apply is
// empty.
func TestApplyThenPlanIsEmptyOn23And24And3x(t *testing.T) {
	for _, version := range []string{"3", "2.4", "2.3"} {
		t.Run(version, func(t *testing.T) {
			srv := cachettest.Start(t, cachettest.WithVersion(version))
			// The runs add up to more than the 300 requests a minute 3.x
			// allows; its limit would only turn that into waiting.
			srv.SetRateLimit(0)
			rng := rand.New(rand.NewPCG(3, 12))
			for step := range 12 {
				page := randomPage3(rng)
				file := writeFile(t, "status.yaml", []byte(page))
				if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve", "--allow-mass-delete", "--allow-exposure"); r.code != 0 {
					t.Fatalf("step %d: apply: exit %d\n%s\n%s%s", step, r.code, page, r.stdout, r.stderr)
				}
				if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
					t.Fatalf("step %d: plan after apply: exit %d\n%s\n%s%s", step, r.code, page, r.stdout, r.stderr)
				}
			}
		})
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

// TestUngroupAndClearAreWarningsOn3x: 3.x cannot ungroup a component nor
// clear its description (422), so a file asking for either gets a warning
// naming the file position, and nothing is sent for them.
func TestUngroupAndClearAreWarningsOn3x(t *testing.T) {
	srv, writes := start3(t)
	file := writeFile(t, "status.yaml", []byte(`groups:
  - name: Core
    visible: true
    collapsed: open
    components:
      - name: Legacy
        status: operational
        enabled: false
components:
  - name: API
    description: ""
    status: operational
    enabled: true
`))
	r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve")
	if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "cannot ungroup a component: it stays in group \"Core\"") ||
		!strings.Contains(r.stdout+r.stderr, "cannot clear a component's description") || !strings.Contains(r.stdout+r.stderr, "status.yaml:10:5") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes.Load(); n != 1 { // only the order of API, now first in the file's ungrouped list
		t.Errorf("%d writes, want 1\n%s", n, r.stdout)
	}
	c, _ := cachet3.New(srv.URL, srv.Token())
	api, err := c.Components.Get(context.Background(), 1)
	if err != nil || api.GroupID == 0 || api.Description != "Public API" {
		t.Errorf("API after apply: %v %+v", err, api)
	}
}

// TestDemoVersion3: `demo --version 3` runs the whole loop on a 3.x
// emulator: the subscriber is updated in place (no delete and re-create,
// so one create and one delete fewer than on 2.4), then nothing is left.
func TestDemoVersion3(t *testing.T) {
	r := run(t, "", "", "demo", "--version", "3")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	plan1 := strings.Index(r.stdout, "Plan: 4 to create, 5 to update, 1 to delete.")
	inPlace := strings.Index(r.stdout, "subscriber s***@example.com (id 1): updated")
	applied := strings.Index(r.stdout, "Apply complete: 10 applied, 0 failed, 0 not attempted.")
	plan2 := strings.LastIndex(r.stdout, "No changes.")
	if !strings.Contains(r.stdout, "Cachet 3.x at") || plan1 < 0 || inPlace < plan1 || applied < inPlace || plan2 < applied {
		t.Fatalf("demo output is not plan, apply (subscriber in place), no-change plan:\n%s", r.stdout)
	}
}

// TestGroupCreateWarnsOfHiddenGroupsOn3x: 3.x hides dashboard-hidden
// groups from the API, so each group create warns, at the file position,
// that it may duplicate one.
func TestGroupCreateWarnsOfHiddenGroupsOn3x(t *testing.T) {
	srv, _ := start3(t)
	file := writeFile(t, "status.yaml", []byte(strings.Replace(page3, "subscribers:", "  - name: Billing\n    visible: false\n    components: []\nsubscribers:", 1)))
	r := run(t, srv.URL, srv.Token(), "plan", file)
	if r.code != 0 || !strings.Contains(r.stdout, `if "Billing" exists there as a hidden group, this creates a second one (at `) ||
		!strings.Contains(r.stdout, "status.yaml:13:5)") || strings.Count(r.stdout, "as a hidden group") != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestGroupOrderBecomesManualOn3x: 3.x shows a group's components in their
// order only when its order_column is manual, so a group whose components
// the file lists gets it (and keeps it: the next plan is empty).
func TestGroupOrderBecomesManualOn3x(t *testing.T) {
	srv, _ := start3(t)
	c, _ := cachet3.New(srv.URL, srv.Token())
	ctx := context.Background()
	if _, err := c.Groups.Update(ctx, 1, cachet3.GroupParams{OrderColumn: cachet3.Ptr("name"), OrderDirection: cachet3.Ptr("asc")}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "status.yaml", []byte(page3))
	r := run(t, srv.URL, srv.Token(), "plan", file)
	if r.code != 0 || !strings.Contains(r.stdout, `order_column: "name" → "manual"`) {
		t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if g, err := c.Groups.Get(ctx, 1); err != nil || g.OrderColumn != "manual" {
		t.Errorf("group after apply: %v %+v", err, g)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestSavedPlanOn3x: a plan saved against a 3.x page applies there, and
// is refused at the page's API v1 endpoint (another endpoint).
func TestSavedPlanOn3x(t *testing.T) {
	srv, writes := start3(t)
	file := writeFile(t, "status.yaml", []byte(strings.Replace(page3, "Public API", "Public REST API", 1)))
	saved := filepath.Join(t.TempDir(), "plan.json")
	if r := run(t, srv.URL, srv.Token(), "plan", file, "--out", saved); r.code != 0 {
		t.Fatalf("plan --out: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL+"/v1", srv.Token(), "apply", saved); r.code != cli.ExitRefused || writes.Load() != 0 {
		t.Fatalf("apply at another endpoint: exit %d, %d writes\n%s%s", r.code, writes.Load(), r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", saved); r.code != 0 || writes.Load() != 1 {
		t.Fatalf("apply: exit %d, %d writes\n%s%s", r.code, writes.Load(), r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestGlobalSubscriberGetsTheFilesComponentsOn3x: a global subscriber
// (notified of everything) that the file gives components is updated in
// place to those components and stops being global; the plan shows both
// changes. One already subscribed to exactly the file's components but
// global is planned too (core:src/Actions/Incident/NotifyIncidentSubscribers.php
// notifies global subscribers of every component), and a new subscriber
// with components is created non-global, since Cachet defaults global to
// true (core:src/Http/Controllers/Api/SubscriberController.php:63).
func TestGlobalSubscriberGetsTheFilesComponentsOn3x(t *testing.T) {
	srv, _ := start3(t)
	c, _ := cachet3.New(srv.URL, srv.Token())
	ctx := context.Background()
	everyone, _, err := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("all@example.com"), Global: cachet3.Ptr(true), Verified: cachet3.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	legacy, _, err := c.Components.All(ctx, cachet3.ListOptions{Filters: map[string]string{"name": "Legacy", "enabled": "0,1"}})
	if err != nil || len(legacy) != 1 {
		t.Fatalf("Legacy: %v %v", err, legacy)
	}
	same, _, err := c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("same@example.com"), Global: cachet3.Ptr(true),
		Components: &[]int{legacy[0].ID}, Verified: cachet3.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "status.yaml", []byte(page3+"  - email: all@example.com\n    components: [Legacy]\n"+
		"  - email: same@example.com\n    components: [Legacy]\n  - email: new@example.com\n    components: [Legacy]\n"))
	r := run(t, srv.URL, srv.Token(), "plan", file, "--show-emails")
	for _, want := range []string{"subscriber all@example.com", `components: [] → ["Legacy"]`, "subscriber same@example.com", "true → false", "only of the components the file lists"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	if strings.Count(r.stdout, "true → false") != 2 {
		t.Errorf("want two subscribers made non-global:\n%s", r.stdout)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, id := range []int{everyone.ID, same.ID} {
		if s, err := c.Subscribers.Get(ctx, id); err != nil || s.Global || len(s.Components) != 1 {
			t.Errorf("subscriber %d after apply: %v %+v", id, err, s)
		}
	}
	created, _, err := c.Subscribers.All(ctx, cachet3.ListOptions{Filters: map[string]string{"email": "new@example.com"}})
	if err != nil || len(created) != 1 || created[0].Global {
		t.Errorf("new subscriber with components: %v %+v (want it non-global)", err, created)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestTextsOn3xAreOnlyTrimmed: Cachet 3.x runs no Security::clean, only
// Laravel's TrimStrings (core's API routes use the framework's default
// middleware). A description that 2.x would store escaped is stored as
// written on 3.x, so the plan carries no storage note and converges.
func TestTextsOn3xAreOnlyTrimmed(t *testing.T) {
	srv, _ := start3(t)
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: Latency\n    description: \"p99 < 200ms & <b>fast</b> 50% of the time\"\n"))
	r := run(t, srv.URL, srv.Token(), "plan", file)
	if r.code != 0 || strings.Contains(r.stdout, "will be stored as") {
		t.Fatalf("plan: exit %d (want no storage note on 3.x)\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "apply", file, "--auto-approve"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, srv.URL, srv.Token(), "plan", file); r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

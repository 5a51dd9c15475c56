package apply_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// chaosYAML is a page of 4 groups of 6 components, 6 ungrouped components
// and 15 subscribers, with a group renamed through `previously`.
func chaosYAML() string {
	var b strings.Builder
	b.WriteString("groups:\n")
	for g := 1; g <= 4; g++ {
		fmt.Fprintf(&b, "  - name: Group %d\n", g)
		if g == 1 {
			b.WriteString("    previously: [Old group 1]\n")
		}
		fmt.Fprintf(&b, "    visible: %v\n    components:\n", g%2 == 1)
		for c := 1; c <= 6; c++ {
			fmt.Fprintf(&b, "      - name: G%d C%d\n        description: component %d of group %d\n        enabled: %v\n", g, c, c, g, c != 3)
		}
	}
	b.WriteString("components:\n")
	for c := 1; c <= 6; c++ {
		fmt.Fprintf(&b, "  - name: Loose %d\n    tags: [t%d]\n", c, c)
	}
	b.WriteString("subscribers:\n")
	for s := 1; s <= 15; s++ {
		fmt.Fprintf(&b, "  - email: s%d@example.com\n", s)
		if s%3 != 0 {
			fmt.Fprintf(&b, "    components: [G%d C%d, Loose %d]\n", 1+s%4, 1+s%6, 1+s%6)
		}
	}
	b.WriteString("prune: {groups: true, components: true}\n")
	return b.String()
}

// seedChaosDrift puts a drifted page on the emulator: a group under its old
// name, a moved and a disabled component, strays to prune, subscribers with
// too many or too few subscriptions, and subscribers the file does not
// declare (which must survive, as subscriber pruning is off).
func seedChaosDrift(e *cachettest.Emulator) []string {
	old := e.SeedGroup(cachet.ComponentGroup{Name: "Old group 1", Order: 1, Visible: cachet.GroupPublic})
	g2 := e.SeedGroup(cachet.ComponentGroup{Name: "Group 2", Order: 2})
	c1 := e.SeedComponent(cachet.Component{Name: "G1 C1", GroupID: g2.ID, Enabled: true})
	c2 := e.SeedComponent(cachet.Component{Name: "G1 C2", GroupID: old.ID, Enabled: false})
	e.SeedComponent(cachet.Component{Name: "Stray 1", GroupID: old.ID, Enabled: true})
	e.SeedComponent(cachet.Component{Name: "Stray 2", Enabled: true})
	e.SeedSubscriber("s1@example.com", c1.ID, c2.ID)
	e.SeedSubscriber("s2@example.com", c1.ID)
	kept := []string{"keep1@example.com", "keep2@example.com", "keep3@example.com"}
	for _, k := range kept {
		e.SeedSubscriber(k)
	}
	return kept
}

// TestChaosConvergence re-runs plan and apply against an emulator that fails
// a quarter of all requests (500, 502, 503, 429 with Retry-After, dropped
// connections, half of the 5xx and drops after the write was applied) and
// adds latency jitter, until a plan shows no changes, for many seeds. The
// final page must equal the file: no object duplicated, nothing declared
// or undeclared-but-kept lost.
func TestChaosConvergence(t *testing.T) {
	seeds := 24
	if testing.Short() {
		seeds = 6
	}
	yaml := chaosYAML()
	s := parse(t, yaml)
	var rounds, injected, requests int64
	var duplicates, lost int
	for seed := int64(1); seed <= int64(seeds); seed++ {
		emu := cachettest.New(cachettest.WithFaults(0.25), cachettest.WithSeed(seed), cachettest.WithLatency(0, 2*time.Millisecond),
			cachettest.WithRetryAfter(0))
		kept := seedChaosDrift(emu)
		counter := &faultCounter{next: emu}
		ts := httptest.NewServer(counter)
		c := fastClient(t, ts.URL+"/api/v1", emu.Token())
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		converged := false
		for round := 0; round < 40 && !converged; round++ {
			rounds++
			empty, _, err := planAndApply(ctx, t, c, s, apply.Options{Parallelism: 4})
			converged = err == nil && empty
		}
		cancel()
		ts.Close()
		injected += counter.injected.Load()
		for _, n := range emu.Stats().Requests {
			requests += int64(n)
		}
		if !converged {
			t.Fatalf("seed %d did not converge", seed)
		}
		d, l := pageMatches(t, seed, emu, yaml, kept)
		duplicates += d
		lost += l
	}
	t.Logf("chaos: %d trials, %d plan/apply rounds, %d requests, %d failures injected, %d duplicates, %d lost",
		seeds, rounds, requests, injected, duplicates, lost)
}

package apply_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
)

// TestConflictChecksCost measures what the checks against concurrent
// applies add: two list reads of the kind (one request per 500 objects)
// per step that creates groups or components, nothing per create.
func TestConflictChecksCost(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	const groups, perGroup = 10, 120 // 1,200 components: 3 pages of 500
	var y strings.Builder
	y.WriteString("groups:\n")
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&y, "  - name: G%d\n    components:\n", g)
		for c := 0; c < perGroup; c++ {
			fmt.Fprintf(&y, "      - name: C%d-%d\n", g, c)
		}
	}
	c := fastClient(t, srv.URL, srv.Token())
	live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Compute(parse(t, y.String()), live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	res := apply.Run(context.Background(), cachetv1.New(c, cachetv1.ReadOptions{}), p, apply.Options{Parallelism: 16})
	if res.Applied != groups+groups*perGroup || res.Failed != 0 {
		t.Fatalf("result %+v: %v", res, res.Err())
	}
	stats := srv.Stats().Requests
	// Groups: 1 page before, 1 after; components: 1 (empty) page before,
	// 3 after.
	if stats["POST"] != groups+groups*perGroup || stats["GET"] != 2+4 {
		t.Fatalf("requests %v, want %d POSTs and 6 GETs", stats, groups+groups*perGroup)
	}
	t.Logf("%d creates: %d list requests added (%.2f%%)", stats["POST"], stats["GET"], 100*float64(stats["GET"])/float64(stats["POST"]))
}

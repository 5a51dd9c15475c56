package cachetv1_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// hostileComponents serves /components with answer(page, perPage) and the
// rest of the API from the emulator; it counts the component requests.
func hostileComponents(t *testing.T, answer func(page, perPage int) string) (*cachet.Client, *atomic.Int64) {
	t.Helper()
	emu := cachettest.New()
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/components") && r.Method == http.MethodGet {
			n.Add(1)
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, answer(page, perPage))
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	c, err := cachet.New(ts.URL+"/api/v1", emu.Token())
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

func pageOf(total, perPage, page, totalPages int, ids ...int) string {
	var items []string
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"id":%d,"name":"C%d","status":1,"enabled":true,"meta":null}`, id, id))
	}
	return fmt.Sprintf(`{"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":%d,"total_pages":%d}},"data":[%s]}`,
		total, len(ids), perPage, page, totalPages, strings.Join(items, ","))
}

// TestHugeTotalsAreRefusedBeforeReading: totals beyond --max-objects and
// page counts that do not follow from the total are refused from the first
// page, before anything is allocated for them or another page is asked.
func TestHugeTotalsAreRefusedBeforeReading(t *testing.T) {
	cases := map[string]struct {
		answer func(page, perPage int) string
		want   string
	}{
		"total 10^12": {func(page, perPage int) string {
			return pageOf(1_000_000_000_000, perPage, page, 1_000_000_000_000/perPage, 1)
		},
			"more than the 200000 this tool reads (--max-objects)"},
		"total 10^6 per_page 1 (2,737 requests in 30 s before)": {func(page, perPage int) string { return pageOf(1_000_000, 1, page, 1_000_000, page) },
			"more than the 200000 this tool reads (--max-objects)"},
		"total_pages 10^9 per_page 1": {func(page, perPage int) string { return pageOf(3, 1, page, 1_000_000_000, 1) },
			"pagination is not Cachet's"},
		"total_pages beyond the total": {func(page, perPage int) string { return pageOf(3, perPage, page, 50, 1, 2, 3) },
			"pagination is not Cachet's"},
		"negative total": {func(page, perPage int) string { return pageOf(-1, perPage, page, 1) },
			"pagination is not Cachet's"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, n := hostileComponents(t, tc.answer)
			_, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if n.Load() != 1 {
				t.Fatalf("%d component requests, want only the first page", n.Load())
			}
		})
	}
}

// TestEndlessPagingIsBoundedByUs: a server that always has a next page and
// a total that never adds up is read for ceil(total / page size) pages
// per attempt, then refused; a server's smaller per_page is honoured.
func TestEndlessPagingIsBoundedByUs(t *testing.T) {
	next := atomic.Int64{}
	c, n := hostileComponents(t, func(page, perPage int) string {
		// per_page 1 whatever is asked, 10 in total, fresh ids forever.
		return pageOf(10, 1, page, 10, int(next.Add(1)))
	})
	_, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{MaxObjects: 100})
	var incomplete *cachetv1.IncompleteError
	if err != nil && !errors.As(err, &incomplete) {
		t.Fatalf("err = %v", err)
	}
	// Ten ids per attempt add up to the total: the read is complete after
	// one attempt of 10 pages of the server's size 1.
	if err != nil || n.Load() != 10 {
		t.Fatalf("err %v after %d requests, want a complete read in 10", err, n.Load())
	}

	// A server whose items never add up (the same id on every page) is
	// read 3 × 10 pages and refused.
	c, n = hostileComponents(t, func(page, perPage int) string { return pageOf(10, 1, page, 10, 7) })
	_, err = cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{MaxObjects: 100})
	if !errors.As(err, &incomplete) || n.Load() != 30 {
		t.Fatalf("err %v after %d requests, want an incomplete read after 30", err, n.Load())
	}
}

// TestIncompleteReadsNeverPlan: a list whose items do not add up to its
// total, or that repeats an id, is an error (exit 1 from the CLI), never
// "No changes".
func TestIncompleteReadsNeverPlan(t *testing.T) {
	cases := map[string]func(page, perPage int) string{
		"total 2, one item": func(page, perPage int) string { return pageOf(2, perPage, page, 1, 1) },
		"same id twice":     func(page, perPage int) string { return pageOf(2, perPage, page, 1, 1, 1) },
		"no data": func(page, perPage int) string {
			return `{"meta":{"pagination":{"total":0,"count":0,"per_page":500,"current_page":1,"total_pages":1}}}`
		},
		"no pagination": func(page, perPage int) string { return `{"data":[]}` },
		"id -7": func(page, perPage int) string {
			return strings.Replace(pageOf(1, perPage, page, 1, 1), `"id":1`, `"id":-7`, 1)
		},
		"id true": func(page, perPage int) string {
			return strings.Replace(pageOf(1, perPage, page, 1, 1), `"id":1`, `"id":true`, 1)
		},
		"more items than asked": func(page, perPage int) string { return pageOf(perPage+1, perPage, page, 2, seq(perPage+1)...) },
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := hostileComponents(t, answer)
			live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
			if err == nil {
				t.Fatalf("read %d components without an error", len(live.Components))
			}
		})
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// TestMetaComparesAsCachetStoresIt: the exact answer of a Cachet that
// stored {labels: {}} is {"labels":[]}: no change; a real difference still
// is one.
func TestMetaComparesAsCachetStoresIt(t *testing.T) {
	live := &plan.Live{Complete: true, Version: "2.4", Components: []plan.Component{{
		ID: 1, Name: "A", Status: page.StatusOperational, Order: 1, Enabled: true,
		Meta: map[string]any{"labels": []any{}, "x": map[string]any{"y": []any{}}},
	}}}
	for yaml, changes := range map[string]bool{
		"components:\n  - name: A\n    meta: {labels: {}, x: {y: {}}}\n":     false,
		"components:\n  - name: A\n    meta: {labels: [], x: {y: []}}\n":     false,
		"components:\n  - name: A\n    meta: {labels: {a: 1}, x: {y: {}}}\n": true,
	} {
		s, err := spec.Parse("s.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Compute(s, live, plan.Policy{})
		if err != nil {
			t.Fatal(err)
		}
		if got := !p.Empty(); got != changes {
			t.Errorf("%s: changes = %v, want %v (%+v)", yaml, got, changes, p.Ops)
		}
	}
}

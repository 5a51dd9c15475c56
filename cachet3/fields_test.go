package cachet3_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
)

// TestAllAsksIncludedResourcesWithoutAttributes: the subscriber and
// component lists need only the ids of the components and groups they
// include, so every page asks for them with an empty sparse fieldset
// (fields[components]=, fields[componentGroups]=) and the server sends
// no attributes for them; the ids still arrive, in the relationships.
func TestAllAsksIncludedResourcesWithoutAttributes(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	comps := srv.SeedComponents3(3)
	var subs []cachettest.Subscriber3
	for i := range 150 {
		subs = append(subs, cachettest.Subscriber3{Email: fmt.Sprintf("u%03d@example.com", i), Components: comps[i%3 : i%3+1]})
	}
	srv.SeedSubscribers3(subs...)
	var mu sync.Mutex
	var queries []string
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
	})
	c, err := cachet3.New(srv.URL, srv.Token(), cachet3.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 150 {
		t.Fatalf("%d subscribers", len(got))
	}
	for i, s := range got {
		if !slices.Equal(s.Components, comps[i%3:i%3+1]) {
			t.Fatalf("subscriber %d: components %v, want %v", s.ID, s.Components, comps[i%3:i%3+1])
		}
	}
	if _, _, err := c.Components.All(context.Background(), cachet3.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, q := range queries {
		if !strings.Contains(q, "include=") {
			continue // a one-item boundary check
		}
		pages++
		want := "fields[components]="
		if strings.HasPrefix(q, "/api/components?") {
			want = "fields[componentGroups]="
		}
		if !strings.Contains(q, want) {
			t.Errorf("%s does not ask for %s", q, want)
		}
	}
	if pages < 3 {
		t.Fatalf("only %d pages seen: %v", pages, queries)
	}
}

// ListOptions.Fields asks for sparse fieldsets: the subscribers come with
// only the attributes named, the others reading as zero, on every page and
// boundary check (the ids still arrive).
func TestAllWithSparseFieldsets(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	var subs []cachettest.Subscriber3
	for i := range 250 {
		subs = append(subs, cachettest.Subscriber3{Email: fmt.Sprintf("u%03d@example.com", i), Verified: true})
	}
	srv.SeedSubscribers3(subs...)
	srv.DeleteSubscriber3(101) // a gap at boundary 1: one check
	var mu sync.Mutex
	var queries []string
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
	})
	c, err := cachet3.New(srv.URL, srv.Token(), cachet3.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{Fields: map[string][]string{"subscribers": {"id", "email"}}})
	if err != nil || len(got) != 249 || rep.Checks != 1 {
		t.Fatalf("%d subscribers, report %+v, %v", len(got), rep, err)
	}
	for _, s := range got {
		if s.ID == 0 || s.Email == "" || s.Verified || !s.CreatedAt.IsZero() {
			t.Fatalf("subscriber %+v: want only id and email", s)
		}
	}
	for _, q := range queries {
		if !strings.Contains(q, "fields[subscribers]=id,email") {
			t.Errorf("request %s without the fieldset", q)
		}
	}
}

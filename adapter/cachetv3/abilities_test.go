package cachetv3_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv3"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/plan"
)

// requestLog records the method and path of every API request.
type requestLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *requestLog) hook(r *http.Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r.Method+" "+r.URL.Path)
	l.mu.Unlock()
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// TestReadLiveNeedsSubscribersManage: reading a page's subscribers needs
// subscribers.manage; a token without it fails with an error naming the
// ability after one request, before any list is read. Without
// subscribers the same token reads the page.
func TestReadLiveNeedsSubscribersManage(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	srv.SeedComponents3(2)
	srv.AddToken("2|no-subscribers", cachet3.AbilityComponentsManage)
	var log requestLog
	srv.OnRequest(log.hook)
	c, err := cachet3.New(srv.URL, "2|no-subscribers")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cachetv3.New(c).ReadLive(context.Background(), false)
	var missing *cachet3.MissingAbilitiesError
	if !errors.As(err, &missing) || !slices.Equal(missing.Missing, []string{"subscribers.manage"}) || !errors.Is(err, cachet3.ErrForbidden) ||
		!strings.Contains(err.Error(), "lacks the ability subscribers.manage") {
		t.Fatalf("err = %v", err)
	}
	if reqs := log.take(); !slices.Equal(reqs, []string{"GET /api/subscribers"}) {
		t.Errorf("requests %v, want the one probe", reqs)
	}
	live, err := cachetv3.New(c).ReadLive(context.Background(), true)
	if err != nil || len(live.Components) != 2 {
		t.Fatalf("without subscribers: %v, %+v", err, live)
	}
}

// TestCheckWriteAbilities: the manage abilities a plan needs are probed
// with empty updates of existing objects (which change nothing), the
// missing ones are named together, and what cannot be probed without a
// write (delete abilities; manage on a kind with no object yet) is
// returned as unchecked.
func TestCheckWriteAbilities(t *testing.T) {
	srv := cachettest.Start(t, cachettest.WithVersion("3"))
	full, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := full.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Core")})
	if err != nil {
		t.Fatal(err)
	}
	comp, err := full.Components.Create(ctx, cachet3.ComponentParams{Name: cachet3.Ptr("API"), GroupID: cachet3.Ptr(g.ID)})
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{
		Ops: []plan.Op{
			{Kind: plan.KindGroup, Action: plan.Update, ID: g.ID},
			{Kind: plan.KindComponent, Action: plan.Create},
			{Kind: plan.KindComponent, Action: plan.Delete, ID: comp.ID},
			{Kind: plan.KindSubscriber, Action: plan.Create},
		},
		ExistingGroups: []int{g.ID}, ExistingComponents: []int{comp.ID},
	}
	if got := cachetv3.WriteAbilities(p); !slices.Equal(got, []string{"component-groups.manage", "components.delete", "components.manage", "subscribers.manage"}) {
		t.Fatalf("WriteAbilities = %v", got)
	}
	snapshot := func() string {
		var b strings.Builder
		for _, path := range []string{"/component-groups", "/components?filter[enabled]=0,1"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+srv.Token())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			b.Write(data)
		}
		return b.String()
	}
	before := snapshot()
	if !strings.Contains(before, `"name":"Core"`) || !strings.Contains(before, `"name":"API"`) {
		t.Fatalf("snapshot: %s", before)
	}
	var log requestLog
	srv.OnRequest(log.hook)

	cases := []struct {
		abilities []string
		missing   []string
	}{
		{[]string{"*"}, nil},
		{[]string{"components.manage", "subscribers.manage", "components.delete"}, []string{"component-groups.manage"}},
		{[]string{"incidents.manage"}, []string{"component-groups.manage", "components.manage", "subscribers.manage"}},
	}
	for i, tc := range cases {
		token := "7|case" + string(rune('a'+i))
		srv.AddToken(token, tc.abilities...)
		c, err := cachet3.New(srv.URL, token)
		if err != nil {
			t.Fatal(err)
		}
		unchecked, err := cachetv3.New(c).CheckWriteAbilities(ctx, p)
		if !slices.Equal(unchecked, []string{"components.delete"}) {
			t.Errorf("%v: unchecked %v, want [components.delete]", tc.abilities, unchecked)
		}
		var missing *cachet3.MissingAbilitiesError
		switch {
		case tc.missing == nil && err != nil:
			t.Errorf("%v: %v", tc.abilities, err)
		case tc.missing != nil && (!errors.As(err, &missing) || !slices.Equal(missing.Missing, tc.missing)):
			t.Errorf("%v: err = %v, want missing %v", tc.abilities, err, tc.missing)
		case tc.missing != nil && !strings.Contains(err.Error(), strings.Join(tc.missing, ", ")):
			t.Errorf("%v: the message does not name them: %v", tc.abilities, err)
		}
	}
	for _, r := range log.take() {
		if !strings.HasPrefix(r, "GET ") && !strings.HasPrefix(r, "PUT ") {
			t.Errorf("a probe sent %s", r)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("the probes changed the page:\n%s\n%s", before, after)
	}

	// A page without components: components.manage cannot be probed.
	p.ExistingComponents = nil
	unchecked, err := cachetv3.New(full).CheckWriteAbilities(ctx, p)
	if err != nil || !slices.Equal(unchecked, []string{"components.delete", "components.manage"}) {
		t.Errorf("no component to probe: unchecked %v, err %v", unchecked, err)
	}
}

package apply_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// A create whose answer is lost is looked up by name before it is sent
// again; Cachet stored the name filtered ("a<b" as "a&lt;b"), so the lookup
// must find it by what Cachet stores, or the object is created twice.
func TestAmbiguousCreateOfFilteredNameNeverDuplicates(t *testing.T) {
	emu := cachettest.New()
	isPost := func(r *http.Request) bool { return r.Method == http.MethodPost }
	ts := httptest.NewServer(dropAfter(emu, isPost, 2))
	defer ts.Close()
	c := fastClient(t, ts.URL+"/api/v1", emu.Token())
	s := parse(t, "groups:\n  - name: \"Ops <3\"\n    components:\n      - name: \"Mail system (SMTP)\"\n")
	_, res, err := planAndApply(context.Background(), t, c, s, apply.Options{})
	if err != nil || res.Failed != 0 {
		t.Fatalf("res %+v err %v: %v", res, err, res.Err())
	}
	if g := emu.Groups(); len(g) != 1 || g[0].Name != "Ops &lt;3" {
		t.Errorf("groups = %+v", g)
	}
	if cs := emu.Components(); len(cs) != 1 || cs[0].Name != "Mail system &#40;SMTP&#41;" {
		t.Errorf("components = %+v", cs)
	}
}

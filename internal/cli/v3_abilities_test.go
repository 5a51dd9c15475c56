package cli_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestAbilitiesCheckedFirstOn3x: on Cachet 3.x the token's abilities are
// checked before anything they guard. plan with a token lacking
// subscribers.manage fails naming it after one request; apply with a
// token lacking component-groups.manage fails naming it before any write
// and before the confirmation prompt (which a non-terminal would refuse
// with another error), and the page is unchanged.
func TestAbilitiesCheckedFirstOn3x(t *testing.T) {
	srv, _ := start3(t)
	var writes, requests atomic.Int64
	srv.OnRequest(func(r *http.Request) {
		requests.Add(1)
		if r.Method == http.MethodPost || r.Method == http.MethodDelete {
			writes.Add(1)
		}
	})
	srv.AddToken("5|no-subscribers", "components.manage", "component-groups.manage")
	same := writeFile(t, "status.yaml", []byte(page3))
	r := run(t, srv.URL, "5|no-subscribers", "plan", same)
	if r.code == 0 || !strings.Contains(r.stderr, "lacks the ability subscribers.manage") {
		t.Fatalf("plan without subscribers.manage: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("plan sent %d requests, want the one probe", n)
	}

	srv.AddToken("6|no-groups", "components.manage", "subscribers.manage", "subscribers.delete")
	changed := writeFile(t, "status.yaml", []byte(strings.NewReplacer("collapsed: open", "collapsed: collapsed",
		"description: Public API", "description: Public REST API").Replace(page3)))
	r = run(t, srv.URL, "6|no-groups", "apply", changed)
	if r.code == 0 || !strings.Contains(r.stderr, "lacks the ability component-groups.manage, which this apply needs") ||
		strings.Contains(r.stdout, "Do you want") {
		t.Fatalf("apply without component-groups.manage: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := writes.Load(); n != 0 {
		t.Errorf("%d creates or deletes", n)
	}
	r = run(t, srv.URL, srv.Token(), "plan", changed)
	if r.code != 0 || !strings.Contains(r.stdout, "Public REST API") || !strings.Contains(r.stdout, "collapsed") {
		t.Fatalf("the page changed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, srv.URL, srv.Token(), "apply", changed, "--auto-approve")
	if r.code != 0 {
		t.Fatalf("apply with every ability: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

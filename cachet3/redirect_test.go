package cachet3_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/cachetsync/cachetsync/cachet3"
)

// TestRedirectsAreNotFollowed: a redirect to another server (here plain
// http, as a downgrade would be) is not followed: the other server
// receives nothing, the token included, and a write is not reported done.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c, err := cachet3.New(srv.URL+"/api", "1|a-token-of-twenty-ch", fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Components.List(context.Background(), cachet3.ListOptions{}, 1, 10); err == nil {
		t.Error("a redirected read succeeded")
	}
	if _, err := c.Components.Update(context.Background(), 3, cachet3.ComponentParams{Name: cachet3.Ptr("x")}); err == nil {
		t.Error("a redirected update was reported done")
	}
	if err := c.Components.Delete(context.Background(), 3); err == nil {
		t.Error("a redirected delete was reported done")
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("the other server received %d requests", n)
	}
}

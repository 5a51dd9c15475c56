package cachet_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// TestCertificateErrorsAreNotRetried: a certificate that does not verify is
// a permanent error, and a write refused at the handshake is not ambiguous.
func TestCertificateErrorsAreNotRetried(t *testing.T) {
	var conns atomic.Int64
	ts := httptest.NewUnstartedServer(cachettest.New())
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	defer ts.Close()
	c, err := cachet.New(ts.URL+"/api/v1", "test-token", cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Components.List(context.Background(), cachet.ListOptions{}); err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connection attempts, want 1 (no retry of a certificate error)", n)
	}
	_, err = c.Components.Create(context.Background(), cachet.ComponentParams{Name: cachet.Ptr("X")})
	if err == nil || cachet.IsAmbiguous(err) {
		t.Fatalf("create over a bad certificate: err = %v, ambiguous = %v; want a plain error", err, cachet.IsAmbiguous(err))
	}
}

package cachet3_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet3"
)

// TestErrorsNeverHoldTheToken: a server that echoes the token in an error
// body does not get it printed; redaction replaces the whole token only.
func TestErrorsNeverHoldTheToken(t *testing.T) {
	const token = "7|cachet3-secret-token-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"message":"bad token ` + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + ` in request"}`))
	}))
	defer srv.Close()
	c, err := cachet3.New(srv.URL+"/api", token, cachet3.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Components.Get(context.Background(), 1)
	if err == nil || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v: want the token redacted", err)
	}
}

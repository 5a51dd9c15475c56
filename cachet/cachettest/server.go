package cachettest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

// Server is an Emulator listening on a loopback port, like httptest.Server.
type Server struct {
	*Emulator
	// URL is the API endpoint, http://127.0.0.1:<port>/api/v1 (/api in 3.x mode).
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on 127.0.0.1. Call Close when done. It
// panics on an invalid option.
func NewServer(opts ...Option) *Server {
	e := New(opts...)
	srv := httptest.NewServer(e)
	return &Server{Emulator: e, URL: srv.URL + e.apiPrefix(), srv: srv}
}

// Start starts an emulator for the test tb and closes it when the test
// ends. An invalid option fails the test with a message naming it. Use
// Client for a client of it.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	o, err := newOptions(opts)
	if err != nil {
		tb.Fatal(err)
		return nil
	}
	e := newEmulator(o)
	srv := httptest.NewServer(e)
	s := &Server{Emulator: e, URL: srv.URL + e.apiPrefix(), srv: srv}
	tb.Cleanup(s.Close)
	return s
}

// Client returns a new client of the server with its token, retrying
// quickly (so that tests with faults do not wait), plus opts. It panics
// if opts are invalid.
func (s *Server) Client(opts ...cachet.Option) *cachet.Client {
	base := []cachet.Option{cachet.WithRetry(cachet.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})}
	c, err := cachet.New(s.URL, s.Token(), append(base, opts...)...)
	if err != nil {
		panic("cachettest: Client: " + err.Error())
	}
	return c
}

// BaseURL returns the server's root URL (without /api/v1 or /api).
func (s *Server) BaseURL() string { return s.srv.URL }

// Close shuts the server down and waits for pending requests.
func (s *Server) Close() { s.srv.Close() }

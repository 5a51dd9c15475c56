package cachettest

import "net/http/httptest"

// Server is an Emulator listening on a loopback port, like httptest.Server.
type Server struct {
	*Emulator
	// URL is the API endpoint, http://127.0.0.1:<port>/api/v1 (/api in 3.x mode).
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on 127.0.0.1. Call Close when done.
func NewServer(opts ...Option) *Server {
	e := New(opts...)
	srv := httptest.NewServer(e)
	prefix := "/api/v1"
	if e.v3 != nil {
		prefix = v3prefix
	}
	return &Server{Emulator: e, URL: srv.URL + prefix, srv: srv}
}

// BaseURL returns the server's root URL (without /api/v1 or /api).
func (s *Server) BaseURL() string { return s.srv.URL }

// Close shuts the server down and waits for pending requests.
func (s *Server) Close() { s.srv.Close() }

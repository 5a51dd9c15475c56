package cachettest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
)

// Request is one API request as the emulator received it.
type Request struct {
	Method string
	Path   string // e.g. /api/v1/incidents/3/updates
	Query  string // raw query, e.g. per_page=1&sort=id
	// Body is the request body as read by the emulator (its first
	// MaxRecordedBody bytes); nil for GET and HEAD.
	Body []byte
	// Status is the answer's status code, 0 for a dropped connection.
	Status int
}

// String returns e.g. "POST /api/v1/incidents -> 200".
func (r Request) String() string {
	u := r.Path
	if r.Query != "" {
		u += "?" + r.Query
	}
	return fmt.Sprintf("%s %s -> %d", r.Method, u, r.Status)
}

// Limits of the request record.
const (
	// MaxRecorded is how many requests Requests keeps: the most recent.
	MaxRecorded = 10000
	// MaxRecordedBody is how much of each request body is kept.
	MaxRecordedBody = 64 << 10
)

// Requests returns the API requests received so far, oldest first (at most
// the last MaxRecorded), faulted ones included. Seeding and inspection are
// not requests and do not appear.
func (e *Emulator) Requests() []Request {
	e.recMu.Lock()
	defer e.recMu.Unlock()
	out := make([]Request, len(e.requests))
	for i, r := range e.requests {
		out[i] = *r
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// RequestsTo returns the recorded requests with this method (any when "")
// whose path matches pattern (see Fault.Path).
func (e *Emulator) RequestsTo(method, pattern string) []Request {
	var out []Request
	for _, r := range e.Requests() {
		if (method == "" || r.Method == method) && pathMatches(pattern, r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests empties the record.
func (e *Emulator) ResetRequests() {
	e.recMu.Lock()
	e.requests = nil
	e.recMu.Unlock()
}

// record adds r to the record and tees its body into it.
func (e *Emulator) record(r *http.Request) *Request {
	rec := &Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		rec.Body = []byte{}
		r.Body = &teeBody{ReadCloser: r.Body, rec: rec, e: e}
	}
	e.recMu.Lock()
	if len(e.requests) >= MaxRecorded {
		e.requests = slices.Delete(e.requests, 0, MaxRecorded/2)
	}
	e.requests = append(e.requests, rec)
	e.recMu.Unlock()
	return rec
}

type teeBody struct {
	io.ReadCloser
	rec *Request
	e   *Emulator
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if n > 0 {
		t.e.recMu.Lock()
		if room := MaxRecordedBody - len(t.rec.Body); room > 0 {
			t.rec.Body = append(t.rec.Body, p[:min(n, room)]...)
		}
		t.e.recMu.Unlock()
	}
	return n, err
}

// statusWriter notes the status of the answer in the record.
type statusWriter struct {
	http.ResponseWriter
	rec *Request
	e   *Emulator
}

func (w *statusWriter) WriteHeader(code int) {
	w.e.recMu.Lock()
	if w.rec.Status == 0 {
		w.rec.Status = code
	}
	w.e.recMu.Unlock()
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.e.recMu.Lock()
	if w.rec.Status == 0 {
		w.rec.Status = http.StatusOK
	}
	w.e.recMu.Unlock()
	return w.ResponseWriter.Write(b)
}

// Hijack lets a dropped connection through; the status stays 0.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

// Fault makes chosen requests fail (see AddFault).
type Fault struct {
	// Method is the request method to match; "" matches any.
	Method string
	// Path matches the request path: exactly, or with path.Match patterns
	// per segment ("/incidents/*/updates"). It may omit the /api/v1 prefix.
	// "" matches any path.
	Path string
	// Nth is which matching request fails: 1 (or 0) the first one, 2 the
	// second, and so on. Only that one fails, unless Times says more.
	Nth int
	// Times is how many matching requests fail from the Nth on (0 means 1).
	Times int
	// Status is the answer, e.g. 500, 503 or 422. 502 comes as a proxy's
	// HTML page, 429 and 503 with a Retry-After header (WithRetryAfter).
	Status int
	// Drop closes the connection without an answer instead.
	Drop bool
	// AfterApply handles the request first, so a write changes the store,
	// and then fails it: the ambiguous outcome of a server that fails after
	// committing. Without it the request fails before it is handled and
	// changes nothing.
	AfterApply bool
}

type targetFault struct {
	Fault
	seen int // matching requests so far
}

// AddFault makes the requests f matches fail, in addition to any random
// faults (WithFaults). Faults are checked in the order they were added; a
// request fails with the first that fires. It panics on an invalid fault:
// neither or both of Status and Drop, a Status outside 400–599, or a
// negative Nth or Times.
func (e *Emulator) AddFault(f Fault) {
	switch {
	case f.Drop == (f.Status != 0):
		panic("cachettest: AddFault: set exactly one of Status and Drop")
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		panic(fmt.Sprintf("cachettest: AddFault: status %d is not an error status (400–599)", f.Status))
	case f.Nth < 0 || f.Times < 0:
		panic("cachettest: AddFault: Nth and Times must not be negative")
	}
	if _, err := path.Match(f.Path, ""); err != nil {
		panic(fmt.Sprintf("cachettest: AddFault: path pattern %q: %v", f.Path, err))
	}
	f.Nth, f.Times = max(f.Nth, 1), max(f.Times, 1)
	e.recMu.Lock()
	e.targeted = append(e.targeted, &targetFault{Fault: f})
	e.recMu.Unlock()
}

// ClearFaults removes every fault added with AddFault.
func (e *Emulator) ClearFaults() {
	e.recMu.Lock()
	e.targeted = nil
	e.recMu.Unlock()
}

// targetedFault returns the fault an added Fault makes of r, if any.
func (e *Emulator) targetedFault(r *http.Request) (fault, bool) {
	e.recMu.Lock()
	defer e.recMu.Unlock()
	for _, t := range e.targeted {
		if t.Method != "" && !strings.EqualFold(t.Method, r.Method) || !pathMatches(t.Path, r.URL.Path) {
			continue
		}
		t.seen++
		if t.seen < t.Nth || t.seen >= t.Nth+t.Times {
			continue
		}
		f := fault{afterApply: t.AfterApply}
		if t.Drop {
			f.kind = faultDrop
		} else {
			f.kind, f.status = faultCustom, t.Status
		}
		return f, true
	}
	return fault{}, false
}

// pathMatches reports whether p (a request path) matches pattern, with or
// without the /api/v1 prefix; "" matches everything.
func pathMatches(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	p = strings.TrimRight(p, "/")
	pattern = strings.TrimRight(pattern, "/")
	if !strings.HasPrefix(pattern, "/api/v1") {
		pattern = "/api/v1" + "/" + strings.TrimLeft(pattern, "/")
	}
	ok, _ := path.Match(pattern, p)
	return ok
}

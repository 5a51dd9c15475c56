package cachet

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cachetsync/cachetsync/internal/httpx"
	"github.com/cachetsync/cachetsync/internal/safetext"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrReadOnly is returned for a write attempted by a read-only client.
	ErrReadOnly = errors.New("cachet: read-only client refuses to send a write")
	// ErrNotFound matches an *APIError with status 404.
	ErrNotFound = errors.New("cachet: not found")
	// ErrUnauthorized matches an *APIError with status 401.
	ErrUnauthorized = errors.New("cachet: unauthorized")
	// ErrBodyTooLarge matches a response larger than the client's limit
	// (WithMaxBodyBytes).
	ErrBodyTooLarge = errors.New("cachet: response body too large")
)

// bodyTooLargeError is a successful answer the client would not read whole.
type bodyTooLargeError struct {
	method, path string
	limit        int64
}

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("cachet: %s %s: the response body is larger than the client's limit of %s; read smaller pages (a lower ListOptions.PerPage) or raise the limit with WithMaxBodyBytes",
		e.method, e.path, byteSize(e.limit))
}

func (e *bodyTooLargeError) Is(target error) bool { return target == ErrBodyTooLarge }

// byteSize renders n as "64 MiB", "1.5 KiB" or "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	case n >= 1<<10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// APIError is an error response of the Cachet API.
type APIError struct {
	StatusCode int
	Title      string   // e.g. "Bad Request"
	Detail     string   // e.g. "The request cannot be fulfilled due to bad syntax."
	Details    []string // validation messages, e.g. "The name field is required."
	Method     string
	Path       string        // request path and query, e.g. /api/v1/components/9
	RetryAfter time.Duration // from the Retry-After header, 0 when absent
}

// Error returns e.g. "cachet: GET /api/v1/components/9: 404 Not Found: No query results ...".
func (e *APIError) Error() string {
	// The server's words are escaped: they reach a terminal.
	var b strings.Builder
	fmt.Fprintf(&b, "cachet: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Title != "" {
		b.WriteString(" " + safetext.Line(e.Title))
	}
	if e.Detail != "" && e.Detail != e.Title {
		b.WriteString(": " + safetext.Line(e.Detail))
	}
	if len(e.Details) > 0 {
		b.WriteString(" (" + safetext.Line(strings.Join(e.Details, "; ")) + ")")
	}
	return b.String()
}

// Is reports whether target is ErrNotFound for a 404 or ErrUnauthorized for a 401.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	}
	return false
}

// wireError is one element of Cachet's {"errors":[...]} body.
type wireError struct {
	Status flexInt    `json:"status"`
	Title  flexString `json:"title"`
	Detail flexString `json:"detail"`
	Meta   struct {
		Details flexStrings `json:"details"`
	} `json:"meta"`
}

// decodeAPIError fills e from a Cachet error body; it reports whether the
// body had that shape.
func decodeAPIError(e *APIError, body []byte) bool {
	var w struct {
		Errors []wireError `json:"errors"`
	}
	if err := json.Unmarshal(body, &w); err != nil || len(w.Errors) == 0 {
		return false
	}
	first := w.Errors[0]
	e.Title = string(first.Title)
	e.Detail = string(first.Detail)
	e.Details = []string(first.Meta.Details)
	for _, more := range w.Errors[1:] {
		if more.Detail != "" {
			e.Details = append(e.Details, string(more.Detail))
		}
	}
	return true
}

func parseAPIError(method, path string, resp *http.Response, body []byte) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	if !decodeAPIError(e, body) {
		e.Title = http.StatusText(resp.StatusCode)
		e.Detail = snippet(body)
	}
	return e
}

var snippet = httpx.Snippet

// IsAmbiguous reports whether err comes from a write (POST, PUT, DELETE)
// whose outcome is unknown: a timeout, a dropped connection or a 5xx answer
// after which the server may or may not have applied it. Re-read the state
// before deciding what to do.
func IsAmbiguous(err error) bool {
	return httpx.IsAmbiguous(err)
}

// Transport error classification, shared with the 3.x client.
var (
	isDialError        = httpx.IsDialError
	isCertificateError = httpx.IsCertificateError
	stripURLError      = httpx.StripURLError
)

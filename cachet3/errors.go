package cachet3

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cachetsync/cachetsync/internal/httpx"
)

// Sentinel errors, matched with errors.Is against an *APIError (or the
// read-only refusal).
var (
	ErrReadOnly     = errors.New("cachet3: read-only client refuses to send a write")
	ErrUnauthorized = errors.New("cachet3: unauthorized (401)")
	ErrForbidden    = errors.New("cachet3: the token lacks an ability (403)")
	ErrNotFound     = errors.New("cachet3: not found (404)")
	ErrValidation   = errors.New("cachet3: validation failed (422)")
	ErrRateLimited  = errors.New("cachet3: rate limited (429)")
	// ErrListChanged is returned by All when the list kept changing under
	// every attempt to read it consistently.
	ErrListChanged = errors.New("cachet3: the list changed during every read attempt")
)

// APIError is an error answer of the API: Laravel's {"message": "..."},
// plus {"errors": {field: [messages]}} for a 422.
type APIError struct {
	StatusCode int
	Message    string              // the body's message, e.g. "Invalid ability provided."
	Fields     map[string][]string // 422: messages per input field, e.g. "components.0.id"
	// Ability is, for a 403, the token ability the call needs (e.g.
	// "components.delete"): the server's message never names it.
	Ability    string
	Method     string
	Path       string        // path and query
	RetryAfter time.Duration // from Retry-After, 0 when absent
}

// Error returns e.g. "cachet3: DELETE /api/components/7: 403 Forbidden:
// Invalid ability provided. (the token needs the ability components.delete)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cachet3: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.StatusCode == http.StatusForbidden && e.Ability != "" {
		b.WriteString(" (the token needs the ability " + e.Ability + ")")
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+strings.Join(e.Fields[k], " "))
		}
		b.WriteString(" [" + strings.Join(parts, "; ") + "]")
	}
	return b.String()
}

// Is matches the sentinel of e's status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrValidation:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

func parseAPIError(r *request, path string, resp *http.Response, body []byte) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     r.method,
		Path:       path,
		RetryAfter: httpx.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	if resp.StatusCode == http.StatusForbidden {
		e.Ability = r.ability
	}
	var w struct {
		Message *string             `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	if err := json.Unmarshal(body, &w); err == nil && w.Message != nil {
		e.Message = *w.Message
		e.Fields = w.Errors
	} else {
		e.Message = httpx.Snippet(body)
	}
	return e
}

// IsAmbiguous reports whether err comes from a write whose outcome is
// unknown (a timeout, a dropped connection or a 5xx after which the server
// may have applied it). Re-read before deciding what to do.
func IsAmbiguous(err error) bool {
	return httpx.IsAmbiguous(err)
}

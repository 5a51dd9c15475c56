package cachet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Request is an API call this package has no method for, built with
// NewRequest and sent with Do.
type Request struct {
	Method string
	// Path is below the endpoint's /api/v1, e.g. "/components/7".
	Path  string
	Query url.Values
	// Body is encoded as JSON when non-nil.
	Body any
}

// Response is what Do read besides the envelope's data.
type Response struct {
	StatusCode int
	// Meta is the envelope's "meta" as sent (e.g. {"pagination":{...}}),
	// nil when absent, null or [].
	Meta json.RawMessage
}

// NewRequest builds a raw API call. path is relative to the endpoint, with
// or without a leading slash, and may hold a query ("/components?per_page=5").
// Methods other than GET, HEAD, POST, PUT, PATCH and DELETE are refused, as
// is a path that leaves /api/v1.
func (c *Client) NewRequest(method, path string, body any) (*Request, error) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return nil, fmt.Errorf("cachet: NewRequest: unsupported method %q", method)
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("cachet: NewRequest: %w", err)
	}
	if u.Scheme != "" || u.Host != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cachet: NewRequest: path %q must be relative to the endpoint, like /components", path)
	}
	p := "/" + strings.TrimLeft(u.Path, "/")
	if strings.HasPrefix(p, apiPrefix+"/") || p == apiPrefix {
		return nil, fmt.Errorf("cachet: NewRequest: path %q repeats %s; the endpoint already ends in it", path, apiPrefix)
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." || seg == "." {
			return nil, fmt.Errorf("cachet: NewRequest: path %q has a %q segment", path, seg)
		}
	}
	return &Request{Method: method, Path: p, Query: u.Query(), Body: body}, nil
}

// Do sends req like the typed methods do: with the token, the retry
// policy, read-only mode and rate limit, and the same errors (*APIError,
// IsAmbiguous, the token redacted). When v is non-nil the envelope's
// "data" is decoded into it.
func (c *Client) Do(ctx context.Context, req *Request, v any) (*Response, error) {
	var meta json.RawMessage
	r := &request{method: req.Method, path: req.Path, query: req.Query, body: req.Body, out: v, meta: &meta}
	err := c.do(ctx, r)
	resp := &Response{StatusCode: r.status}
	if len(meta) > 0 {
		resp.Meta = meta
	}
	return resp, err
}

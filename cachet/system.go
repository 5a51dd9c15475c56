package cachet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Version is the answer of GET /version.
type Version struct {
	Value string // the server's VERSION file, e.g. "2.4.1" or "2.4.0-dev"
	// OnLatest is Cachet's version_compare(version, latest tag) === 1, which
	// is true for any version against a "v"-prefixed tag such as "v2.4.1":
	// it does not tell whether the server is up to date.
	OnLatest bool
	Latest   string // tag of the latest release on GitHub, e.g. "v2.4.1"
}

// SystemStatus is the answer of GET /status.
type SystemStatus struct {
	Status  string // "success", "info" or "danger"
	Message string // e.g. "System operational"
}

// Ping calls GET /ping and reports whether the server answered "Pong!".
func (c *Client) Ping(ctx context.Context) (bool, error) {
	var s flexString
	if err := c.do(ctx, &request{method: http.MethodGet, path: "/ping", out: &s}); err != nil {
		return false, err
	}
	return s == "Pong!", nil
}

// Version calls GET /version. Cachet asks GitHub for the latest release
// server-side, so this fails (500) on a server without internet access;
// use Ping as a health check.
func (c *Client) Version(ctx context.Context) (Version, error) {
	var v flexString
	var meta struct {
		OnLatest flexBool `json:"on_latest"`
		Latest   struct {
			TagName flexString `json:"tag_name"`
		} `json:"latest"`
	}
	if err := c.do(ctx, &request{method: http.MethodGet, path: "/version", out: &v, meta: &meta}); err != nil {
		return Version{}, err
	}
	return Version{Value: string(v), OnLatest: bool(meta.OnLatest), Latest: string(meta.Latest.TagName)}, nil
}

// Status calls GET /status.
func (c *Client) Status(ctx context.Context) (SystemStatus, error) {
	var s struct {
		Status  flexString `json:"status"`
		Message flexString `json:"message"`
	}
	if err := c.do(ctx, &request{method: http.MethodGet, path: "/status", out: &s}); err != nil {
		return SystemStatus{}, err
	}
	return SystemStatus{Status: string(s.Status), Message: string(s.Message)}, nil
}

// CheckToken verifies the token with GET /subscribers?per_page=1, the
// cheapest call that requires one (a public GET with a bad token silently
// reads as a guest). A rejected token gives an error wrapping ErrUnauthorized.
func (c *Client) CheckToken(ctx context.Context) error {
	if c.token == "" {
		return fmt.Errorf("cachet: no API token: %w", ErrUnauthorized)
	}
	return c.do(ctx, &request{method: http.MethodGet, path: "/subscribers", query: url.Values{"per_page": {"1"}}})
}

// ServerVersion tells Cachet 2.4 from 2.3; it returns "2.4" or "2.3". The
// answer is cached by the Client: it is known without a request once a
// component or group has been read (2.4 components carry meta and 2.4
// groups visible), else GET /schedules (2.4 only) is probed once.
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	if v, ok := c.version.Load().(string); ok {
		return v, nil
	}
	err := c.do(ctx, &request{method: http.MethodGet, path: "/schedules", query: url.Values{"per_page": {"1"}}})
	switch {
	case err == nil:
		c.version.Store("2.4")
		return "2.4", nil
	case errors.Is(err, ErrNotFound):
		c.version.Store("2.3")
		return "2.3", nil
	}
	return "", err
}

// versionHinter is a model whose shape tells the server's version.
type versionHinter interface{ serverVersion() string }

func (c Component) serverVersion() string {
	if c.Meta == nil {
		return "2.3"
	}
	return "2.4"
}

func (g ComponentGroup) serverVersion() string {
	if !g.HasVisibility {
		return "2.3"
	}
	return "2.4"
}

// learnVersion records the version a model read from the server shows.
func (c *Client) learnVersion(x any) {
	if h, ok := x.(versionHinter); ok {
		c.version.Store(h.serverVersion())
	}
}

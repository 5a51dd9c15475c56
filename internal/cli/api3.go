package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/adapter/cachetv3"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/plan"
)

// The APIs cachetsync speaks, as parseEndpoint and detectAPI name them.
const (
	apiV1 = "v1"  // Cachet 2.3 and 2.4, at .../api/v1
	apiV3 = "3.x" // Cachet 3.x (preview), at .../api
)

// apiName names an API for people.
func apiName(api string) string {
	if api == apiV3 {
		return "Cachet 3.x"
	}
	return "API v1, Cachet 2.x"
}

// conn is a client of one page, through exactly one of the two APIs.
type conn struct {
	v1 *cachet.Client
	v3 *cachet3.Client
}

// detectedAPI is the API found behind a site URL.
type detectedAPI struct{ endpoint, api string }

// detectAPI probes the site once: GET {site}/api/v1/ping answering
// "Pong!" is API v1; otherwise GET {site}/api/ping answering "Pong!" is
// Cachet 3.x. When neither answers, API v1 is assumed (the reads that
// follow then report what is wrong, as before 3.x was known).
func (f *ConnFlags) detectAPI(g *Globals, site, token string, opts []cachet.Option) *detectedAPI {
	ctx := g.env.Context
	v1 := &detectedAPI{site + "/api/v1", apiV1}
	if c, err := cachet.New(v1.endpoint, token, opts...); err == nil {
		if pong, err := c.Ping(ctx); err == nil && pong {
			return v1
		}
	}
	v3 := &detectedAPI{site + "/api", apiV3}
	if c, err := f.client3(g, v3.endpoint, token, true); err == nil {
		if pong, err := c.Ping(ctx); err == nil && pong {
			return v3
		}
	}
	return v1
}

// client3 builds a Cachet 3.x client from the connection flags.
func (f *ConnFlags) client3(g *Globals, endpoint, token string, readOnly bool) (*cachet3.Client, error) {
	opts := []cachet3.Option{cachet3.WithTimeout(f.Timeout), cachet3.WithUserAgent(userAgent())}
	if f.InsecureSkipVerify || f.CACert != "" {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: f.InsecureSkipVerify}
		if f.CACert != "" {
			pem, err := os.ReadFile(f.CACert)
			if err != nil {
				return nil, fmt.Errorf("--ca-cert: %w", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("--ca-cert %s holds no PEM certificate", f.CACert)
			}
			t.TLSClientConfig.RootCAs = pool
		}
		opts = append(opts, cachet3.WithHTTPClient(&http.Client{Transport: t}))
	}
	if f.Debug {
		opts = append(opts, cachet3.WithDebug(g.env.Stderr))
	}
	if f.Rate > 0 {
		// --rate is per second; the 3.x limiter counts n requests a span.
		opts = append(opts, cachet3.WithRateLimit(1, time.Duration(float64(time.Second)/f.Rate)))
	}
	if readOnly {
		opts = append(opts, cachet3.WithReadOnly())
	}
	return cachet3.New(endpoint, token, opts...)
}

// reader is the plan.Reader of the connection's API.
func (r ReadFlags) reader(cn *conn) (plan.Reader, error) {
	if cn.v3 != nil {
		return cachetv3.New(cn.v3), nil
	}
	if r.PageSize < 1 || r.ReadConcurrency < 1 || r.ReadConcurrency > 64 {
		return nil, errors.New("--page-size must be at least 1 and --read-concurrency between 1 and 64")
	}
	if r.MaxObjects < 0 {
		return nil, errors.New("--max-objects must be at least 1")
	}
	return cachetv1.New(cn.v1, cachetv1.ReadOptions{PageSize: r.PageSize, Concurrency: r.ReadConcurrency,
		MaxObjects: r.MaxObjects}), nil
}

// executor is the apply.Executor of the connection's API.
func executor(cn *conn) apply.Executor {
	if cn.v3 != nil {
		return cachetv3.New(cn.v3)
	}
	return cachetv1.New(cn.v1, cachetv1.ReadOptions{})
}

// checkWriteAbilities tests, on Cachet 3.x, that the token holds the
// abilities every write of p needs, before any write and before the user
// is asked to confirm (cachetv3.API.CheckWriteAbilities). API v1 tokens
// have no abilities.
func checkWriteAbilities(ctx context.Context, cn *conn, p *plan.Plan) error {
	if cn.v3 == nil {
		return nil
	}
	_, err := cachetv3.New(cn.v3).CheckWriteAbilities(ctx, p)
	return err
}

// readConn reads the live page through the connection's API.
func (r ReadFlags) readConn(ctx context.Context, cn *conn, skipSubscribers bool) (*plan.Live, error) {
	reader, err := r.reader(cn)
	if err != nil {
		return nil, err
	}
	return reader.ReadLive(ctx, skipSubscribers)
}

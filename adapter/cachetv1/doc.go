// Package cachetv1 is the adapter between the version-neutral planner
// (package plan) and Cachet's API v1 (Cachet 2.3 and 2.4, spoken by package
// cachet). Besides package cachet it is the only code that knows v1 wire
// payloads: it reads the live page into a plan.Live (ReadLive, API.ReadLive,
// which satisfies plan.Reader) and carries out the operations of a plan.
//
// A Cachet 3.x adapter over package cachet3 is the same set of methods in a
// sibling package.
package cachetv1

import (
	"context"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/plan"
)

// API is the v1 adapter for one page: the client it talks through and how
// it reads.
type API struct {
	client *cachet.Client
	read   ReadOptions
}

// New returns the adapter speaking to the page behind c; read tunes
// ReadLive (its SkipSubscribers is set per call).
func New(c *cachet.Client, read ReadOptions) *API {
	return &API{client: c, read: read}
}

// Client returns the client the adapter talks through.
func (a *API) Client() *cachet.Client { return a.client }

// ReadLive reads the live page as the package-level ReadLive does, with the
// adapter's read options; it implements plan.Reader.
func (a *API) ReadLive(ctx context.Context, skipSubscribers bool) (*plan.Live, error) {
	opts := a.read
	opts.SkipSubscribers = skipSubscribers
	return ReadLive(ctx, a.client, opts)
}

var _ plan.Reader = (*API)(nil)

package plan

import "context"

// Reader reads the live page through one version of Cachet's API; each API
// has its adapter (package adapter/cachetv1 for API v1). A Reader never
// returns an incomplete Live: a list it could not read whole is an error.
type Reader interface {
	// ReadLive reads every group, component and, unless skipSubscribers,
	// subscriber of the page, after making sure the token is good.
	ReadLive(ctx context.Context, skipSubscribers bool) (*Live, error)
}

// Object is a live group or component as apply's checks see it: its id and
// its name as the server stores it.
type Object struct {
	ID   int
	Name string
}

package cachet

import "github.com/cachetsync/cachetsync/internal/httpx"

// The transports (read-only, rate limit, debug) live in internal/httpx,
// shared with the 3.x client.

func newLimiter(perSecond float64) httpx.Waiter { return httpx.NewSpacer(perSecond) }

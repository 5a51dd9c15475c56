package cachet

import (
	"fmt"
	"time"

	"github.com/cachetsync/cachetsync/internal/httpx"
)

// RetryPolicy bounds the retries of a request.
//
// GET, PUT and DELETE are retried on connection errors, 429, 502, 503 and
// 504, and GET also on 500 (a read changes nothing). POST is retried only
// when the server surely did not act: on 429, or when the connection could
// not be made. All attempts of a request and the waits between them end
// within the client's timeout (WithTimeout). Waits grow exponentially from
// MinBackoff up to MaxBackoff with full jitter; a Retry-After header
// replaces the computed wait.
type RetryPolicy struct {
	MaxAttempts int // total attempts, >= 1; 1 disables retries
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
}

// DefaultRetryPolicy is used when WithRetry is not given.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MinBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second}

func (p RetryPolicy) validate() error {
	if p.MaxAttempts < 1 {
		return fmt.Errorf("cachet: retry policy needs MaxAttempts >= 1, got %d", p.MaxAttempts)
	}
	if p.MinBackoff < 0 || p.MaxBackoff < 0 {
		return fmt.Errorf("cachet: retry backoff must not be negative")
	}
	return nil
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	return p
}

// backoff returns the wait before retry number attempt (1 for the first
// retry): a uniformly random duration in [0, min(MaxBackoff, MinBackoff*2^(attempt-1))].
func (p RetryPolicy) backoff(attempt int) time.Duration {
	return httpx.Backoff(p.MinBackoff, p.MaxBackoff, attempt)
}

// sleepCtx waits for d or until ctx is done (see httpx.Sleep).
var sleepCtx = httpx.Sleep

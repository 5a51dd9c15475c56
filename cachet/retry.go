package cachet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds the retries of a request.
//
// GET, PUT and DELETE are retried on connection errors, 429, 502, 503 and
// 504. POST is retried only when the server surely did not act: on 429, or
// when the connection could not be made. Waits grow exponentially from
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
	ceil := p.MinBackoff
	for i := 1; i < attempt && ceil < p.MaxBackoff; i++ {
		ceil *= 2
	}
	if ceil > p.MaxBackoff {
		ceil = p.MaxBackoff
	}
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil + 1)
}

// sleepCtx waits for d or until ctx is done. It fails at once when ctx's
// deadline comes before the wait would end.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("waiting %v would pass the deadline: %w", d.Round(time.Millisecond), context.DeadlineExceeded)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

package httpx

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSleepOnACancelledContextSaysCancelled: a context cancelled before the
// wait reports context.Canceled even when the wait would also pass its
// deadline (the retry loop tells a caller's cancel from a timeout by it).
func TestSleepOnACancelledContextSaysCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestRedactErrorKeepsTheChain: the token leaves the message, errors.Is
// still finds what it wraps, and an error without the token is returned as
// it is.
func TestRedactErrorKeepsTheChain(t *testing.T) {
	const token = "s3cr3t-token-value"
	base := errors.New("GET /x with " + token + " failed")
	err := RedactError(base, token)
	if err.Error() != "GET /x with [redacted] failed" || !errors.Is(err, base) {
		t.Errorf("RedactError = %q (is base: %v)", err, errors.Is(err, base))
	}
	plain := errors.New("no secret here")
	if RedactError(plain, token) != plain || RedactError(nil, token) != nil {
		t.Error("an error without the token must come back unchanged")
	}
}

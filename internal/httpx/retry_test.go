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

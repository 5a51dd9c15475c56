package httpx

import (
	"testing"
	"time"
)

// TestWindowNeverExceedsNPerSpan checks the sliding window: a burst of N
// goes at once, the (N+1)th waits until Per after the first, and no span
// of Per ever holds more than N reservations.
func TestWindowNeverExceedsNPerSpan(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := t0
	l := NewWindow(3, time.Minute)
	l.now = func() time.Time { return clock }
	var got []time.Time
	for range 3 {
		got = append(got, l.reserve())
	}
	for i, s := range got {
		if !s.Equal(t0) {
			t.Fatalf("burst request %d at %v, want at once", i, s.Sub(t0))
		}
	}
	clock = t0.Add(10 * time.Second)
	got = append(got, l.reserve(), l.reserve())
	if want := t0.Add(time.Minute); !got[3].Equal(want) || !got[4].Equal(want) {
		t.Fatalf("4th and 5th at %v, %v; want %v", got[3].Sub(t0), got[4].Sub(t0), want.Sub(t0))
	}
	clock = t0.Add(200 * time.Second)
	got = append(got, l.reserve())
	if !got[5].Equal(clock) {
		t.Fatalf("6th at %v, want now (%v)", got[5].Sub(t0), clock.Sub(t0))
	}
	for i := range got {
		n := 0
		for _, s := range got {
			if !s.Before(got[i]) && s.Before(got[i].Add(time.Minute)) {
				n++
			}
		}
		if n > 3 {
			t.Fatalf("%d requests in the minute from %v", n, got[i].Sub(t0))
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 1; attempt < 10; attempt++ {
		ceil := min(100*time.Millisecond<<(attempt-1), time.Second)
		for range 50 {
			if d := Backoff(100*time.Millisecond, time.Second, attempt); d < 0 || d > ceil {
				t.Fatalf("Backoff(%d) = %v, want within [0, %v]", attempt, d, ceil)
			}
		}
	}
}

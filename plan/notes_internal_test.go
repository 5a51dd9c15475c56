package plan

import "testing"

// TestUndeclaredSubscribersNote: one subscriber is singular, more plural.
func TestUndeclaredSubscribersNote(t *testing.T) {
	for n, want := range map[int]string{
		1: "1 live subscriber not in the file is left alone (prune.subscribers is false)",
		3: "3 live subscribers not in the file are left alone (prune.subscribers is false)",
	} {
		if got := undeclaredSubscribersNote(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

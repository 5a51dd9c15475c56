package spec

import (
	"math/rand/v2"
	"net/mail"
	"testing"
)

// TestPlainEmail proves that every address plainEmail passes is one that
// net/mail reads as the bare address itself (so validEmail may skip
// net/mail for it), on common and odd addresses and 100,000 mutations of
// them, and that the common ones take the shortcut.
func TestPlainEmail(t *testing.T) {
	viaNetMail := func(s string) bool {
		a, err := mail.ParseAddress(s)
		return err == nil && a.Name == "" && a.Address == s
	}
	common := []string{"oncall@example.com", "first.last+tag@sub.example.co.uk", "a_b%c-d@x-y.z", "user0042@example.com", "A@B"}
	for _, s := range common {
		if !plainEmail(s) {
			t.Errorf("%q does not take the shortcut", s)
		}
	}
	odd := []string{"", "@", "a@", "@b", "a@@b", ".a@b", "a.@b", "a..b@c", "a@.b", "a@b.", "a@b..c", "a@b_c", "a b@c", "\"a\"@b",
		"a@[1.2.3.4]", "<a@b>", "A <a@b>", "a@b (c)", "é@b", "a@é", "a\x00@b", "a@b\n", " a@b", "a@b "}
	rng := rand.New(rand.NewPCG(3, 9))
	bits := []string{".", "@", "-", "_", "+", "%", " ", "\"", "(", ")", "<", ">", "[", "]", ",", ";", ":", "\\", "é", "a", "0", "!", "#", "=", "~"}
	taken := 0
	for i := range 100000 + len(common) + len(odd) {
		var s string
		switch {
		case i < len(common):
			s = common[i]
		case i < len(common)+len(odd):
			s = odd[i-len(common)]
		default:
			s = common[rng.IntN(len(common))]
			for range 1 + rng.IntN(3) {
				k := rng.IntN(len(s) + 1)
				s = s[:k] + bits[rng.IntN(len(bits))] + s[min(len(s), k+rng.IntN(2)):]
			}
		}
		if plainEmail(s) {
			taken++
			if !viaNetMail(s) {
				t.Fatalf("plainEmail passes %q, which net/mail does not read as a bare address", s)
			}
		}
	}
	if taken < 5000 {
		t.Errorf("only %d addresses took the shortcut: the mutations no longer exercise it", taken)
	}
}

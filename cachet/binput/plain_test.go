package binput

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// fullClean is Clean without the fast path.
func (v Version) fullClean(s string) string { return v.security(Trim(s)) }

// checkPlain fails when isPlain(s) holds but either version's full filter
// changes s or explains a change; it reports whether s was plain.
func checkPlain(t *testing.T, s string) bool {
	t.Helper()
	if !isPlain(s) {
		return false
	}
	for _, v := range []Version{V24, V23} {
		if got := v.fullClean(s); got != s {
			t.Errorf("isPlain(%q) but version %d stores %q", s, v, got)
		}
		if stored, changes := v.explainFull(s); stored != s || changes != nil {
			t.Errorf("isPlain(%q) but version %d explains %q, %q", s, v, stored, changes)
		}
	}
	return true
}

// TestPlainCoversEveryLiteral ties plainWords to the filter's tables: every
// NEVER_MATCHES search string, every NEVER_REGEX literal and every exploded
// word, in both flavours, either holds a byte isPlain refuses or contains
// one of plainWords (ignoring case), so a text without them cannot match.
func TestPlainCoversEveryLiteral(t *testing.T) {
	covered := func(lit string) bool {
		for i := 0; i < len(lit); i++ {
			if c := lit[i]; c < 0x20 || c >= 0x7f || strings.IndexByte("%<>=(`", c) >= 0 {
				return true
			}
		}
		low := strings.ToLower(strings.ReplaceAll(lit, " ", ""))
		for _, w := range plainWords {
			if strings.Contains(low, w) {
				return true
			}
		}
		return false
	}
	var lits []string
	for _, f := range []*flavour{&flavour24, &flavour23} {
		for i := 0; i < len(f.neverMatches); i += 2 {
			lits = append(lits, f.neverMatches[i])
		}
		for _, r := range f.neverRegex {
			lits = append(lits, r.literal)
			if r.orLiteral != "" {
				lits = append(lits, r.orLiteral)
			}
		}
	}
	lits = append(lits, explodedWordList...)
	lits = append(lits, "data") // removeDataBase64's guard
	for _, lit := range lits {
		if !covered(lit) {
			t.Errorf("the filter's literal %q is not covered by isPlain", lit)
		}
	}
}

// TestPlainMatchesFilter: on the hand-written cases and the 2000 strings
// PHP cleaned (testdata/php_clean.json), every string isPlain accepts is
// stored unchanged by the full filter and by PHP, and Clean and Explain
// (with the fast path) give what the full filter gives on every string.
func TestPlainMatchesFilter(t *testing.T) {
	data, err := os.ReadFile("testdata/php_clean.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ In, V24, V23 string }
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	decode := func(s string) string {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	plain := 0
	inputs := []string{"", "a", "user@example.com", "Checkout API", "AT&T", `He said "hi"`, `a\b`, "it's"}
	for _, c := range cleanCases {
		inputs = append(inputs, c.in)
	}
	for _, r := range rows {
		in := decode(r.In)
		inputs = append(inputs, in)
		if isPlain(in) && (decode(r.V24) != in || decode(r.V23) != in) {
			t.Errorf("isPlain(%q) but PHP stores %q / %q", in, decode(r.V24), decode(r.V23))
		}
	}
	for _, in := range inputs {
		if checkPlain(t, in) {
			plain++
		}
		for _, v := range []Version{V24, V23} {
			if got, want := v.Clean(in), v.fullClean(in); got != want {
				t.Errorf("version %d Clean(%q) = %q, full filter %q", v, in, got, want)
			}
			gotS, gotC := v.Explain(in)
			wantS, wantC := v.explainFull(in)
			if gotS != wantS || strings.Join(gotC, "|") != strings.Join(wantC, "|") {
				t.Errorf("version %d Explain(%q) = %q, %q; full filter %q, %q", v, in, gotS, gotC, wantS, wantC)
			}
		}
	}
	if plain < 20 {
		t.Errorf("only %d inputs are plain: the test does not exercise the fast path", plain)
	}
}

// plainAlphabet is what random texts are made of: pieces of the filter's
// words (so spread-out and mixed-case words occur), the bytes it refuses,
// and ordinary characters.
var plainAlphabet = []string{
	"a", "e", "l", "v", "E", "V", "A", "L", "d", "o", "c", "u", "m", "n", "t", "w", "i",
	"s", "r", "p", "j", "b", "x", "S", "C", "R", "I", "P", "T", "D", "W", "O",
	"0", "1", "3", "6", "4", " ", " ", "  ", ".", "-", "@", ":", ",", "_", "+", "/",
	"&", "#", ";", "'", `"`, `\`, "?", "!", ")", "[", "]", "*",
	"%", "<", ">", "=", "(", "`", "\t", "\n", "\x00", "\x7f", "é", "\xff",
	"eval", "ev al", "data", "dat a", "base64", "script", "Java", "vb", "doc", "ument",
	"win", "dow", "write", "cookie", "alert", "prompt", "confirm", "applet",
	"expression", "Redirect 301", "-moz-", "binding", "parentNode", "innerHTML",
	"javascript:", "window.location", "document.cookie", "system", "file", "cmd", "exec", "unlink",
}

// TestPlainRandom compares the fast path with the full filter on random
// texts of the alphabet above (a fixed seed, so a failure reproduces).
func TestPlainRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2026))
	n := 20000
	if testing.Short() {
		n = 4000
	}
	plain := 0
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(plainAlphabet[rng.IntN(len(plainAlphabet))])
		}
		if checkPlain(t, b.String()) {
			plain++
		}
		if t.Failed() {
			return
		}
	}
	if plain < n/10 {
		t.Errorf("only %d of %d random texts are plain", plain, n)
	}
}

// FuzzPlain: whenever the fast path accepts a text, the full filter of
// both versions stores it unchanged.
func FuzzPlain(f *testing.F) {
	for _, s := range plainAlphabet {
		f.Add(s)
	}
	for _, c := range cleanCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPlain(t, s) })
}

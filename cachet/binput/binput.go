// Package binput reproduces what Cachet does to every string it reads from a
// request before validating and storing it.
//
// Cachet's API controllers read their input through graham-campbell/binput
// (Binput::get, Binput::all, Binput::except), which trims each string and runs
// it through an XSS filter ported from CodeIgniter 3: security-core 1.0.3 in
// Cachet 2.4 (binput 6.2.0), graham-campbell/security 3.7.0 in Cachet v2.3.18
// (binput 3.6.0). The filter decodes every %xx escape, escapes "<" that opens
// something tag-like as "&lt;", rewrites tags and attributes, and replaces a
// few words and call-like texts. Clean gives, for a string sent to Cachet,
// the string Cachet stores; the client's planner, the emulator and the
// exporter all use this one implementation.
//
// The port is exact for the PHP code's text transformations (each step of
// Security::process in order, on bytes as PHP sees them, with PCRE's
// case-insensitivity and "\s"); expected values in the tests come from
// running the vendor PHP. It does not reproduce PCRE's backtracking limit
// (inputs that make PHP's preg functions fail return an empty or null string
// in PHP and are cleaned normally here).
package binput

import (
	"strconv"
	"strings"
	"unicode"
)

// Version selects the cleaning code of a Cachet release.
type Version int

const (
	// V24 is Cachet 2.4: graham-campbell/binput 6.2.0 and
	// graham-campbell/security-core 1.0.3.
	V24 Version = iota
	// V23 is Cachet v2.3.18: graham-campbell/binput 3.6.0 and
	// graham-campbell/security 3.7.0.
	V23
	// V3 is Cachet 3.x, which runs no Security::clean: only Laravel's
	// TrimStrings and ConvertEmptyStringsToNull middleware (see Trim3).
	V3
)

// ForServer returns the Version for a Cachet generation as the planner names
// it ("2.3" or "2.4"); anything else is V24.
func ForServer(generation string) Version {
	if generation == "2.3" {
		return V23
	}
	return V24
}

// Clean returns what Cachet 2.4 stores when it receives s through
// Binput::get: the string trimmed, then passed through Security::clean.
func Clean(s string) string { return V24.Clean(s) }

// Clean returns what this Cachet version stores when it receives s through
// Binput::get (binput's process(): trim, then Security::clean).
func (v Version) Clean(s string) string {
	if v == V3 {
		return Trim3(s)
	}
	if isPlain(s) {
		return s
	}
	return v.security(Trim(s))
}

// Explain returns what Clean returns for s on this version, and what Cachet
// does to s to get there, as short phrases in the order it does them, such
// as `escapes "<"` or `decodes %-escapes such as "%2F"`; none when s is
// stored as it is.
func (v Version) Explain(s string) (stored string, changes []string) {
	if v == V3 {
		if stored = Trim3(s); stored != s {
			return stored, []string{"trims white space"}
		}
		return s, nil
	}
	if isPlain(s) {
		return s, nil
	}
	return v.explainFull(s)
}

// explainFull is Explain without the fast path for plain text.
func (v Version) explainFull(s string) (stored string, changes []string) {
	t := &trace{}
	trimmed := Trim(s)
	t.step(s, trimmed, "trims white space")
	stored = narrow(v.flavour().process(widen(trimmed), t))
	if stored == s {
		return stored, nil
	}
	return stored, t.reasons
}

// Trim is PHP's trim(): it removes spaces, tabs, newlines, carriage returns,
// NUL and vertical tabs at both ends, but not other Unicode spaces.
func Trim(s string) string { return strings.Trim(s, phpTrimSet) }

const phpTrimSet = " \t\n\r\x00\x0b"

// CleanValue is Binput::clean for a decoded JSON value: nil, booleans and
// numbers (json.Number included) are returned unchanged, strings are cleaned
// as Clean does, and arrays and objects are cleaned member by member with
// their null members dropped (so {"note": null} becomes {}). A list that
// loses a member other than at its end keeps PHP's keys: it becomes an object
// keyed "0", "2", ..., as PHP's json_encode would write it.
func (v Version) CleanValue(x any) any {
	if v == V3 {
		return cleanValue3(x)
	}
	switch x := x.(type) {
	case string:
		return v.Clean(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, m := range x {
			if m != nil {
				out[k] = v.CleanValue(m)
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		sequential := true
		for _, m := range x {
			if m == nil {
				sequential = false
				continue
			}
			if !sequential {
				return v.cleanSparseList(x)
			}
			out = append(out, v.CleanValue(m))
		}
		return out
	}
	return x
}

// cleanSparseList cleans a list with a null before another member: PHP keeps
// the surviving members' keys, which json_encode writes as an object.
func (v Version) cleanSparseList(x []any) map[string]any {
	out := make(map[string]any, len(x))
	for i, m := range x {
		if m != nil {
			out[strconv.Itoa(i)] = v.CleanValue(m)
		}
	}
	return out
}

// Trim3 is Laravel's Str::trim as TrimStrings applies it to every input
// string on Cachet 3.x: PHP's trim() characters, Unicode white space (PCRE's
// \s under the /u modifier), and U+FEFF, U+200B and U+200E, at both ends.
func Trim3(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '\v', '\f', 0, 0xFEFF, 0x200B, 0x200E:
			return true
		}
		return unicode.In(r, unicode.Z)
	})
}

// cleanValue3 is Cachet 3.x's input middleware for a decoded JSON value:
// strings trimmed (Trim3) and "" turned into nil (ConvertEmptyStringsToNull),
// through arrays and objects; null members are kept.
func cleanValue3(x any) any {
	switch x := x.(type) {
	case string:
		if t := Trim3(x); t != "" {
			return t
		}
		return nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, m := range x {
			out[k] = cleanValue3(m)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = cleanValue3(m)
		}
		return out
	}
	return x
}

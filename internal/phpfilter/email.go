// Package phpfilter is PHP's filter_var($value, FILTER_VALIDATE_EMAIL):
// the e-mail rule of Laravel 5.2 and 5.7 (validateEmail), so what Cachet
// 2.3 and 2.4 accept as a subscriber's address. PHP checks the length
// (at most 320 bytes) and then one PCRE pattern with look-aheads
// (ext/filter/logical_filters.c, php_filter_validate_email, unchanged
// from PHP 7.0 to 8.x); Go's regexp has no look-aheads, so the pattern is
// matched here without them and each look-ahead is its own check. The
// expected values of the tests come from running PHP.
package phpfilter

import (
	"regexp"
	"strings"
	"sync"
)

// maxEmailLength is the longest address PHP accepts, in bytes.
const maxEmailLength = 320

// The pattern's pieces, case-insensitive as PHP's /i makes them.
const (
	atom      = `[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+`
	quoted    = `\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|\x5C[\x00-\x7F])*\x22`
	word      = `(?:` + atom + `|` + quoted + `)`
	localPart = word + `(?:\.` + word + `)*`
	hostname  = `(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\.)+(?:[a-z][a-z0-9]*|xn--[a-z0-9]+)(?:-+[a-z0-9]+)*`
	hex       = `[a-f0-9]{1,4}`
	ipv4      = `(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}`
	ipv6Full  = `IPv6:` + hex + `(?::` + hex + `){7}`
	ipv6Comp  = `IPv6:(?:` + hex + `(?::` + hex + `){0,5})?::(?:` + hex + `(?::` + hex + `){0,5})?`
	ipv4Full6 = `IPv6:` + hex + `(?::` + hex + `){5}:` + ipv4
	ipv4Comp6 = `IPv6:(?:` + hex + `(?::` + hex + `){0,3})?::(?:` + hex + `(?::` + hex + `){0,3}:)?` + ipv4
)

// compiledPatterns are the pieces as regular expressions, anchored.
type compiledPatterns struct {
	address, host, ipv6Full, ipv6Comp, ipv4, ipv4Full6, ipv4Comp6 *regexp.Regexp
}

// patterns compiles the pieces once, and only when an address is not
// decided by plainEmail: nothing is compiled at start-up.
var patterns = sync.OnceValue(func() *compiledPatterns {
	anchored := func(p string) *regexp.Regexp { return regexp.MustCompile(`(?i)^(?:` + p + `)$`) }
	return &compiledPatterns{
		address: regexp.MustCompile(`(?is)^(` + localPart + `)@(.*)$`), host: anchored(hostname),
		ipv6Full: anchored(ipv6Full), ipv6Comp: anchored(ipv6Comp), ipv4: anchored(ipv4),
		ipv4Full6: anchored(ipv4Full6), ipv4Comp6: anchored(ipv4Comp6),
	}
})

// ValidEmail reports whether filter_var($s, FILTER_VALIDATE_EMAIL) accepts
// s (without flags: no Unicode).
func ValidEmail(s string) bool {
	if valid, decided := plainEmail(s); decided {
		return valid
	}
	return patternEmail(s)
}

// patternEmail is ValidEmail by the whole pattern.
func patternEmail(s string) bool {
	if len(s) > maxEmailLength || !withinUnits(s) {
		return false
	}
	m := patterns().address.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	domain := m[2]
	if strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]") && len(domain) >= 2 {
		return literal(domain[1 : len(domain)-1])
	}
	return patterns().host.MatchString(domain) && !hasLongRun(domain)
}

// literal matches an address literal's inside (between the brackets) to
// one of the pattern's five forms, with the look-aheads of the two
// compressed IPv6 forms: fewer than 7 (resp. 5) hex digits followed by
// ":" or "]" (resp. ":") from after "IPv6:" to the end of the address.
func literal(in string) bool {
	rest := ""
	if len(in) >= 5 && strings.EqualFold(in[:5], "IPv6:") {
		rest = in[5:] + "]"
	}
	re := patterns()
	switch {
	case re.ipv6Full.MatchString(in), re.ipv4.MatchString(in), re.ipv4Full6.MatchString(in):
		return true
	case re.ipv6Comp.MatchString(in):
		return hexFollowedBy(rest, ":]") < 7
	case re.ipv4Comp6.MatchString(in):
		return hexFollowedBy(rest, ":") < 5
	}
	return false
}

// hexFollowedBy counts the hex digits in s that one of the bytes of next
// follows.
func hexFollowedBy(s, next string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if isHex(s[i]) && strings.IndexByte(next, s[i+1]) >= 0 {
			n++
		}
	}
	return n
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hasLongRun is the host's look-ahead (?!.*[^.]{64,}): a run of 64 bytes
// or more without a dot (a label too long). "." does not match a line
// feed, but a host holding one fails the pattern anyway.
func hasLongRun(host string) bool {
	run := 0
	for i := 0; i < len(host); i++ {
		if host[i] == '.' {
			run = 0
			continue
		}
		if run++; run >= 64 {
			return true
		}
	}
	return false
}

// withinUnits is the pattern's two leading look-aheads: from the start,
// no 255 "units", and no 65 units followed by "@", where a unit is an
// optional quote, then a backslash and a byte up to 0x7E or any byte but
// a backslash or quote, then an optional quote. maxUnits[p] is the most
// units that can end at byte p.
func withinUnits(s string) bool {
	const none = -1
	maxUnits := make([]int, len(s)+1)
	for i := range maxUnits {
		maxUnits[i] = none
	}
	maxUnits[0] = 0
	for p := 0; p < len(s); p++ {
		if maxUnits[p] == none {
			continue
		}
		if maxUnits[p] >= 65 && s[p] == '@' {
			return false
		}
		for _, q := range unitEnds(s, p) {
			if maxUnits[p]+1 > maxUnits[q] {
				maxUnits[q] = maxUnits[p] + 1
			}
		}
	}
	for p, n := range maxUnits {
		if n >= 255 || n >= 65 && p < len(s) && s[p] == '@' {
			return false
		}
	}
	return true
}

// unitEnds returns where a unit that starts at p can end.
func unitEnds(s string, p int) []int {
	var ends []int
	for _, start := range []int{p, p + 1} {
		if start == p+1 && (p >= len(s) || s[p] != '"') {
			continue
		}
		if start >= len(s) {
			continue
		}
		end := -1
		switch c := s[start]; {
		case c == '\\':
			if start+1 < len(s) && s[start+1] <= 0x7E {
				end = start + 2
			}
		case c != '"':
			end = start + 1
		}
		if end < 0 {
			continue
		}
		ends = append(ends, end)
		if end < len(s) && s[end] == '"' {
			ends = append(ends, end+1)
		}
	}
	return ends
}

// plainEmail decides, without the pattern, an address made only of ASCII
// letters, digits, ".", "_", "%", "+", "-" and one "@", which is what
// nearly every subscriber's address is; decided is false for anything
// else. For such a string every byte is one unit of the look-aheads, so
// they say: fewer than 255 bytes, at most 64 before the "@". The local
// part is dot-separated atoms; the host is at least two dot-separated
// labels of letters and digits joined by hyphens, the last starting with
// a letter, none of 64 bytes or more.
func plainEmail(s string) (valid, decided bool) {
	at := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '%', c == '+', c == '-':
		case c == '@' && at < 0:
			at = i
		default:
			return false, false
		}
	}
	if at < 0 || len(s) >= 255 || at > 64 {
		return false, true
	}
	local, host := s[:at], s[at+1:]
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false, true
	}
	if !strings.Contains(host, ".") {
		return false, true
	}
	for rest := host; ; {
		l, more, dotted := strings.Cut(rest, ".")
		if l == "" || len(l) >= 64 || l[0] == '-' || l[len(l)-1] == '-' || strings.ContainsAny(l, "_%+") {
			return false, true
		}
		if !dotted {
			// The last label starts with a letter.
			return l[0] >= 'a' && l[0] <= 'z' || l[0] >= 'A' && l[0] <= 'Z', true
		}
		rest = more
	}
}

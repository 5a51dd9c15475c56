package cachettest

import "strings"

// isEmail3 approximates Laravel's default email rule in 3.x, egulias'
// RFCValidation (lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php
// validateEmail at 12.x): warnings pass, errors fail. The local part is a
// dot-atom or a quoted string ("a b", "" and quoted pairs pass); comments
// in parentheses may lead or trail either part; the domain is a domain
// literal in brackets ([300.1.1.1] and [IPv6:::1] pass, as warnings) or
// dot-separated labels of letters, digits and hyphens, none empty, longer
// than 63 or ending with a hyphen, the first not starting with one (egulias
// lets "b.-c" pass). Over-long local parts are only warnings. Non-ASCII
// domains are not modelled; non-ASCII local parts pass.
func isEmail3(v any) bool {
	s, ok := v.(string)
	if !ok || strings.ContainsAny(s, "\r\n") {
		return false
	}
	at := lastUnquotedAt(s)
	if at < 0 {
		return false
	}
	local, domain := stripComments3(s[:at], true), stripComments3(s[at+1:], false)
	return localPart3(local) && domainPart3(domain)
}

// lastUnquotedAt is the index of the "@" that ends the local part.
func lastUnquotedAt(s string) int {
	quoted, escaped, at := false, false, -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == '@' && !quoted:
			at = i
		}
	}
	return at
}

// stripComments3 drops a leading (comment), and a trailing one when
// trailing is set (egulias refuses one after the domain).
func stripComments3(s string, trailing bool) string {
	if strings.HasPrefix(s, "(") {
		if i := strings.IndexByte(s, ')'); i > 0 {
			s = s[i+1:]
		}
	}
	if trailing && strings.HasSuffix(s, ")") {
		if i := strings.LastIndexByte(s, '('); i >= 0 {
			s = s[:i]
		}
	}
	return s
}

const atext3 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"

func localPart3(s string) bool {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		body := s[1 : len(s)-1]
		for i := 0; i < len(body); i++ {
			switch body[i] {
			case '\\':
				i++
				if i >= len(body) {
					return false
				}
			case '"':
				return false
			}
		}
		return true
	}
	if s == "" {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || strings.TrimFunc(label, func(r rune) bool { return r > 127 || strings.ContainsRune(atext3, r) }) != "" {
			return false
		}
	}
	return true
}

func domainPart3(s string) bool {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return !strings.ContainsAny(s[1:len(s)-1], "[]\\")
	}
	if s == "" || s[0] == '-' {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[len(label)-1] == '-' ||
			strings.Trim(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return false
		}
	}
	return true
}

package binput

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:generate go run gen_tables.go

// hashAmp stands for the random hash Utils::decodeEntityCallback puts in
// place of "&" in "&name=value" (src/Utils.php:131-138). U+0100 cannot occur
// in a widened string, so it never collides with the text.
const hashAmp = "\u0100"

var reQueryPair = regexp.MustCompile(`(?i)&([a-z_0-9\-]+)=([a-z_0-9\-/]+)`)

// decodeEntitiesInTags is the preg_replace_callback of
// '/<\w+.*?(?=>|<|$)/si' with Utils::decodeEntityCallback
// (src/Security.php:107-111): from each "<word" up to the next ">" or "<" or
// the end (PCRE's "$" is also just before a final newline), HTML entities
// are decoded, except "&name=value" pairs.
func decodeEntitiesInTags(str string) string {
	var b strings.Builder
	pos := 0
	changed := false
	for pos < len(str) {
		loc := reTagStart.FindStringIndex(str[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		for end < len(str) && str[end] != '>' && str[end] != '<' && !(end == len(str)-1 && str[end] == '\n') {
			end++
		}
		span := str[start:end]
		span = reQueryPair.ReplaceAllString(span, hashAmp+"${1}=${2}")
		span = strings.ReplaceAll(entityDecode(span), hashAmp, "&")
		b.WriteString(str[pos:start])
		b.WriteString(span)
		changed = true
		pos = end
	}
	if !changed {
		return str
	}
	b.WriteString(str[pos:])
	return b.String()
}

var reBareEntity = regexp.MustCompile(`(?i)&[a-z]{2,}`)

// entityDecode is Utils::entityDecode (src/Utils.php:147-180) on a widened
// string.
func entityDecode(str string) string {
	if !strings.Contains(str, "&") {
		return str
	}
	for {
		original := str

		// :162-171 "&name" without ";" where "&name;" is in
		// get_html_translation_table(HTML_ENTITIES, ENT_COMPAT|ENT_HTML5),
		// compared lower-case; replaced as found, lower-cased.
		var keys []string
		seen := map[string]bool{}
		for _, loc := range reBareEntity.FindAllStringIndex(str, -1) {
			if loc[1] < len(str) && str[loc[1]] == ';' {
				continue
			}
			k := strings.ToLower(str[loc[0]:loc[1]])
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			if c, ok := bareEntities[k[1:]]; ok {
				str = strings.ReplaceAll(str, k, widen(c))
			}
		}

		// :173-176
		str = htmlEntityDecode(terminateNumericEntities(str))
		if str == original {
			return str
		}
	}
}

// terminateNumericEntities is
// preg_replace('/(&#(?:x0*[0-9a-f]{2,5}(?![0-9a-f;])|(?:0*\d{2,4}(?![0-9;]))))/iS', '$1;', ...):
// "&#" and a whole run of 2 to 5 hex digits after "x" (4 decimal digits
// without), not counting extra leading zeros, not followed by ";", gets a ";".
func terminateNumericEntities(str string) string {
	if !strings.Contains(str, "&#") {
		return str
	}
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(str); i++ {
		if str[i] != '&' || str[i+1] != '#' {
			continue
		}
		j := i + 2
		digit, most := isDigit, 4
		if j < len(str) && (str[j] == 'x' || str[j] == 'X') {
			j++
			digit, most = isHex, 5
		}
		k := j
		for k < len(str) && digit(str[k]) {
			k++
		}
		zeros := 0
		for zeros < k-j && str[j+zeros] == '0' {
			zeros++
		}
		n := k - j
		if n < 2 || n-zeros > most || (k < len(str) && str[k] == ';') {
			continue
		}
		b.WriteString(str[last:k])
		b.WriteByte(';')
		last = k
		i = k - 1
	}
	if last == 0 {
		return str
	}
	b.WriteString(str[last:])
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// htmlEntityDecode is PHP's html_entity_decode($str, ENT_COMPAT | ENT_HTML5)
// for UTF-8 (ext/standard/html.c traverse_for_entities) on a widened string:
// "&name;" from the HTML5 table and "&#n;" / "&#xh;" of a code point HTML5
// allows, except single quotes (ENT_COMPAT); an "&" in the last three bytes
// is never decoded.
func htmlEntityDecode(str string) string {
	if !strings.Contains(str, "&") {
		return str
	}
	var b strings.Builder
	last := 0
	for p := 0; p < len(str); p++ {
		if str[p] != '&' || p+3 >= len(str) {
			continue
		}
		var decoded string
		next := p + 1
		if str[next] == '#' {
			next++
			hex := str[next] == 'x' || str[next] == 'X'
			if hex {
				next++
			}
			digits := next
			for next < len(str) && (hex && isHex(str[next]) || !hex && isDigit(str[next])) {
				next++
			}
			if next == digits || next >= len(str) || str[next] != ';' {
				continue
			}
			base := 10
			if hex {
				base = 16
			}
			code, err := strconv.ParseUint(str[digits:next], base, 64)
			if err != nil || code > 0x10FFFF || !html5Allowed(rune(code)) || code == '\'' {
				continue
			}
			decoded = string(rune(code))
		} else {
			for next < len(str) && isAlnum(str[next]) {
				next++
			}
			if next == p+1 || next >= len(str) || str[next] != ';' {
				continue
			}
			c, ok := namedEntities[str[p+1:next]]
			if !ok {
				continue
			}
			decoded = c
		}
		b.WriteString(str[last:p])
		b.WriteString(widen(decoded))
		last = next + 1
		p = next
	}
	if last == 0 {
		return str
	}
	b.WriteString(str[last:])
	return b.String()
}

// html5Allowed is unicode_cp_is_allowed for ENT_HTML5 (ext/standard/html.c)
// minus U+000D, which html_entity_decode refuses for HTML5.
func html5Allowed(c rune) bool {
	switch {
	case c >= 0x20 && c <= 0x7E:
		return true
	case c == 0x09 || c == 0x0A || c == 0x0C:
		return true
	case c >= 0xA0 && c <= 0xD7FF:
		return true
	case c >= 0xE000 && c <= 0x10FFFF:
		return c&0xFFFF < 0xFFFE && (c < 0xFDD0 || c > 0xFDEF) && utf8.ValidRune(c)
	}
	return false
}

package binput

// A fast path: most texts a page holds (names, e-mail addresses) are
// printable ASCII that no step of Security::process looks at. isPlain
// recognises such a text cheaply, so that Clean and Explain can return it
// without running the filter. The conditions follow process() step by step
// (see security.go); TestPlainCoversEveryLiteral and TestPlainMatchesFilter
// check them against the filter's own tables and the full filter.
//
//   - trim: no white space at either end (only the space is printable);
//   - removeInvisibleCharacters, %-decoding: no control byte, no "%";
//   - widen/narrow and PCRE's byte semantics: ASCII only;
//   - name="value" escaping: no "=";
//   - entities in tags, "<?", "?>", links, script tags, tag rewriting and
//     the "<"/">" literals of NEVER_MATCHES: no "<" nor ">";
//   - call-like texts: no "("; backtick calls: no "`";
//   - NEVER_MATCHES, NEVER_REGEX, the data:…base64 rule and the exploded
//     words: none of plainWords in the text lower-cased with its spaces
//     removed (a word spread out with spaces is found there too, and a
//     word without spaces in the text is a fortiori).

// plainWords are lower-case literals, one of which every NEVER_MATCHES and
// NEVER_REGEX match and every exploded word contains, in both flavours,
// unless it contains a byte isPlain refuses.
var plainWords = []string{
	"script", "vbs", "document", "window", "expression", "redirect",
	"data", "base64", "applet", "alert", "write", "cookie", "confirm",
	"prompt", "eval", "parentnode", "innerhtml", "-moz-binding",
}

// plainWordsByFirst indexes plainWords by their first byte.
var plainWordsByFirst = func() (idx [128][]string) {
	for _, w := range plainWords {
		idx[w[0]] = append(idx[w[0]], w)
	}
	return idx
}()

// isPlain reports whether s is certainly stored unchanged by both
// versions' filters (false does not mean it changes).
func isPlain(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	var buf [256]byte
	squeezed := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c >= 0x7f:
			return false
		case c == '%' || c == '<' || c == '>' || c == '=' || c == '(' || c == '`':
			return false
		case c == ' ':
			continue
		}
		squeezed = append(squeezed, lowerASCII(c))
	}
	for i, c := range squeezed {
		for _, w := range plainWordsByFirst[c] {
			if len(squeezed)-i >= len(w) && string(squeezed[i:i+len(w)]) == w {
				return false
			}
		}
	}
	return true
}

package binput

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file ports Security::process (security-core 1.0.3 src/Security.php
// for 2.4, graham-campbell/security 3.7.0 src/Security.php for 2.3) step by
// step. PHP's preg functions without the "u" modifier work on bytes; to get
// the same matches from Go's regexp, the string is first "widened": every
// byte becomes the rune of the same value (U+0000..U+00FF), so that "." and
// negated classes consume one byte at a time and invalid UTF-8 is handled
// like PHP handles it. ASCII-only strings are their own widened form.

// widen maps each byte of s to the rune of the same value.
func widen(s string) string {
	i := 0
	for i < len(s) && s[i] < 0x80 {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// narrow is the inverse of widen.
func narrow(w string) string {
	i := 0
	for i < len(w) && w[i] < 0x80 {
		i++
	}
	if i == len(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	b.WriteString(w[:i])
	for _, r := range w[i:] {
		b.WriteByte(byte(r))
	}
	return b.String()
}

// pcre compiles a PCRE pattern of the PHP code for Go's regexp: "\s" is
// PCRE2's default white space (tab, newline, vertical tab, form feed,
// carriage return, space), which Go's "\s" lacks the vertical tab of.
func pcre(pattern string) *regexp.Regexp {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			if pattern[i+1] == 's' {
				if inClass {
					b.WriteString(`\t\n\v\f\r `)
				} else {
					b.WriteString(`[\t\n\v\f\r ]`)
				}
			} else {
				b.WriteByte(c)
				b.WriteByte(pattern[i+1])
			}
			i++
			continue
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			// A "]" or "^]" right after "[" is a literal.
			if i+1 < len(pattern) && pattern[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(pattern) && pattern[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
			continue
		case c == ']' && inClass:
			inClass = false
		}
		b.WriteByte(c)
	}
	return regexp.MustCompile(b.String())
}

// isSpace is PCRE's "\s" for one byte.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// replaceSubmatchFunc is preg_replace_callback: every non-overlapping match
// of re in s is replaced by repl, which receives the submatch index pairs.
func replaceSubmatchFunc(re *regexp.Regexp, s string, repl func(s string, m []int) string) string {
	all := re.FindAllStringSubmatchIndex(s, -1)
	if all == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range all {
		b.WriteString(s[last:m[0]])
		b.WriteString(repl(s, m))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// group returns submatch n of m in s, "" when it did not participate.
func group(s string, m []int, n int) string {
	if m[2*n] < 0 {
		return ""
	}
	return s[m[2*n]:m[2*n+1]]
}

// strReplace is PHP's str_replace for one search string: an empty search
// leaves the subject unchanged.
func strReplace(search, replace, subject string) string {
	if search == "" {
		return subject
	}
	return strings.ReplaceAll(subject, search, replace)
}

// neverRule is one NEVER_REGEX pattern with the literal (or either of two)
// every match contains, to skip the pattern cheaply on most text.
type neverRule struct {
	literal, orLiteral string
	re                 *regexp.Regexp
}

// flavour holds what differs between the two releases of the filter.
type flavour struct {
	tag            *regexp.Regexp // the tag pattern of the sanitize loop
	evil           *regexp.Regexp // attribute names replaced by xss=removed
	neverMatches   []string       // search, replace, search, replace, ...
	neverRegex     []neverRule
	hrefRemoval    *regexp.Regexp
	srcRemoval     *regexp.Regexp
	backtickCalls  bool // the "alert`...`" rule (security-core only)
	dataBase64Rule bool // the data:...base64 rule of NEVER_REGEX (both)
}

// Security-core 1.0.3 Utils::NEVER_MATCHES, NEVER_REGEX (src/Utils.php:41-66).
var flavour24 = flavour{
	// src/Security.php:162-171 (the lookahead after tagName always holds
	// for the greedy match, so it is left out).
	tag: pcre(`(?is)<((?P<slash>/*\s*)((?P<tagName>[a-z0-9]+)|.+)` +
		`[^\s\042\047a-z0-9>/=]*` +
		`(?P<attributes>(?:[\s\042\047/=]*` +
		`[^\s\042\047>/=]+` +
		`(?:\s*=` +
		"(?:[^\\s\\042\\047=><`]+|\\s*\\042[^\\042]*\\042|\\s*\\047[^\\047]*\\047|\\s*[^\\s\\042\\047=><`]*?)" +
		`)?` +
		`)*)` +
		`[^>]*)(?P<closeTag>>)?`),
	// src/Security.php:45; "(?<!\w)" at the start of an anchored name always holds.
	evil: regexp.MustCompile(`(?i)^(on\w*|style|xmlns|formaction|form|xlink:href|FSCommand|seekSegmentTime)$`),
	neverMatches: []string{
		"document.cookie", "[removed]",
		"(document).cookie", "[removed]",
		"document.write", "[removed]",
		"(document).write", "[removed]",
		".parentNode", "[removed]",
		".innerHTML", "[removed]",
		"-moz-binding", "[removed]",
		"<!--", "&lt;!--",
		"-->", "--&gt;",
		"<![CDATA[", "&lt;![CDATA[",
		"<comment>", "&lt;comment&gt;",
		"<%", "&lt;&#37;",
	},
	neverRegex: []neverRule{
		{"javascript", "", pcre(`(?is)javascript\s*:`)},
		{"document", "window", pcre(`(?is)(\(?document\)?|\(?window\)?(\.document)?)\.(location|on\w*)`)},
		{"expression", "", pcre(`(?is)expression\s*(\(|&#40;)`)},
		{"vbscript", "", pcre(`(?is)vbscript\s*:`)},
		{"wscript", "", pcre(`(?is)wscript\s*:`)},
		{"jscript", "", pcre(`(?is)jscript\s*:`)},
		{"vbs", "", pcre(`(?is)vbs\s*:`)},
		{"redirect", "", pcre(`(?is)Redirect\s+30\d`)},
	},
	// src/Security.php:260 and :280.
	hrefRemoval:    pcre("(?is)href=.*?(?:(?:alert|prompt|confirm)(?:\\(|&#40;|`|&#96;)|javascript:|livescript:|mocha:|charset=|window\\.|\\(?document\\)?\\.|\\.cookie|<script|<xss|d\\s*a\\s*t\\s*a\\s*:)"),
	srcRemoval:     pcre("(?is)src=.*?(?:(?:alert|prompt|confirm|eval)(?:\\(|&#40;|`|&#96;)|javascript:|livescript:|mocha:|charset=|window\\.|\\(?document\\)?\\.|\\.cookie|<script|<xss|base64\\s*,)"),
	backtickCalls:  true,
	dataBase64Rule: true,
}

// graham-campbell/security 3.7.0 src/Security.php.
var flavour23 = flavour{
	// src/Security.php:171-180: no "|.+" alternative, so "<" not followed
	// by a letter or digit is left alone.
	tag: pcre(`(?is)<((?P<slash>/*\s*)(?P<tagName>[a-z0-9]+)` +
		`[^\s\042\047a-z0-9>/=]*` +
		`(?P<attributes>(?:[\s\042\047/=]*` +
		`[^\s\042\047>/=]+` +
		`(?:\s*=` +
		"(?:[^\\s\\042\\047=><`]+|\\s*\\042[^\\042]*\\042|\\s*\\047[^\\047]*\\047|\\s*[^\\s\\042\\047=><`]*?)" +
		`)?` +
		`)*)` +
		`[^>]*)(?P<closeTag>>)?`),
	// src/Security.php:317-319.
	evil: regexp.MustCompile(`(?i)^(on\w+|style|xmlns|formaction|form|xlink:href|FSCommand|seekSegmentTime)$`),
	// src/Security.php:463-474.
	neverMatches: []string{
		"document.cookie", "[removed]",
		"document.write", "[removed]",
		".parentNode", "[removed]",
		".innerHTML", "[removed]",
		"-moz-binding", "[removed]",
		"<!--", "&lt;!--",
		"-->", "--&gt;",
		"<![CDATA[", "&lt;![CDATA[",
		"<comment>", "&lt;comment&gt;",
		"<%", "&lt;&#37;",
	},
	// src/Security.php:478-488.
	neverRegex: []neverRule{
		{"javascript", "", pcre(`(?is)javascript\s*:`)},
		{"document", "window", pcre(`(?is)(document|(document\.)?window)\.(location|on\w*)`)},
		{"expression", "", pcre(`(?is)expression\s*(\(|&#40;)`)},
		{"vbscript", "", pcre(`(?is)vbscript\s*:`)},
		{"wscript", "", pcre(`(?is)wscript\s*:`)},
		{"jscript", "", pcre(`(?is)jscript\s*:`)},
		{"vbs", "", pcre(`(?is)vbs\s*:`)},
		{"redirect", "", pcre(`(?is)Redirect\s+30\d`)},
	},
	// src/Security.php:378 and :398.
	hrefRemoval:    pcre(`(?is)href=.*?(?:(?:alert|prompt|confirm)(?:\(|&#40;)|javascript:|livescript:|mocha:|charset=|window\.|document\.|\.cookie|<script|<xss|d\s*a\s*t\s*a\s*:)`),
	srcRemoval:     pcre(`(?is)src=.*?(?:(?:alert|prompt|confirm|eval)(?:\(|&#40;)|javascript:|livescript:|mocha:|charset=|window\.|document\.|\.cookie|<script|<xss|base64\s*,)`),
	dataBase64Rule: true,
}

func (v Version) flavour() *flavour {
	if v == V23 {
		return &flavour23
	}
	return &flavour24
}

// security is Security::clean for one string. Security::clean calls
// process() up to three times, but always on its unchanged argument
// (src/Security.php:68-71), so its result is process()'s.
func (v Version) security(s string) string {
	return narrow(v.flavour().process(widen(s), nil))
}

// trace collects, when not nil, what each step of process changed, as short
// phrases for a person ("escapes \"<\""), once each, in order.
type trace struct{ reasons []string }

func (t *trace) add(reason string) {
	if t != nil && !slices.Contains(t.reasons, reason) {
		t.reasons = append(t.reasons, reason)
	}
}

// step records reason when a step turned before into a different after.
func (t *trace) step(before, after, reason string) {
	if t != nil && before != after {
		t.add(reason)
	}
}

// quoteText quotes a widened snippet for a reason, shortened.
func quoteText(w string) string {
	s := narrow(w)
	if r := []rune(s); len(r) > 24 {
		s = string(r[:24]) + "…"
	}
	return strconv.Quote(s)
}

var (
	reHexEscape        = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	reURLEncoded       = pcre(`(?i)%(?:\s*[0-9a-f]){2,}`)
	reAttribute        = regexp.MustCompile(`(?is)[^a-z0-9>]+[a-z0-9]+=(?:'.*?'|".*?")`)
	reTagStart         = regexp.MustCompile(`<\w+`)
	reLink             = regexp.MustCompile(`(?is)<a[^a-z0-9>]+([^>]*?)(>|\n?\z)`)
	reImg              = regexp.MustCompile(`(?is)<a(?:rea)?[^a-z0-9>]+([^>]*?)(>|\n?\z)`)
	reScriptTag        = regexp.MustCompile(`(?is)</*(?:script|xss).*?>`)
	reCalls            = pcre(`(?is)(alert|prompt|confirm|cmd|passthru|eval|exec|expression|system|fopen|fsockopen|file|file_get_contents|readfile|unlink)(\s*)\((.*?)\)`)
	reBacktickCalls    = pcre("(?is)(alert|prompt|confirm|cmd|passthru|eval|exec|expression|system|fopen|fsockopen|file|file_get_contents|readfile|unlink)(\\s*)`(.*?)`")
	reDataBase64       = pcre(`(?is)(["'])?data\s*:[^\x01]*?base64[^\x01]*?,`)
	reLeadingNonLetter = regexp.MustCompile(`(?i)^[^a-z]+`)
	reAttr             = pcre("(?i)(?P<name>[^\\s\\042\\047>/=]+)(?:\\s*=(?P<value>[^\\s\\042\\047=><`]+|\\s*\\042[^\\042]*\\042|\\s*\\047[^\\047]*\\047|\\s*[^\\s\\042\\047=><`]*?))")
	reFilterAttr       = pcre(`(?is)\s*[a-z\-]+\s*=\s*(?:"[^\x01]*?"|'[^\x01]*?')`)
	reComment          = regexp.MustCompile(`(?s)/\*.*?\*/`)
	reWhite            = pcre(`\s+`)
)

// explodedWords are the words whose letters may be spread out with white
// space (src/Security.php:121-134), compiled as "(w\s*o\s*r\s*d)(\W)".
var explodedWordList = []string{
	"javascript", "expression", "vbscript", "jscript", "wscript",
	"vbs", "script", "base64", "applet", "alert", "document",
	"write", "cookie", "window", "confirm", "prompt", "eval",
}

var explodedWords = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(explodedWordList))
	for i, w := range explodedWordList {
		out[i] = pcre(`(?is)(` + strings.Join(strings.Split(w, ""), `\s*`) + `)(\W)`)
	}
	return out
}()

// tagList is Utils::TAG_LIST (src/Utils.php:34-39); 3.7.0 has the same list.
var tagList = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`alert area prompt confirm applet audio basefont base behavior bgsound
		blink body embed expression form frameset frame head html ilayer
		iframe input button select isindex layer link meta keygen object
		plaintext style script textarea title math video svg xml xss`) {
		tagList[t] = true
	}
}

// process is Security::process on a widened string (src/Security.php:84-193).
func (f *flavour) process(str string, t *trace) string {
	before := str
	str = removeInvisibleCharacters(str)
	t.step(before, str, "removes control characters")

	// :88-99 decode %xx until nothing changes.
	if strings.Contains(str, "%") {
		if t != nil {
			before = reHexEscape.FindString(str)
			if before == "" {
				before = reURLEncoded.FindString(str)
			}
		}
		original0 := str
		for {
			original := str
			str = replaceSubmatchFunc(reURLEncoded, rawURLDecode(str), urlDecodeSpaces)
			if str == original {
				break
			}
		}
		t.step(original0, str, "decodes %-escapes such as "+quoteText(before))
	}

	// :101-105 name="value" pairs: escape < > and double backslashes.
	if strings.Contains(str, "=") {
		before = str
		str = reAttribute.ReplaceAllStringFunc(str, func(m string) string {
			m = strings.ReplaceAll(m, ">", "&gt;")
			m = strings.ReplaceAll(m, "<", "&lt;")
			return strings.ReplaceAll(m, `\`, `\\`)
		})
		t.step(before, str, `escapes <, > and doubles \ inside name="value"`)
	}

	// :107-111 entities inside tag-like text.
	if strings.Contains(str, "<") {
		before = str
		str = decodeEntitiesInTags(str)
		t.step(before, str, `decodes HTML entities after "<"`)
	}

	before = str
	str = removeInvisibleCharacters(str) // :113
	t.step(before, str, "removes control characters")
	before = str
	str = strings.ReplaceAll(str, "\t", " ") // :115
	t.step(before, str, "turns tabs into spaces")
	str = f.doNeverAllowed(str, t) // :117
	before = str
	str = strings.ReplaceAll(str, "<?", "&lt;?") // :119
	t.step(before, str, `escapes "<?"`)
	before = str
	str = strings.ReplaceAll(str, "?>", "?&gt;") // :119
	t.step(before, str, `escapes "?>"`)
	// :127-134; a match needs the word's letters with only white space
	// between them, so words absent from the squeezed text are skipped
	// (compacting only removes white space: squeezed stays the same).
	squeezed := squeezeLower(str)
	for i, re := range explodedWords {
		if !strings.Contains(squeezed, explodedWordList[i]) {
			continue
		}
		str = replaceSubmatchFunc(re, str, func(s string, m []int) string {
			word := reWhite.ReplaceAllString(group(s, m, 1), "")
			if word != group(s, m, 1) {
				t.add("joins the spaced-out word " + quoteText(group(s, m, 1)))
			}
			return word + group(s, m, 2)
		})
	}

	// :136-158 links, images, script tags, until nothing changes.
	before = str
	for {
		original := str
		if containsFold(str, "<a") {
			str = replaceSubmatchFunc(reLink, str, func(s string, m []int) string {
				return jsRemoval(s, m, f.hrefRemoval)
			})
		}
		if containsFold(str, "<img") {
			str = replaceSubmatchFunc(reImg, str, func(s string, m []int) string {
				return jsRemoval(s, m, f.srcRemoval)
			})
		}
		if containsFold(str, "script") || containsFold(str, "xss") {
			str = reScriptTag.ReplaceAllLiteralString(str, "[removed]")
		}
		if str == original {
			break
		}
	}
	t.step(before, str, "removes scripts and unsafe link attributes")

	// :162-178 tags: escape, or rewrite with their safe attributes.
	if strings.Contains(str, "<") {
		for {
			original := str
			str = replaceSubmatchFunc(f.tag, str, func(s string, m []int) string { return f.sanitizeTag(s, m, t) })
			if str == original {
				break
			}
		}
	}

	// :180-190 call-like texts get their brackets escaped.
	if strings.Contains(str, "(") {
		if t != nil {
			if m := reCalls.FindStringSubmatch(str); m != nil {
				t.add(`escapes "(" and ")" after ` + quoteText(m[1]))
			}
		}
		str = reCalls.ReplaceAllString(str, "${1}${2}&#40;${3}&#41;")
	}
	if f.backtickCalls && strings.Count(str, "`") >= 2 {
		if t != nil {
			if m := reBacktickCalls.FindStringSubmatch(str); m != nil {
				t.add("escapes the backticks after " + quoteText(m[1]))
			}
		}
		str = reBacktickCalls.ReplaceAllString(str, "${1}${2}&#96;${3}&#96;")
	}

	return f.doNeverAllowed(str, t) // :192
}

var (
	reInvisibleEncoded1 = regexp.MustCompile(`%0[0-8bcef]`)
	reInvisibleEncoded2 = regexp.MustCompile(`%1[0-9a-f]`)
	reInvisible         = regexp.MustCompile(`[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+`)
)

// removeInvisibleCharacters (src/Security.php:203-219): the patterns are
// case-sensitive, so "%0B" stays while "%0b" goes.
func removeInvisibleCharacters(str string) string {
	if !hasInvisible(str) {
		return str
	}
	for {
		n := 0
		for _, re := range []*regexp.Regexp{reInvisibleEncoded1, reInvisibleEncoded2, reInvisible} {
			next := re.ReplaceAllLiteralString(str, "")
			if next != str {
				n++
				str = next
			}
		}
		if n == 0 {
			return str
		}
	}
}

// rawURLDecode is PHP's rawurldecode on a widened string: "%" and two hex
// digits become that byte; anything else is kept.
func rawURLDecode(w string) string {
	if !strings.Contains(w, "%") {
		return w
	}
	s := narrow(w)
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return widen(string(b))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// urlDecodeSpaces (src/Security.php:228-234).
func urlDecodeSpaces(s string, m []int) string {
	input := s[m[0]:m[1]]
	nospaces := reWhite.ReplaceAllLiteralString(input, "")
	if nospaces == input {
		return input
	}
	return rawURLDecode(nospaces)
}

// jsRemoval is jsLinkRemoval / jsImgRemoval (src/Security.php:255-286) for
// a match of reLink / reImg, whose group 2 stands for PCRE's "(?:>|$)"; PHP's
// "$" also matches before a final newline, which is then not part of the match.
func jsRemoval(s string, m []int, removal *regexp.Regexp) string {
	whole := s[m[0]:m[1]]
	tail := ""
	if group(s, m, 2) == "\n" {
		whole, tail = whole[:len(whole)-1], "\n"
	}
	attrs := group(s, m, 1)
	return strReplace(attrs, removal.ReplaceAllLiteralString(filterAttributes(attrs), ""), whole) + tail
}

// filterAttributes (src/Security.php:307-318).
func filterAttributes(str string) string {
	var out strings.Builder
	for _, m := range reFilterAttr.FindAllString(str, -1) {
		out.WriteString(reComment.ReplaceAllLiteralString(m, ""))
	}
	return out.String()
}

// sanitizeTag is Utils::sanitizeHtmlCallback (src/Utils.php:75-122).
func (f *flavour) sanitizeTag(s string, m []int, t *trace) string {
	re := f.tag
	inner := group(s, m, 1)
	if m[2*re.SubexpIndex("closeTag")] < 0 {
		t.add(`escapes "<"`)
		return "&lt;" + inner
	}
	tagName := group(s, m, re.SubexpIndex("tagName"))
	if tagList[strings.ToLower(tagName)] {
		t.add("escapes the tag " + quoteText("<"+tagName+">"))
		return "&lt;" + inner + "&gt;"
	}
	attributes := group(s, m, re.SubexpIndex("attributes"))
	var kept []string
	nameIdx, valueIdx := reAttr.SubexpIndex("name"), reAttr.SubexpIndex("value")
	for {
		attributes = reLeadingNonLetter.ReplaceAllLiteralString(attributes, "")
		a := reAttr.FindStringSubmatchIndex(attributes)
		if a == nil {
			break
		}
		name, value := group(attributes, a, nameIdx), group(attributes, a, valueIdx)
		if f.evil.MatchString(name) || Trim(value) == "" {
			kept = append(kept, "xss=removed")
		} else {
			kept = append(kept, attributes[a[0]:a[1]])
		}
		attributes = attributes[a[1]:]
		if attributes == "" {
			break
		}
	}
	out := "<" + group(s, m, re.SubexpIndex("slash")) + tagName
	if len(kept) > 0 {
		out += " " + strings.Join(kept, " ")
	}
	out += ">"
	t.step(s[m[0]:m[1]], out, "rewrites the tag "+quoteText(s[m[0]:m[1]]))
	return out
}

// doNeverAllowed (src/Utils.php:189-198).
func (f *flavour) doNeverAllowed(str string, t *trace) string {
	for i := 0; i < len(f.neverMatches); i += 2 {
		if strings.Contains(str, f.neverMatches[i]) {
			str = strings.ReplaceAll(str, f.neverMatches[i], f.neverMatches[i+1])
			if f.neverMatches[i+1] == "[removed]" {
				t.add("replaces " + quoteText(f.neverMatches[i]) + ` with "[removed]"`)
			} else {
				t.add("escapes " + quoteText(f.neverMatches[i]))
			}
		}
	}
	for _, r := range f.neverRegex {
		if containsFold(str, r.literal) || r.orLiteral != "" && containsFold(str, r.orLiteral) {
			if t != nil {
				if m := r.re.FindString(str); m != "" {
					t.add("replaces " + quoteText(m) + ` with "[removed]"`)
				}
			}
			str = r.re.ReplaceAllLiteralString(str, "[removed]")
		}
	}
	if f.dataBase64Rule {
		before := str
		str = removeDataBase64(str)
		t.step(before, str, `replaces "data:…base64…," with "[removed]"`)
	}
	return str
}

// removeDataBase64 is the last NEVER_REGEX rule,
// ([\"'])?data\s*:[^\1]*?base64[^\1]*?,[^\1]*?\1? — "[^\1]" is "not byte 1"
// and the lazy tail matches nothing, so a match ends after the comma plus
// the opening quote again when there was one.
func removeDataBase64(str string) string {
	if !containsFold(str, "data") {
		return str
	}
	var b strings.Builder
	pos := 0
	for pos <= len(str) {
		m := reDataBase64.FindStringSubmatchIndex(str[pos:])
		if m == nil {
			break
		}
		end := pos + m[1]
		if q := group(str[pos:], m, 1); q != "" && end < len(str) && str[end] == q[0] {
			end++
		}
		b.WriteString(str[pos : pos+m[0]])
		b.WriteString("[removed]")
		pos = end
	}
	if pos == 0 {
		return str
	}
	b.WriteString(str[pos:])
	return b.String()
}

// hasInvisible reports whether removeInvisibleCharacters could change s.
func hasInvisible(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c == '%' && i+1 < len(s) && (s[i+1] == '0' || s[i+1] == '1') {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII literal lit,
// ignoring ASCII case (PCRE's "i" without "u").
func containsFold(s, lit string) bool {
	n := len(lit)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && lowerASCII(s[i+j]) == lit[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// squeezeLower is s lower-cased (ASCII) without PCRE white space.
func squeezeLower(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			b = append(b, lowerASCII(s[i]))
		}
	}
	return string(b)
}

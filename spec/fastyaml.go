package spec

import (
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastDecode builds the yaml.Node tree that the yaml library's Decoder
// builds for data, for the subset of YAML that status files are written in,
// in a fraction of the library's time. ok is false when data is outside the
// subset; the caller then decodes it with the library, so every document
// outside the subset, and every invalid one, goes through the library and
// gets its errors from it: fastDecode never reports an error itself.
//
// The subset: one document (no "---" or "..."), a block mapping at its top,
// nested block mappings and sequences (a sequence may sit at its key's
// indentation; an item may start a mapping on its own line, "- name: x"),
// plain keys of letters, digits, '_' and '-', and as values scalars or
// one-line flow sequences and mappings of scalars. Scalars are one line:
// plain, single-quoted, or double-quoted with escapes. Comments fill whole
// lines or follow a value after a space. Anything else (anchors, aliases,
// tags, block scalars, empty values, multi-line scalars or flow
// collections, tabs, carriage returns, a byte-order mark, characters YAML
// does not allow) is left to the library.
//
// The tree is the library's in every field but the comments, which the
// checks do not read: TestFastYAMLMatchesLibrary compares the two node by
// node on the test files, the fuzz corpus, generated documents and mutations
// of them, and FuzzFastYAML does the same on what the fuzzer finds.
func fastDecode(data []byte) (root *yaml.Node, ok bool) {
	if !fastYAMLChars(data) {
		return nil, false
	}
	f := &fastYAML{src: string(data), line: 1}
	defer func() {
		if r := recover(); r != nil {
			if _, out := r.(outsideSubset); !out {
				panic(r)
			}
			root, ok = nil, false
		}
	}()
	return f.document(), true
}

// outsideSubset is panicked when the document leaves fastDecode's subset,
// and recovered by fastDecode.
type outsideSubset struct{}

// fastYAMLMaxDepth bounds the nesting fastDecode follows; a deeper document
// is left to the library.
const fastYAMLMaxDepth = 64

// fastYAMLChars reports whether data holds only characters that fastDecode
// handles: printable ASCII, line feeds, and valid UTF-8 characters that YAML
// allows and does not take as a line break or a byte-order mark.
func fastYAMLChars(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0xa0, r == 0x2028, r == 0x2029,
			r > 0xd7ff && r < 0xe000, r == 0xfeff, r > 0xfffd:
			return false
		}
		i += size
	}
	return true
}

// fastYAML is fastDecode's cursor in the file and its allocation arenas.
type fastYAML struct {
	src       string // the file: plain values are substrings of it
	pos       int    // byte offset in src
	line      int    // line number of pos, from 1
	lineStart int    // byte offset of pos's line
	depth     int
	nodes     []yaml.Node  // arena of nodes
	ptrs      []*yaml.Node // arena of Content slices
	stack     []*yaml.Node // children of the collections being built
}

func (f *fastYAML) out() { panic(outsideSubset{}) }

func (f *fastYAML) node(kind yaml.Kind, tag string, style yaml.Style) *yaml.Node {
	if len(f.nodes) == cap(f.nodes) {
		f.nodes = make([]yaml.Node, 0, 1024)
	}
	f.nodes = f.nodes[:len(f.nodes)+1]
	n := &f.nodes[len(f.nodes)-1]
	n.Kind, n.Tag, n.Style, n.Line, n.Column = kind, tag, style, f.line, f.column()
	return n
}

// content returns the children stacked since mark, and unstacks them.
func (f *fastYAML) content(mark int) []*yaml.Node {
	kids := f.stack[mark:]
	n := len(kids)
	if n == 0 {
		f.stack = f.stack[:mark]
		return nil
	}
	if cap(f.ptrs)-len(f.ptrs) < n {
		f.ptrs = make([]*yaml.Node, 0, max(4096, n))
	}
	at := len(f.ptrs)
	f.ptrs = append(f.ptrs, kids...)
	f.stack = f.stack[:mark]
	return f.ptrs[at : at+n : at+n]
}

// column is the column of pos, from 1, in characters as the library counts.
func (f *fastYAML) column() int {
	prefix := f.src[f.lineStart:f.pos]
	for i := 0; i < len(prefix); i++ {
		if prefix[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(prefix) + 1
		}
	}
	return len(prefix) + 1
}

func (f *fastYAML) eof() bool { return f.pos >= len(f.src) }

// peek returns the byte at pos, or '\n' at the end of the file.
func (f *fastYAML) peek() byte {
	if f.pos >= len(f.src) {
		return '\n'
	}
	return f.src[f.pos]
}

func (f *fastYAML) spaces() {
	for f.pos < len(f.src) && f.src[f.pos] == ' ' {
		f.pos++
	}
}

// nextLine moves pos to the start of the next line (or the end of file).
func (f *fastYAML) nextLine() {
	for f.pos < len(f.src) && f.src[f.pos] != '\n' {
		f.pos++
	}
	if f.pos < len(f.src) {
		f.pos++
		f.line++
		f.lineStart = f.pos
	}
}

// endLine ends the line at pos: only spaces may follow, then a comment
// after at least one space. pos moves to the next line holding content,
// at its start.
func (f *fastYAML) endLine() {
	f.spaces()
	if c := f.peek(); c != '\n' && (c != '#' || f.src[f.pos-1] != ' ') {
		f.out()
	}
	f.nextLine()
	f.skipBlankLines()
}

// skipBlankLines moves pos, at the start of a line, past the lines that
// hold only spaces or a comment.
func (f *fastYAML) skipBlankLines() {
	for !f.eof() {
		i := f.pos
		for i < len(f.src) && f.src[i] == ' ' {
			i++
		}
		if i < len(f.src) && f.src[i] != '\n' && f.src[i] != '#' {
			return
		}
		f.pos = i
		f.nextLine()
	}
}

// indent returns the spaces that start the line at pos.
func (f *fastYAML) indent() int {
	i := f.pos
	for i < len(f.src) && f.src[i] == ' ' {
		i++
	}
	return i - f.pos
}

// itemAt reports whether a block sequence item ("- ") starts at byte i.
func (f *fastYAML) itemAt(i int) bool {
	return i+1 < len(f.src) && f.src[i] == '-' && f.src[i+1] == ' '
}

func (f *fastYAML) document() *yaml.Node {
	f.skipBlankLines()
	if f.eof() || f.indent() != 0 {
		f.out()
	}
	doc := f.node(yaml.DocumentNode, "", 0)
	f.stack = append(f.stack, f.blockMapping(0))
	doc.Content = f.content(len(f.stack) - 1)
	if !f.eof() {
		f.out()
	}
	return doc
}

func (f *fastYAML) enter() {
	if f.depth++; f.depth > fastYAMLMaxDepth {
		f.out()
	}
}

// blockMapping reads a block mapping whose first key is at pos, in column
// indent (from 0). It returns with pos at the start of the first line
// that does not belong to it.
func (f *fastYAML) blockMapping(indent int) *yaml.Node {
	f.enter()
	m := f.node(yaml.MappingNode, "!!map", 0)
	mark := len(f.stack)
	for {
		f.stack = append(f.stack, f.key(false))
		f.spaces()
		if c := f.peek(); c == '\n' || c == '#' {
			// A nested block: more indented, or a sequence at the key's
			// indentation.
			f.endLine()
			if f.eof() {
				f.out()
			}
			in := f.indent()
			itemHere := f.itemAt(f.pos + in)
			switch {
			case in > indent && itemHere:
				f.pos += in
				f.stack = append(f.stack, f.blockSequence(in))
			case in > indent:
				f.pos += in
				f.stack = append(f.stack, f.blockMapping(in))
			case in == indent && itemHere:
				f.pos += in
				f.stack = append(f.stack, f.blockSequence(in))
			default:
				f.out() // an empty value
			}
		} else {
			f.stack = append(f.stack, f.inlineValue())
			f.endLine()
		}
		if f.eof() {
			break
		}
		in := f.indent()
		if in < indent {
			break
		}
		if in > indent {
			f.out()
		}
		if f.itemAt(f.pos + in) {
			break // the end of a sequence at this mapping's indentation: the caller's
		}
		f.pos += in
	}
	m.Content = f.content(mark)
	f.depth--
	return m
}

// blockSequence reads a block sequence whose first "- " is at pos, in
// column indent. It returns with pos at the start of the first line that
// does not belong to it.
func (f *fastYAML) blockSequence(indent int) *yaml.Node {
	f.enter()
	s := f.node(yaml.SequenceNode, "!!seq", 0)
	mark := len(f.stack)
	for {
		if !f.itemAt(f.pos) {
			f.out()
		}
		f.pos++
		f.spaces()
		if c := f.peek(); c == '\n' || c == '#' {
			f.out() // the item on lines of its own
		}
		if f.keyAhead() {
			f.stack = append(f.stack, f.blockMapping(f.pos-f.lineStart))
		} else {
			f.stack = append(f.stack, f.inlineValue())
			f.endLine()
		}
		if f.eof() {
			break
		}
		in := f.indent()
		if in < indent || (in == indent && !f.itemAt(f.pos+in)) {
			break
		}
		if in > indent {
			f.out()
		}
		f.pos += in
	}
	s.Content = f.content(mark)
	f.depth--
	return s
}

// keyByte reports whether c may be part of a plain key.
func keyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// keyLen returns the length of the plain key at pos followed by ':' and a
// space or a line end, or 0.
func (f *fastYAML) keyLen(flow bool) int {
	i := f.pos
	if i >= len(f.src) {
		return 0
	}
	if c := f.src[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return 0
	}
	for i < len(f.src) && keyByte(f.src[i]) {
		i++
	}
	if i-f.pos > 128 || i >= len(f.src) || f.src[i] != ':' {
		return 0
	}
	if i+1 < len(f.src) && f.src[i+1] != ' ' && (flow || f.src[i+1] != '\n') {
		return 0
	}
	if flow && i+1 >= len(f.src) {
		return 0
	}
	return i - f.pos
}

// keyAhead reports whether a block mapping's key starts at pos.
func (f *fastYAML) keyAhead() bool { return f.keyLen(false) > 0 }

// key reads a plain key and its ':'.
func (f *fastYAML) key(flow bool) *yaml.Node {
	n := f.keyLen(flow)
	if n == 0 {
		f.out()
	}
	k := f.node(yaml.ScalarNode, "", 0)
	k.Value = f.src[f.pos : f.pos+n]
	k.Tag = plainTag(k.Value)
	f.pos += n + 1
	return k
}

// plainTag is the tag the library resolves a plain scalar to.
func plainTag(v string) string {
	if v != "" && !resolvesByFirstByte(v[0]) {
		return "!!str"
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
	return n.ShortTag()
}

// resolvesByFirstByte reports whether the library's tag resolution looks
// further at a plain scalar that starts with c; for any other c it is a
// string (TestPlainTagShortcut).
func resolvesByFirstByte(c byte) bool {
	switch c {
	case '+', '-', '.', '<', '~', 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O':
		return true
	}
	return c >= '0' && c <= '9'
}

// inlineValue reads a scalar or a flow collection that starts at pos.
func (f *fastYAML) inlineValue() *yaml.Node {
	switch f.peek() {
	case '"':
		return f.doubleQuoted()
	case '\'':
		return f.singleQuoted()
	case '[':
		return f.flowSequence()
	case '{':
		return f.flowMapping()
	}
	return f.blockPlain()
}

// plainStart reports whether a plain scalar may start with c without the
// library looking at what follows.
func plainStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf ||
		c == '_' || c == '.' || c == '/' || c == '(' || c == '+' || c == '~'
}

// blockPlain reads a plain scalar that ends its line (before a comment).
func (f *fastYAML) blockPlain() *yaml.Node {
	if !plainStart(f.peek()) {
		f.out()
	}
	n := f.node(yaml.ScalarNode, "", 0)
	start, end := f.pos, f.pos
	for f.pos < len(f.src) {
		c := f.src[f.pos]
		if c == '\n' || (c == '#' && f.src[f.pos-1] == ' ') {
			break
		}
		if c == ':' && (f.pos+1 == len(f.src) || f.src[f.pos+1] == ' ' || f.src[f.pos+1] == '\n') {
			f.out() // a value with ": " in it, or a key
		}
		f.pos++
		if c != ' ' {
			end = f.pos
		}
	}
	f.pos = end
	n.Value = f.src[start:end]
	n.Tag = plainTag(n.Value)
	return n
}

// flowPlain reads a plain scalar inside a flow collection: letters,
// digits, spaces and a few safe punctuation marks, up to ',', ']' or '}'.
func (f *fastYAML) flowPlain() *yaml.Node {
	c := f.peek()
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf || c == '_') {
		f.out()
	}
	n := f.node(yaml.ScalarNode, "", 0)
	start, end := f.pos, f.pos
	for f.pos < len(f.src) {
		c := f.src[f.pos]
		if c == ',' || c == ']' || c == '}' {
			break
		}
		if !(keyByte(c) || c >= utf8.RuneSelf || c == ' ' || c == '.' || c == '/' || c == '@' || c == '+') {
			f.out()
		}
		f.pos++
		if c != ' ' {
			end = f.pos
		}
	}
	f.pos = end
	n.Value = f.src[start:end]
	n.Tag = plainTag(n.Value)
	return n
}

func (f *fastYAML) flowScalar() *yaml.Node {
	switch f.peek() {
	case '"':
		return f.doubleQuoted()
	case '\'':
		return f.singleQuoted()
	}
	return f.flowPlain()
}

// flowSequence reads a flow sequence of scalars that ends on its line.
func (f *fastYAML) flowSequence() *yaml.Node {
	f.enter()
	s := f.node(yaml.SequenceNode, "!!seq", yaml.FlowStyle)
	mark := len(f.stack)
	f.pos++ // [
	f.spaces()
	if f.peek() != ']' {
		for {
			f.stack = append(f.stack, f.flowScalar())
			f.spaces()
			if f.peek() == ']' {
				break
			}
			if f.peek() != ',' {
				f.out()
			}
			f.pos++
			f.spaces()
		}
	}
	f.pos++ // ]
	s.Content = f.content(mark)
	f.depth--
	return s
}

// flowMapping reads a flow mapping of plain keys and scalar values that
// ends on its line.
func (f *fastYAML) flowMapping() *yaml.Node {
	f.enter()
	m := f.node(yaml.MappingNode, "!!map", yaml.FlowStyle)
	mark := len(f.stack)
	f.pos++ // {
	f.spaces()
	if f.peek() != '}' {
		for {
			f.stack = append(f.stack, f.key(true))
			f.spaces()
			f.stack = append(f.stack, f.flowScalar())
			f.spaces()
			if f.peek() == '}' {
				break
			}
			if f.peek() != ',' {
				f.out()
			}
			f.pos++
			f.spaces()
		}
	}
	f.pos++ // }
	m.Content = f.content(mark)
	f.depth--
	return m
}

// singleQuoted reads a single-quoted scalar that ends on its line.
func (f *fastYAML) singleQuoted() *yaml.Node {
	n := f.node(yaml.ScalarNode, "!!str", yaml.SingleQuotedStyle)
	f.pos++
	start := f.pos
	var buf []byte
	for {
		if f.pos >= len(f.src) || f.src[f.pos] == '\n' {
			f.out()
		}
		if f.src[f.pos] == '\'' {
			if f.pos+1 < len(f.src) && f.src[f.pos+1] == '\'' {
				buf = append(buf, f.src[start:f.pos+1]...)
				f.pos += 2
				start = f.pos
				continue
			}
			break
		}
		f.pos++
	}
	if buf == nil {
		n.Value = f.src[start:f.pos]
	} else {
		n.Value = string(append(buf, f.src[start:f.pos]...))
	}
	f.pos++
	return n
}

// doubleQuoted reads a double-quoted scalar that ends on its line,
// decoding its escapes as the library does.
func (f *fastYAML) doubleQuoted() *yaml.Node {
	n := f.node(yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle)
	f.pos++
	start := f.pos
	var buf []byte
	for {
		if f.pos >= len(f.src) || f.src[f.pos] == '\n' {
			f.out()
		}
		c := f.src[f.pos]
		if c == '"' {
			break
		}
		if c != '\\' {
			f.pos++
			continue
		}
		buf = append(buf, f.src[start:f.pos]...)
		if f.pos+1 >= len(f.src) {
			f.out()
		}
		e := f.src[f.pos+1]
		f.pos += 2
		if r, ok := simpleEscapes[e]; ok {
			buf = utf8.AppendRune(buf, r)
		} else {
			digits := 0
			switch e {
			case 'x':
				digits = 2
			case 'u':
				digits = 4
			case 'U':
				digits = 8
			}
			if digits == 0 || f.pos+digits > len(f.src) {
				f.out()
			}
			v := 0
			for _, h := range []byte(f.src[f.pos : f.pos+digits]) {
				switch {
				case h >= '0' && h <= '9':
					v = v<<4 | int(h-'0')
				case h >= 'a' && h <= 'f':
					v = v<<4 | int(h-'a'+10)
				case h >= 'A' && h <= 'F':
					v = v<<4 | int(h-'A'+10)
				default:
					f.out()
				}
			}
			if (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff {
				f.out()
			}
			buf = utf8.AppendRune(buf, rune(v))
			f.pos += digits
		}
		start = f.pos
	}
	if buf == nil {
		n.Value = f.src[start:f.pos]
	} else {
		n.Value = string(append(buf, f.src[start:f.pos]...))
	}
	f.pos++
	return n
}

// simpleEscapes are the one-character escapes of double-quoted YAML
// scalars and what they stand for (an escaped tab or line break is left to
// the library).
var simpleEscapes = map[byte]rune{
	'0': 0, 'a': 7, 'b': 8, 't': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13, 'e': 0x1b, ' ': ' ',
	'"': '"', '\'': '\'', '\\': '\\', 'N': 0x85, '_': 0xa0, 'L': 0x2028, 'P': 0x2029,
}

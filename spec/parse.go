package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cachetsync/cachetsync/internal/laravelurl"
	"github.com/cachetsync/cachetsync/internal/phpfilter"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/internal/laravelslug"
	"github.com/cachetsync/cachetsync/page"
)

// file is what one YAML file declares, with the positions that the checks
// across files need.
type file struct {
	groups   []*groupSrc
	comps    []*compSrc // ungrouped
	subs     []*subSrc
	prune    *Prune // nil: not declared
	prunePos Pos
}

// posString is a string and where it was written.
type posString struct {
	s   string
	pos Pos
}

type groupSrc struct {
	g     Group // Components left empty: see comps
	comps []*compSrc
	prev  []posString
	idPos Pos
}

type compSrc struct {
	c     Component
	prev  []posString
	idPos Pos
}

type subSrc struct {
	s    Subscriber
	refs []posString
}

// visitBudget bounds the nodes one file may make the parser visit: a base,
// and more per byte of the file. Without aliases the parser visits each node
// a few times, and a node takes at least one byte, so only a file whose
// aliases reach the same nodes many times, built to exhaust time or memory,
// runs out.
func visitBudget(size int) int { return 100_000 + 16*size }

// errTooComplex is panicked when a file runs out of its visit budget, and
// recovered by parseFile.
var errTooComplex = errors.New("the file is too complex: its aliases expand to too many nodes")

// parser walks the yaml.Node tree of one file.
type parser struct {
	file       string
	diags      Diagnostics
	visits     int                 // nodes visited
	maxVisits  int                 // visitBudget of the file
	merging    map[*yaml.Node]bool // mappings whose merge keys are being expanded
	storableOK map[string]bool     // strings storable found storable (see storable)
}

// fastYAMLEnabled lets parseFile try fastDecode before the yaml library;
// tests turn it off to compare the two paths.
var fastYAMLEnabled = true

// parseFile reads one YAML file. It returns a nil file when the YAML itself
// is malformed or too complex, so that what it declares is unknown.
func parseFile(name string, data []byte) (f *file, diags Diagnostics) {
	p := &parser{file: name, merging: map[*yaml.Node]bool{}, maxVisits: visitBudget(len(data))}
	defer func() {
		if r := recover(); r != nil {
			if r != errTooComplex {
				panic(r)
			}
			f, diags = nil, Diagnostics{{Pos{File: name}, errTooComplex.Error()}}
		}
	}()
	if fastYAMLEnabled {
		if root, ok := fastDecode(data); ok {
			f = &file{}
			p.top(root, f)
			return f, p.diags
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return &file{}, nil // an empty file is an empty spec
		}
		return nil, Diagnostics{p.yamlError(err, data)}
	}
	f = &file{}
	p.top(&root, f)
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.errorf(&next, "a file holds one YAML document; put each document in a file of its own and load the directory")
	case !errors.Is(err, io.EOF):
		p.diags = append(p.diags, p.yamlError(err, data))
	}
	return f, p.diags
}

var (
	yamlLineRE   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchorRE = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// yamlError turns a yaml.v3 syntax error into a diagnostic at the best
// position that can be found. yaml.v3 names only a line, often the start of
// the enclosing block rather than the mistake, and none for the first line;
// for the common mistakes (a tab, bad indentation, an unclosed quote, a
// missing colon) the line and column of the mistake itself are worked out
// here, with a message that says what to do.
func (p *parser) yamlError(err error, data []byte) Diagnostic {
	msg := err.Error()
	pos := Pos{File: p.file, Line: 1}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		pos = p.find(data, "*"+m[1])
		return Diagnostic{pos, fmt.Sprintf("unknown anchor %q: an alias *%s needs an anchor &%s earlier in the file", m[1], m[1], m[1])}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	// yaml.v3 sometimes names the line before the tab.
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		for n := pos.Line; n <= pos.Line+1; n++ {
			line := lineOf(data, n)
			if i := strings.IndexByte(line, '\t'); i >= 0 {
				pos.Line, pos.Column = n, utf8.RuneCountInString(line[:i])+1
				return Diagnostic{pos, "invalid YAML: found a tab character; YAML indents with spaces only"}
			}
		}
	}
	switch {
	case strings.HasPrefix(msg, "did not find expected key"), strings.HasPrefix(msg, "did not find expected '-' indicator"):
		// Reported at the start of the block: the mistake is the first line
		// after which the file no longer parses.
		if n := firstBrokenLine(data, pos.Line); n > 0 {
			block := pos.Line
			pos.Line, pos.Column = n, indentOf(lineOf(data, n))+1
			return Diagnostic{pos, fmt.Sprintf("invalid YAML: bad indentation: this line does not line up with the keys or list items of the block it belongs to (the block that starts at line %d); indent it exactly as far as its siblings", block)}
		}
	case strings.Contains(msg, "found unexpected end of stream"):
		line := lineOf(data, pos.Line)
		if i, q := unclosedQuote(line); i >= 0 {
			pos.Column = utf8.RuneCountInString(line[:i]) + 1
			return Diagnostic{pos, fmt.Sprintf("invalid YAML: the quoted string that starts here is never closed; add the closing %c", q)}
		}
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		line := lineOf(data, pos.Line)
		if i := badColon(line); i >= 0 {
			pos.Column = utf8.RuneCountInString(line[:i]) + 1
		}
		if n, prev := previousLine(data, pos.Line); n > 0 && !strings.Contains(stripComment(prev), ":") && !strings.HasSuffix(strings.TrimSpace(prev), "-") {
			return Diagnostic{pos, fmt.Sprintf("invalid YAML: unexpected ':'; is a ':' missing at the end of the key on line %d (%s)?", n, strings.TrimSpace(prev))}
		}
		return Diagnostic{pos, "invalid YAML: mapping values are not allowed in this context: a value that holds ': ' must be quoted, or this line is indented too far"}
	case strings.HasPrefix(msg, "could not find expected ':'"):
		line := lineOf(data, pos.Line)
		pos.Column = indentOf(line) + 1
		return Diagnostic{pos, "invalid YAML: could not find the ':' after this key; write key: value"}
	}
	return Diagnostic{pos, "invalid YAML: " + msg}
}

// firstBrokenLine returns the first line n, from line from on, such that the
// file's first n lines do not parse, or 0. It bisects: once the file breaks
// it stays broken.
func firstBrokenLine(data []byte, from int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	broken := func(n int) bool {
		var node yaml.Node
		return yaml.Unmarshal(bytes.Join(lines[:n], nil), &node) != nil
	}
	lo, hi := max(from, 1), len(lines)
	if lo > hi || !broken(hi) {
		return 0
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if broken(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// indentOf returns the number of leading spaces of line.
func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// unclosedQuote returns the byte index and the quote of the first quoted
// string on line that is not closed on it, or -1.
func unclosedQuote(line string) (int, rune) {
	for i := 0; i < len(line); i++ {
		q := line[i]
		if q != '"' && q != '\'' {
			continue
		}
		if i > 0 && !strings.ContainsRune(" \t[{,:-", rune(line[i-1])) {
			continue // inside a plain scalar: it's an apostrophe
		}
		j := i + 1
		for ; j < len(line); j++ {
			if q == '"' && line[j] == '\\' {
				j++
				continue
			}
			if line[j] == q {
				if q == '\'' && j+1 < len(line) && line[j+1] == '\'' {
					j++ // '' is an escaped quote
					continue
				}
				break
			}
		}
		if j >= len(line) {
			return i, rune(q)
		}
		i = j
	}
	return -1, 0
}

// badColon returns the byte index of the ':' that yaml.v3 rejects on line:
// the second "key: " of "name: a: b", else the first one.
func badColon(line string) int {
	body := stripComment(line)
	var colons []int
	for i := 0; i < len(body); i++ {
		if body[i] == ':' && (i+1 == len(body) || body[i+1] == ' ') {
			colons = append(colons, i)
		}
	}
	switch len(colons) {
	case 0:
		return -1
	case 1:
		return colons[0]
	}
	return colons[1]
}

// stripComment drops a " #" comment from line (quotes are not considered:
// this only guides an error message).
func stripComment(line string) string {
	if i := strings.Index(line, " #"); i >= 0 {
		return line[:i]
	}
	return line
}

// previousLine returns the number and text of the last line before n that
// is neither blank nor a comment, or 0.
func previousLine(data []byte, n int) (int, string) {
	for k := n - 1; k >= 1; k-- {
		t := strings.TrimSpace(lineOf(data, k))
		if t != "" && !strings.HasPrefix(t, "#") {
			return k, lineOf(data, k)
		}
	}
	return 0, ""
}

// lineOf returns line n (from 1) of data, or "".
func lineOf(data []byte, n int) string {
	for i := 1; len(data) > 0; i++ {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		if i == n {
			return string(line)
		}
		data = rest
	}
	return ""
}

// find returns the position of the first occurrence of s in data.
func (p *parser) find(data []byte, s string) Pos {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return Pos{File: p.file}
	}
	before := data[:i]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return Pos{p.file, line, utf8.RuneCount(before[start:]) + 1}
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{p.file, n.Line, n.Column} }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{p.pos(n), fmt.Sprintf(format, args...)})
}

// resolve follows aliases to the node they name.
func (p *parser) resolve(n *yaml.Node) *yaml.Node {
	p.visits++
	if p.visits > p.maxVisits {
		panic(errTooComplex)
	}
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// entry is one key of a mapping and its value.
type entry struct {
	key          string
	keyNode, val *yaml.Node
}

// entries returns the keys of mapping n in order, with merge keys (<<)
// expanded: a key written in n wins over a merged one, and an earlier merged
// mapping wins over a later one. A key written twice is an error.
func (p *parser) entries(n *yaml.Node) []entry {
	if p.merging[n] {
		p.errorf(n, "a merge key (<<) makes this mapping include itself")
		return nil
	}
	// The keys found so far are those of out: a short mapping (the usual
	// one) is searched in place, a long one through an index.
	out := make([]entry, 0, len(n.Content)/2)
	var index map[string]*yaml.Node
	find := func(key string) (*yaml.Node, bool) {
		if index != nil {
			k, ok := index[key]
			return k, ok
		}
		for _, e := range out {
			if e.key == key {
				return e.keyNode, true
			}
		}
		return nil, false
	}
	add := func(e entry) {
		out = append(out, e)
		if index == nil && len(out) > 16 {
			index = make(map[string]*yaml.Node, len(n.Content)/2)
			for _, e := range out {
				index[e.key] = e.keyNode
			}
		} else if index != nil {
			index[e.key] = e.keyNode
		}
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kr := p.resolve(k)
		if kr.Kind == yaml.ScalarNode && kr.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if kr.Kind != yaml.ScalarNode {
			p.errorf(k, "a key must be a string, not a %s", kindName(kr))
			continue
		}
		if first, dup := find(kr.Value); dup {
			p.errorf(k, "duplicate key %q (first at %s)", kr.Value, p.pos(first))
			continue
		}
		add(entry{kr.Value, k, v})
	}
	if len(merges) == 0 {
		return out
	}
	// Only a mapping with merge keys reaches other mappings' entries, so
	// only such a mapping can be met again while it is being expanded.
	p.merging[n] = true
	defer delete(p.merging, n)
	for _, m := range merges {
		mr := p.resolve(m)
		srcs := []*yaml.Node{m}
		if mr.Kind == yaml.SequenceNode {
			srcs = mr.Content
		}
		for _, src := range srcs {
			sr := p.resolve(src)
			if sr.Kind != yaml.MappingNode {
				p.errorf(src, "a merge key (<<) needs a mapping, or a list of mappings, usually through an alias such as *defaults")
				continue
			}
			for _, e := range p.entries(sr) {
				if _, dup := find(e.key); !dup {
					add(e)
				}
			}
		}
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return "scalar"
	}
	return "YAML node"
}

func (p *parser) unknownKey(e entry, where string, fields []field) {
	valid := keys(fields)
	if s := suggest(e.key, valid); s != "" {
		p.errorf(e.keyNode, "unknown key %q in %s (did you mean %q?)", e.key, where, s)
		return
	}
	p.errorf(e.keyNode, "unknown key %q in %s (valid keys: %s)", e.key, where, strings.Join(valid, ", "))
}

// suggest returns the valid key closest to a mistyped one, if close enough.
func suggest(key string, valid []string) string {
	best, bestD := "", 3
	for _, v := range valid {
		if d := editDistance(strings.ToLower(key), v); d < bestD && d < len(v) {
			best, bestD = v, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// list returns the items of a sequence, unresolved so that an alias item
// keeps its own position. A null value is an empty list.
func (p *parser) list(n *yaml.Node, msg string) []*yaml.Node {
	r := p.resolve(n)
	switch {
	case r.Kind == yaml.SequenceNode:
		return r.Content
	case isNull(r):
		return nil
	}
	p.errorf(n, "%s", msg)
	return nil
}

func (p *parser) top(root *yaml.Node, f *file) {
	n := root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	r := p.resolve(n)
	if isNull(r) {
		return
	}
	if r.Kind != yaml.MappingNode {
		p.errorf(n, "the file must be a mapping with the keys groups, components, subscribers and prune, not a %s", kindName(r))
		return
	}
	for _, e := range p.entries(r) {
		switch e.key {
		case "groups":
			for _, item := range p.list(e.val, "groups must be a list") {
				if g := p.group(item); g != nil {
					f.groups = append(f.groups, g)
				}
			}
		case "components":
			f.comps = append(f.comps, p.components(e.val)...)
		case "subscribers":
			for _, item := range p.list(e.val, "subscribers must be a list") {
				if s := p.subscriber(item); s != nil {
					f.subs = append(f.subs, s)
				}
			}
		case "prune":
			f.prune, f.prunePos = p.prune(e.val), p.pos(e.keyNode)
		default:
			if strings.HasPrefix(e.key, "x-") {
				continue // a place for anchors
			}
			p.unknownKey(e, "the file", topFields)
		}
	}
}

func (p *parser) components(n *yaml.Node) []*compSrc {
	var out []*compSrc
	for _, item := range p.list(n, "components must be a list") {
		if c := p.component(item); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (p *parser) group(item *yaml.Node) *groupSrc {
	n := p.resolve(item)
	if n.Kind != yaml.MappingNode {
		p.errorf(item, "a group must be a mapping with at least a name, not a %s", kindName(n))
		return nil
	}
	g := &groupSrc{g: Group{Pos: p.pos(item)}}
	named := false
	for _, e := range p.entries(n) {
		switch e.key {
		case "name":
			named = true
			g.g.Name = p.name(e.val, "group name")
		case "previously":
			g.prev = p.previously(e.val)
		case "id":
			g.g.ID, g.idPos = p.id(e.val)
		case "visible":
			g.g.Visible = p.boolean(e.val, "visible")
		case "collapsed":
			if s, ok := p.enum(e.val, "collapsed", page.CollapsedNames()); ok {
				if v, err := page.ParseCollapsed(s); err != nil {
					p.errorf(e.val, "%v", err)
				} else {
					g.g.Collapsed = &v
				}
			}
		case "components":
			g.comps = p.components(e.val)
		default:
			p.unknownKey(e, "group", groupFields)
		}
	}
	if !named {
		p.errorf(item, `group has no "name"`)
	}
	g.g.Previously = strs(g.prev)
	return g
}

func (p *parser) component(item *yaml.Node) *compSrc {
	n := p.resolve(item)
	if n.Kind != yaml.MappingNode {
		p.errorf(item, "a component must be a mapping with at least a name, not a %s", kindName(n))
		return nil
	}
	c := &compSrc{c: Component{Pos: p.pos(item)}}
	named := false
	for _, e := range p.entries(n) {
		switch e.key {
		case "name":
			named = true
			c.c.Name = p.name(e.val, "component name")
		case "previously":
			c.prev = p.previously(e.val)
		case "id":
			c.c.ID, c.idPos = p.id(e.val)
		case "description":
			if s, ok := p.str(e.val, "description"); ok {
				s = strings.TrimSpace(s)
				if p.printable(e.val, "description", s) && p.storable(e.val, "description", s, true) {
					c.c.Description = &s
				}
			}
		case "link":
			if s, ok := p.str(e.val, "link"); ok {
				s = strings.TrimSpace(s)
				switch {
				case s == "" || validURL(s):
					if p.storableLink(e.val, s) {
						c.c.Link = &s
					}
				case httpURL(s):
					p.errorf(e.val, `link %q would be rejected by Cachet: Laravel's url rule refuses it (no "_" in a host name, a host must end in a letter or be an IP address)`, s)
				default:
					p.errorf(e.val, `link %q is not an absolute http or https URL (use "" to clear the link)`, s)
				}
			}
		case "enabled":
			c.c.Enabled = p.boolean(e.val, "enabled")
		case "tags":
			c.c.Tags = p.tags(e.val)
		case "status":
			if s, ok := p.enum(e.val, "status", page.StatusNames()); ok {
				if v, err := page.ParseStatus(s); err != nil {
					p.errorf(e.val, "%v", err)
				} else {
					c.c.Status = &v
				}
			}
		case "meta":
			c.c.Meta = p.meta(e.val)
		default:
			p.unknownKey(e, "component", componentFields)
		}
	}
	if !named {
		p.errorf(item, `component has no "name"`)
	}
	c.c.Previously = strs(c.prev)
	return c
}

func (p *parser) subscriber(item *yaml.Node) *subSrc {
	n := p.resolve(item)
	if n.Kind != yaml.MappingNode {
		p.errorf(item, "a subscriber must be a mapping with at least an email, not a %s", kindName(n))
		return nil
	}
	s := &subSrc{s: Subscriber{Pos: p.pos(item)}}
	hasEmail := false
	for _, e := range p.entries(n) {
		switch e.key {
		case "email":
			hasEmail = true
			s.s.Email = p.email(e.val)
		case "components":
			s.refs = p.refs(e.val)
			s.s.Components = strs(s.refs)
			if s.s.Components == nil {
				s.s.Components = []string{} // declared, though invalid
			}
		default:
			p.unknownKey(e, "subscriber", subscriberFields)
		}
	}
	if !hasEmail {
		p.errorf(item, `subscriber has no "email"`)
	}
	return s
}

func (p *parser) email(n *yaml.Node) string {
	v, ok := p.str(n, "email")
	if !ok {
		return ""
	}
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		p.errorf(n, "email must not be blank")
	case utf8.RuneCountInString(v) > MaxNameLength:
		p.errorf(n, "email is %d characters long; the maximum is %d", utf8.RuneCountInString(v), MaxNameLength)
	case !validEmail(v):
		p.errorf(n, "invalid email %q: want a bare address such as oncall@example.com", v)
	default:
		p.storableEmail(n, v)
	}
	return v
}

// validEmail reports whether Cachet's email rule accepts s: Laravel's
// validateEmail in 5.2 and 5.7, PHP's filter_var with
// FILTER_VALIDATE_EMAIL (package phpfilter). A bare address only: no
// display name or angle brackets, a host with a dot.
func validEmail(s string) bool { return phpfilter.ValidEmail(s) }

// validURL reports whether s is an absolute http or https URL with a host
// and no spaces that Laravel's url rule (which Cachet applies to links)
// accepts: no "_" in the host, a host ending in a letter or an IP address.
func validURL(s string) bool {
	return laravelurl.Valid(s, false) && httpURL(s) // 5.2's rule differs only by s3://
}

// httpURL reports whether s is an absolute http or https URL with a host and
// no spaces, whatever Laravel's rule says of it.
func httpURL(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

func (p *parser) refs(n *yaml.Node) []posString {
	r := p.resolve(n)
	if r.Kind != yaml.SequenceNode {
		p.errorf(n, "components must be a list of component names (omit it to subscribe to all components)")
		return nil
	}
	if len(r.Content) == 0 {
		p.errorf(n, "components must not be empty (omit it to subscribe to all components)")
		return nil
	}
	out := make([]posString, 0, len(r.Content))
	for _, item := range r.Content {
		if s := p.name(item, "component name"); s != "" {
			out = append(out, posString{s, p.pos(item)})
		}
	}
	return out
}

func (p *parser) prune(n *yaml.Node) *Prune {
	pr := &Prune{}
	r := p.resolve(n)
	if isNull(r) {
		return pr
	}
	if r.Kind != yaml.MappingNode {
		p.errorf(n, "prune must be a mapping such as {groups: true, components: true, subscribers: false}")
		return pr
	}
	for _, e := range p.entries(r) {
		var dst *bool
		switch e.key {
		case "groups":
			dst = &pr.Groups
		case "components":
			dst = &pr.Components
		case "subscribers":
			dst = &pr.Subscribers
		default:
			p.unknownKey(e, "prune", pruneFields)
			continue
		}
		if b := p.boolean(e.val, "prune."+e.key); b != nil {
			*dst = *b
		}
	}
	return pr
}

// str reads a scalar as a string, verbatim: a number or date stays as
// written.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	r := p.resolve(n)
	if r.Kind == yaml.ScalarNode {
		switch r.ShortTag() {
		case "!!str", "!!int", "!!float", "!!timestamp":
			return r.Value, true
		case "!!null":
			p.errorf(n, `%s must be a string (use "" for an empty one)`, what)
			return "", false
		case "!!bool":
			p.errorf(n, "%s must be a string (quote it: %q)", what, r.Value)
			return "", false
		}
		p.errorf(n, "%s must be a string, not a %s value", what, r.ShortTag())
		return "", false
	}
	p.errorf(n, "%s must be a string, not a %s", what, kindName(r))
	return "", false
}

// name reads a trimmed, non-blank name of at most MaxNameLength characters.
// It returns "" when the name is missing or blank.
func (p *parser) name(n *yaml.Node, what string) string {
	if isNull(p.resolve(n)) {
		p.errorf(n, "%s must not be blank", what)
		return ""
	}
	s, ok := p.str(n, what)
	if !ok {
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" {
		p.errorf(n, "%s must not be blank", what)
	} else if l := utf8.RuneCountInString(s); l > MaxNameLength {
		p.errorf(n, "%s is %d characters long; the maximum is %d", what, l, MaxNameLength)
	} else if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		p.errorf(n, "%s %q contains a control character (a tab, line break or similar)", what, s)
	} else {
		p.storable(n, what, s, false)
	}
	return s
}

func (p *parser) previously(n *yaml.Node) []posString {
	var out []posString
	for _, item := range p.list(n, "previously must be a list of earlier names, such as [Old name]") {
		if s := p.name(item, "previously name"); s != "" {
			out = append(out, posString{s, p.pos(item)})
		}
	}
	return out
}

func strs(ps []posString) []string {
	if len(ps) == 0 {
		return nil
	}
	out := make([]string, len(ps))
	for i, x := range ps {
		out[i] = x.s
	}
	return out
}

func (p *parser) id(n *yaml.Node) (int, Pos) {
	r := p.resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!int" {
		var v int
		if err := r.Decode(&v); err == nil && v > 0 {
			return v, p.pos(n)
		}
	}
	p.errorf(n, "id must be a positive integer")
	return 0, Pos{}
}

func (p *parser) boolean(n *yaml.Node, what string) *bool {
	r := p.resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!bool" {
		var b bool
		if err := r.Decode(&b); err == nil {
			return &b
		}
	}
	p.errorf(n, "%s must be true or false", what)
	return nil
}

// enum reads a scalar that names an enum value or gives its number.
func (p *parser) enum(n *yaml.Node, what string, names []string) (string, bool) {
	r := p.resolve(n)
	if r.Kind == yaml.ScalarNode && (r.ShortTag() == "!!str" || r.ShortTag() == "!!int") {
		return r.Value, true
	}
	p.errorf(n, "%s must be one of %s, or 0–%d", what, strings.Join(names, ", "), len(names)-1)
	return "", false
}

func (p *parser) tags(n *yaml.Node) []string {
	r := p.resolve(n)
	if r.Kind != yaml.SequenceNode {
		p.errorf(n, "tags must be a list of strings, such as [production, eu-west]")
		return nil
	}
	out := []string{}
	slugs := map[string]posString{}
	for _, item := range r.Content {
		s, ok := p.str(item, "tag")
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		slug := laravelslug.Slug(s)
		switch first, dup := slugs[slug]; {
		case s == "":
			p.errorf(item, "tag must not be blank")
		case strings.Contains(s, ","):
			p.errorf(item, "tag %q must not contain a comma (Cachet splits tags on commas)", s)
		case utf8.RuneCountInString(s) > MaxNameLength:
			p.errorf(item, "tag is %d characters long; the maximum is %d", utf8.RuneCountInString(s), MaxNameLength)
		case slug == "":
			p.errorf(item, "tag %q needs a letter or a digit", s)
		case !p.storable(item, "tag", s, false):
		case dup:
			p.errorf(item, "duplicate tag %q: its slug %q is the same as tag %q at %s", s, slug, first.s, first.pos)
		default:
			slugs[slug] = posString{s, p.pos(item)}
			out = append(out, s)
		}
	}
	return out
}

// maxExactFloat is the largest integer that a float64 (and so JSON as
// Cachet's meta goes through it) holds exactly.
const maxExactFloat = 1 << 53

var integerRE = regexp.MustCompile(`^[-+]?[0-9_]+$`)

func (p *parser) meta(n *yaml.Node) map[string]any {
	r := p.resolve(n)
	if r.Kind != yaml.MappingNode {
		p.errorf(n, "meta must be a mapping, such as {owner: platform}")
		return nil
	}
	v, _ := p.metaValue(n, map[*yaml.Node]bool{})
	m, _ := v.(map[string]any)
	return m
}

// metaValue converts a node to the value encoding/json would give for it.
func (p *parser) metaValue(n *yaml.Node, active map[*yaml.Node]bool) (any, bool) {
	r := p.resolve(n)
	if r.Kind == yaml.MappingNode || r.Kind == yaml.SequenceNode {
		if active[r] {
			p.errorf(n, "meta cannot contain itself through an alias")
			return nil, false
		}
		active[r] = true
		defer delete(active, r)
	}
	switch r.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		ok := true
		for _, e := range p.entries(r) {
			v, vok := p.metaValue(e.val, active)
			m[e.key] = v
			ok = ok && vok
		}
		return m, ok
	case yaml.SequenceNode:
		l := make([]any, 0, len(r.Content))
		ok := true
		for _, item := range r.Content {
			v, vok := p.metaValue(item, active)
			l = append(l, v)
			ok = ok && vok
		}
		return l, ok
	case yaml.ScalarNode:
		return p.metaScalar(n, r)
	}
	p.errorf(n, "meta values must be strings, numbers, booleans, null, lists or mappings")
	return nil, false
}

func (p *parser) metaScalar(n, r *yaml.Node) (any, bool) {
	switch r.ShortTag() {
	case "!!null":
		return nil, true
	case "!!str", "!!timestamp":
		return r.Value, p.storable(n, "meta value", r.Value, true)
	case "!!bool":
		var b bool
		if r.Decode(&b) == nil {
			return b, true
		}
	case "!!int", "!!float":
		if r.ShortTag() == "!!float" && !integerRE.MatchString(r.Value) {
			break
		}
		// An integer: yaml.v3 tags one too large for int64 as a float.
		var i int64
		if r.ShortTag() == "!!int" && r.Decode(&i) == nil && i >= -maxExactFloat && i <= maxExactFloat {
			return float64(i), true
		}
		p.errorf(n, "meta number %s is too large: JSON numbers are exact up to 2^53 (quote it to keep it as a string)", r.Value)
		return nil, false
	}
	if r.ShortTag() == "!!float" {
		var f float64
		if r.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
		p.errorf(n, "meta number %s is not valid in JSON (quote it to keep it as a string)", r.Value)
		return nil, false
	}
	p.errorf(n, "meta values must be strings, numbers, booleans, null, lists or mappings, not %s", r.ShortTag())
	return nil, false
}

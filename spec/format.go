package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// keyOrder is the canonical order of the keys of each kind of mapping, the
// order `cachetsync export` writes them in. Keys not listed keep their
// relative order after the listed ones.
var keyOrder = map[string][]string{
	"top":        {"groups", "components", "subscribers", "prune"},
	"group":      {"name", "previously", "id", "visible", "collapsed", "components"},
	"component":  {"name", "previously", "id", "description", "link", "enabled", "tags", "status", "meta"},
	"subscriber": {"email", "components"},
	"prune":      {"groups", "components", "subscribers"},
}

// Format rewrites a spec file in the canonical layout that `cachetsync
// export` writes: two-space indentation, keys in a fixed order, lists of
// plain names (previously, tags, a subscriber's components) on one line.
// Comments, anchors and the values as written are kept. The file must be a
// well-formed spec on its own (Diagnostics otherwise; references to
// components of other files are not checked), so that Format never guesses
// at a broken file.
func Format(filename string, data []byte) ([]byte, error) {
	if _, diags := parseFile(filename, data); len(diags) > 0 {
		return nil, diags.sorted()
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return data, nil // an empty file stays as it is
		}
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		formatTop(doc.Content[0])
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	return SeparateSections(b.Bytes()), nil
}

// SeparateSections puts one blank line before each top-level key of a YAML
// document but the first (before the comments just above it), as `export`
// and `fmt` lay files out: groups, components, subscribers and prune stand
// apart. data must be a block mapping as yaml.v3 writes it.
func SeparateSections(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	var out bytes.Buffer
	seenKey := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if !isTopLevelKey(line) {
			// A comment block at column 0 that leads to a top-level key
			// belongs to that key.
			if seenKey && bytes.HasPrefix(line, []byte("#")) {
				j := i
				for j < len(lines) && bytes.HasPrefix(lines[j], []byte("#")) {
					j++
				}
				if j < len(lines) && isTopLevelKey(lines[j]) {
					out.WriteString("\n")
					for ; i < j; i++ {
						out.Write(lines[i])
					}
					out.Write(lines[j])
					continue
				}
			}
			out.Write(line)
			continue
		}
		if seenKey {
			out.WriteString("\n")
		}
		seenKey = true
		out.Write(line)
	}
	return out.Bytes()
}

// isTopLevelKey reports whether line starts a key of the top-level mapping.
func isTopLevelKey(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case ' ', '\t', '#', '-', '\n', '\r', '.', '%':
		return false
	}
	return bytes.Contains(line, []byte(":"))
}

func formatTop(m *yaml.Node) {
	// A comment above the first key is the file's header: it stays first.
	var first *yaml.Node
	if len(m.Content) > 0 {
		first = m.Content[0]
	}
	sortKeys(m, keyOrder["top"])
	if first != nil && m.Content[0] != first && first.HeadComment != "" {
		m.Content[0].HeadComment = strings.TrimSuffix(first.HeadComment+"\n"+m.Content[0].HeadComment, "\n")
		first.HeadComment = ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		val := m.Content[i+1]
		switch m.Content[i].Value {
		case "groups":
			eachMapping(val, func(g *yaml.Node) {
				formatMapping(g, "group")
				if comps := lookup(g, "components"); comps != nil {
					eachMapping(comps, func(c *yaml.Node) { formatMapping(c, "component") })
				}
			})
		case "components":
			eachMapping(val, func(c *yaml.Node) { formatMapping(c, "component") })
		case "subscribers":
			eachMapping(val, func(s *yaml.Node) { formatMapping(s, "subscriber") })
		case "prune":
			if val.Kind == yaml.MappingNode {
				sortKeys(val, keyOrder["prune"])
			}
		}
	}
}

// formatMapping orders the keys of one group, component or subscriber and
// puts its lists of plain names on one line.
func formatMapping(m *yaml.Node, kind string) {
	sortKeys(m, keyOrder[kind])
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i].Value, m.Content[i+1]
		if key == "previously" || key == "tags" || (kind == "subscriber" && key == "components") {
			flowIfPlain(val)
		}
	}
}

// flowIfPlain writes a sequence of scalars without comments in flow style.
func flowIfPlain(seq *yaml.Node) {
	if seq.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range seq.Content {
		if item.Kind != yaml.ScalarNode || item.HeadComment != "" || item.LineComment != "" || item.FootComment != "" {
			return
		}
	}
	seq.Style = yaml.FlowStyle
}

// eachMapping calls f for each mapping item of sequence seq.
func eachMapping(seq *yaml.Node, f func(*yaml.Node)) {
	if seq.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range seq.Content {
		if item.Kind == yaml.MappingNode {
			f(item)
		}
	}
}

// lookup returns the value of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// sortKeys orders the pairs of mapping m: the keys of order first, in that
// order, then the others as they were. A mapping with a merge key (<<) is
// left as it is: where the merge stands changes nothing, but moving it would
// surprise its reader.
func sortKeys(m *yaml.Node, order []string) {
	type pair struct{ key, val *yaml.Node }
	pairs := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "<<" {
			return
		}
		pairs = append(pairs, pair{m.Content[i], m.Content[i+1]})
	}
	rank := func(p pair) int {
		if i := slices.Index(order, p.key.Value); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return rank(a) - rank(b) })
	m.Content = m.Content[:0]
	for _, p := range pairs {
		m.Content = append(m.Content, p.key, p.val)
	}
}

package export

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/spec"
)

// Merge adds to an existing spec file what an export of the live page has
// and the file lacks: groups, components (into their live group when the
// file declares it) and subscribers, each identified as planning does (by
// name or an earlier name, subscribers by lower-cased e-mail). Nothing the
// file declares is changed or removed: its comments, earlier names, prune
// settings and values stay, so a plan of the merged file shows the
// differences the file asks for. It returns the merged file and one line
// per object added. exported is what Write produced.
func Merge(filename string, existing, exported []byte) ([]byte, []string, error) {
	if _, err := spec.Parse(filename, existing); err != nil {
		return nil, nil, fmt.Errorf("%s cannot be merged into, fix it first: %w", filename, err)
	}
	var file, live yaml.Node
	if err := yaml.Unmarshal(existing, &file); err != nil {
		return nil, nil, err
	}
	if err := yaml.Unmarshal(exported, &live); err != nil {
		return nil, nil, err
	}
	if len(file.Content) == 0 { // an empty file: the export as it is
		return exported, []string{"the whole page (the file was empty)"}, nil
	}
	root, liveRoot := file.Content[0], live.Content[0]
	if root.Kind != yaml.MappingNode || liveRoot.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s is not a mapping", filename)
	}

	groupNames, compNames, emails := map[string]*yaml.Node{}, map[string]bool{}, map[string]bool{}
	names := func(m *yaml.Node) []string {
		out := []string{strings.TrimSpace(scalar(value(m, "name")))}
		if prev := value(m, "previously"); prev != nil {
			for _, p := range prev.Content {
				out = append(out, strings.TrimSpace(p.Value))
			}
		}
		return out
	}
	noteComponents := func(seq *yaml.Node) {
		for _, c := range items(seq) {
			for _, n := range names(c) {
				compNames[n] = true
			}
		}
	}
	for _, g := range items(value(root, "groups")) {
		for _, n := range names(g) {
			groupNames[n] = g
		}
		noteComponents(value(g, "components"))
	}
	noteComponents(value(root, "components"))
	for _, s := range items(value(root, "subscribers")) {
		emails[strings.ToLower(strings.TrimSpace(scalar(value(s, "email"))))] = true
	}

	var added []string
	// newComponents keeps the components of seq the file lacks.
	newComponents := func(seq *yaml.Node, where string) []*yaml.Node {
		var out []*yaml.Node
		for _, c := range items(seq) {
			if n := scalar(value(c, "name")); !compNames[n] {
				compNames[n] = true
				out = append(out, c)
				added = append(added, fmt.Sprintf("component %q%s", n, where))
			}
		}
		return out
	}
	for _, g := range items(value(liveRoot, "groups")) {
		name := scalar(value(g, "name"))
		if fileGroup, ok := groupNames[name]; ok {
			if comps := newComponents(value(g, "components"), fmt.Sprintf(" (in group %q)", scalar(value(fileGroup, "name")))); len(comps) > 0 {
				appendTo(fileGroup, "components", comps)
			}
			continue
		}
		comps := newComponents(value(g, "components"), fmt.Sprintf(" (in the new group %q)", name))
		setValue(g, "components", comps)
		appendTo(root, "groups", []*yaml.Node{g})
		added = append(added, fmt.Sprintf("group %q", name))
	}
	if comps := newComponents(value(liveRoot, "components"), ""); len(comps) > 0 {
		appendTo(root, "components", comps)
	}
	var subs []*yaml.Node
	for _, s := range items(value(liveRoot, "subscribers")) {
		if e := strings.ToLower(scalar(value(s, "email"))); !emails[e] {
			emails[e] = true
			subs = append(subs, s)
			added = append(added, "subscriber "+e)
		}
	}
	if len(subs) > 0 {
		appendTo(root, "subscribers", subs)
	}

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&file); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	out, err := spec.Format(filename, b.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("the merged file would not be valid (nothing was written): %w", err)
	}
	return out, added, nil
}

// value returns the value of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// setValue replaces the value of key in m (removing the key when list is
// empty).
func setValue(m *yaml.Node, key string, list []*yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			if len(list) == 0 {
				m.Content = append(m.Content[:i], m.Content[i+2:]...)
				return
			}
			m.Content[i+1].Content = list
			return
		}
	}
}

// appendTo appends nodes to the sequence under key in m, creating it
// (before prune, where the export puts it) when absent.
func appendTo(m *yaml.Node, key string, nodes []*yaml.Node) {
	if seq := value(m, key); seq != nil && seq.Kind == yaml.SequenceNode {
		seq.Content = append(seq.Content, nodes...)
		if seq.Style&yaml.FlowStyle != 0 {
			// `components: [] # note` grows into a block list; the note
			// stays on the key's line.
			seq.Style &^= yaml.FlowStyle
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i+1] == seq && m.Content[i].LineComment == "" {
					m.Content[i].LineComment, seq.LineComment = seq.LineComment, ""
				}
			}
		}
		return
	}
	if seq := value(m, key); seq != nil { // `components:` with no value
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes}
		return
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes}
	at := len(m.Content)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "prune" {
			at = i
		}
	}
	m.Content = append(m.Content[:at], append([]*yaml.Node{k, seq}, m.Content[at:]...)...)
}

func items(seq *yaml.Node) []*yaml.Node {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	return seq.Content
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// Package export writes a live Cachet page as a YAML file in the spec
// format, so that a page kept by hand can be put under cachetsync: the plan
// of an exported file against the page it came from has no changes.
package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// SchemaURL is the JSON Schema named by the yaml-language-server modeline of
// an exported file.
const SchemaURL = "https://raw.githubusercontent.com/cachetsync/cachetsync/main/cachetsync.schema.json"

// Options control what Write includes.
type Options struct {
	// Subscribers includes the subscribers and their subscriptions. They are
	// personal data: leave them out of a file that many people read.
	Subscribers bool
	// AllFields writes every managed field, also those that hold Cachet's
	// defaults (an empty description or link, enabled: true), which are
	// otherwise left out and so not managed.
	AllFields bool
	// Warn, when set, is told of what the file cannot say as the page
	// does (a name holding control characters, written escaped).
	Warn func(message string)
}

// Write writes the live page as YAML in the spec format: a header comment
// with the yaml-language-server modeline, the groups and their components in
// page order (order, then id), the ungrouped components (group_id 0 or a
// group that does not exist), the subscribers (when o.Subscribers and they
// were read), and prune with everything false.
//
// Every component's name is written; its description and link when not
// empty and enabled when false (every one of them with o.AllFields); its
// tags when it has some and its meta when not empty; its status is not
// written (it is operational state, not configuration). A field left out is
// not managed, so the plan of the file still has no changes. Groups get visible
// (Cachet 2.4) and collapsed. A subscriber's components are written unless
// it is subscribed to every component.
//
// Write refuses a page where two groups or two components share a name: the
// file could not tell them apart.
func Write(w io.Writer, live *plan.Live, o Options) error {
	if err := checkDuplicates(live); err != nil {
		return err
	}
	caps := live.Capabilities()
	groups := slices.Clone(live.Groups)
	slices.SortFunc(groups, func(a, b plan.Group) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
	})
	byGroup := map[int][]plan.Component{}
	groupExists := map[int]bool{}
	for _, g := range groups {
		groupExists[g.ID] = true
	}
	var ungrouped []plan.Component
	for _, c := range live.Components {
		if groupExists[c.GroupID] {
			byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
		} else {
			ungrouped = append(ungrouped, c)
		}
	}
	byOrder := func(a, b plan.Component) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID)) }

	doc := mapping()
	if len(groups) > 0 {
		list := sequence()
		for _, g := range groups {
			gn := mapping()
			addName(gn, "group", g.ID, g.Name, caps, o.Warn)
			if g.HasVisibility && caps.GroupVisibility {
				add(gn, "visible", boolean(g.Visible == page.Public))
			}
			add(gn, "collapsed", str(g.Collapsed.String()))
			members := byGroup[g.ID]
			slices.SortFunc(members, byOrder)
			if len(members) > 0 {
				comps, err := components(members, caps, o.AllFields, o.Warn)
				if err != nil {
					return err
				}
				add(gn, "components", comps)
			}
			list.Content = append(list.Content, gn)
		}
		add(doc, "groups", list)
	}
	if len(ungrouped) > 0 {
		slices.SortFunc(ungrouped, byOrder)
		comps, err := components(ungrouped, caps, o.AllFields, o.Warn)
		if err != nil {
			return err
		}
		for i, c := range ungrouped {
			if c.GroupID != 0 {
				comps.Content[i].Content[1].LineComment = fmt.Sprintf("group_id %d: that group no longer exists", c.GroupID)
			}
		}
		add(doc, "components", comps)
	}
	if o.Subscribers && !live.SkippedSubscribers && len(live.Subscribers) > 0 {
		add(doc, "subscribers", subscribers(live))
	}
	prune := mapping()
	for _, k := range []string{"groups", "components", "subscribers"} {
		add(prune, k, boolean(false))
	}
	add(doc, "prune", prune)

	var b strings.Builder
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	_, err := w.Write(spec.SeparateSections([]byte(b.String())))
	return err
}

// header opens every exported file. List position is page order: the
// planner keeps the live order values as long as they rank the objects as
// the file lists them, so an export plans no change even on a page whose
// orders are all 0.
const header = "# yaml-language-server: $schema=" + SchemaURL + "\n" +
	"#\n" +
	"# Exported from the live Cachet page by `cachetsync export`.\n" +
	"# List position is the order on the page. A field left out is not managed.\n" +
	"# Component status is not exported: it is operational state that monitors\n" +
	"# and incidents change, not configuration. Add `status:` to manage it.\n" +
	"# prune is all false: nothing is deleted until you turn it on.\n"

// components builds the list of components, which are in page order.
func components(list []plan.Component, caps plan.Capabilities, allFields bool, warn func(string)) (*yaml.Node, error) {
	seq := sequence()
	for _, c := range list {
		n := mapping()
		addName(n, "component", c.ID, c.Name, caps, warn)
		if d := strings.TrimSpace(c.Description); d != "" || allFields {
			add(n, "description", text(d, caps))
		}
		if l := strings.TrimSpace(c.Link); l != "" || allFields {
			add(n, "link", text(l, caps))
		}
		if !c.Enabled || allFields {
			add(n, "enabled", boolean(c.Enabled))
		}
		if names := c.Tags; len(names) > 0 {
			tags := sequence()
			tags.Style = yaml.FlowStyle
			for _, t := range names {
				tags.Content = append(tags.Content, text(t, caps))
			}
			add(n, "tags", tags)
		}
		if len(c.Meta) > 0 && caps.ComponentMeta {
			var meta yaml.Node
			if err := meta.Encode(c.Meta); err != nil {
				return nil, fmt.Errorf("export: the meta of component %q: %w", c.Name, err)
			}
			add(n, "meta", &meta)
		}
		seq.Content = append(seq.Content, n)
	}
	return seq, nil
}

// WriteSubscribers writes only the subscribers of the live page, as a
// file to keep beside the one Write makes without them (a directory of
// *.yaml files is one spec): personal data can then live elsewhere, with
// other readers, or stay out of git.
func WriteSubscribers(w io.Writer, live *plan.Live) error {
	doc := mapping()
	add(doc, "subscribers", subscribers(live))
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=" + SchemaURL + "\n" +
		"#\n" +
		"# Subscribers exported from the live Cachet page by `cachetsync export`.\n" +
		"# They are personal data: keep this file where only the right people read it.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func subscribers(live *plan.Live) *yaml.Node {
	name := make(map[int]string, len(live.Components))
	for _, c := range live.Components {
		name[c.ID] = strings.TrimSpace(c.Name)
	}
	subs := slices.Clone(live.Subscribers)
	slices.SortFunc(subs, func(a, b plan.Subscriber) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email)), cmp.Compare(a.ID, b.ID))
	})
	seq := sequence()
	for _, s := range subs {
		n := mapping()
		email := str(strings.TrimSpace(s.Email))
		add(n, "email", email)
		seen := map[int]bool{}
		var names []string
		for _, sub := range s.Subscriptions {
			if nm, ok := name[sub.ComponentID]; ok && !seen[sub.ComponentID] {
				seen[sub.ComponentID] = true
				names = append(names, nm)
			}
		}
		switch {
		case len(names) == 0 && len(live.Components) > 0:
			// A file cannot say "none": left out, the set is not managed.
			email.LineComment = "subscribed to no component on the live page"
		case len(names) < len(live.Components):
			slices.Sort(names)
			list := sequence()
			list.Style = yaml.FlowStyle
			for _, nm := range names {
				list.Content = append(list.Content, str(nm))
			}
			add(n, "components", list)
		}
		seq.Content = append(seq.Content, n)
	}
	return seq
}

// checkDuplicates refuses live names that a file could not tell apart.
func checkDuplicates(live *plan.Live) error {
	var problems []string
	groups := map[string][]int{}
	for _, g := range live.Groups {
		n := strings.TrimSpace(g.Name)
		groups[n] = append(groups[n], g.ID)
	}
	comps := map[string][]int{}
	for _, c := range live.Components {
		n := strings.TrimSpace(c.Name)
		comps[n] = append(comps[n], c.ID)
	}
	report := func(kind string, m map[string][]int) {
		for n, ids := range m {
			if len(ids) > 1 {
				problems = append(problems, fmt.Sprintf("%d %ss are named %q (ids %s)", len(ids), kind, n, joinInts(ids)))
			}
		}
	}
	report("group", groups)
	report("component", comps)
	if len(problems) == 0 {
		return nil
	}
	slices.Sort(problems)
	return fmt.Errorf("export: names must be unique in a file, but on the live page %s; rename them in Cachet, then export again", strings.Join(problems, "; "))
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

func mapping() *yaml.Node  { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }
func sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

// str is a string scalar: the encoder quotes it when it would read back as
// another type, and multi-line text uses the literal block style. Words that
// YAML 1.1 tools read as booleans (yes, off...) are quoted too.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case yaml11Bools[s] || !readsBack(n):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// readsBack reports whether the scalar n, written as the encoder would
// write it, reads back as the same string: a defence against any plain
// scalar YAML would take for something else (a merge key, a null, a
// number, an alias), whatever the encoder's own rules.
func readsBack(n *yaml.Node) bool {
	out, err := yaml.Marshal(n)
	if err != nil {
		return false
	}
	var back yaml.Node
	if yaml.Unmarshal(out, &back) != nil || len(back.Content) != 1 {
		return false
	}
	v := back.Content[0]
	return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value == n.Value
}

var yaml11Bools = map[string]bool{}

func init() {
	for _, w := range []string{"y", "yes", "n", "no", "on", "off"} {
		yaml11Bools[w] = true
		yaml11Bools[strings.ToUpper(w)] = true
		yaml11Bools[strings.ToUpper(w[:1])+w[1:]] = true
	}
}

func boolean(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
}

func add(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
}

// Package spec is the desired state of a Cachet status page as a YAML file
// declares it: component groups, components, subscribers and the prune
// policy.
//
// Load and Parse read the YAML with line:column positions, check every
// value, and report all problems at once as Diagnostics. A Spec they return
// is valid: names are trimmed, non-blank and unique, enums are parsed, URLs
// and e-mails are well formed, and every subscriber reference names a
// declared component. Schema gives a JSON Schema of the file for editors.
//
// Anchors, aliases and merge keys (<<: *defaults) work as YAML defines them.
// Top-level keys starting with "x-" are ignored: a place to define anchors.
package spec

import (
	"fmt"

	"github.com/cachetsync/cachetsync/page"
)

// MaxNameLength is the longest name, tag or e-mail Cachet stores, in
// characters.
const MaxNameLength = 255

// Pos is a position in a YAML file. Line and Column start at 1; zero means
// unknown.
type Pos struct {
	File         string
	Line, Column int
}

// String returns "file:line:column", leaving out the parts that are unknown.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprint(p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// Spec is the desired state declared by one YAML file or a directory of them.
type Spec struct {
	Groups      []Group
	Components  []Component // components outside any group, in file order
	Subscribers []Subscriber
	Prune       Prune
}

// Group is a desired component group. List position is its order on the page.
type Group struct {
	Name       string          // trimmed
	Previously []string        // earlier names (trimmed)
	ID         int             // 0 = not pinned
	Visible    *bool           // nil = not managed (default public on create)
	Collapsed  *page.Collapsed // nil = not managed
	Components []Component
	Pos        Pos // position of the list item
}

// Component is a desired component. List position is its order in its group.
//
// Description, Link and Tags are trimmed, as Cachet trims its input. Meta
// holds JSON-compatible values only (nil, bool, float64, string, []any,
// map[string]any), the types encoding/json gives when it reads Cachet's meta,
// so a Meta compares equal to the live value it describes.
type Component struct {
	Name        string
	Previously  []string
	ID          int
	Description *string
	Link        *string // "" clears the link
	Enabled     *bool
	Tags        []string       // nil = not managed; non-nil empty = declared empty ([])
	Status      *page.Status   // nil = not managed
	Meta        map[string]any // nil = not managed
	Pos         Pos
}

// Subscriber is a desired subscriber, identified by its lower-cased e-mail.
type Subscriber struct {
	Email      string   // trimmed, as written
	Components []string // component names; nil = all components
	Pos        Pos
}

// Prune says which kinds of live objects that the spec does not declare are
// deleted. All are false by default.
type Prune struct{ Groups, Components, Subscribers bool }

// AllComponents returns the grouped components, in group order, then the
// ungrouped ones.
func (s *Spec) AllComponents() []Component {
	var all []Component
	for _, g := range s.Groups {
		all = append(all, g.Components...)
	}
	return append(all, s.Components...)
}

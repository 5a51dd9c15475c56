package export

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/internal/safetext"
	"github.com/cachetsync/cachetsync/plan"
)

// addName adds the name of a group or component to its mapping. A live name
// holding control characters (a tab, an escape code) cannot be declared:
// validate refuses them, and they would reach terminals. It is written
// escaped as text (a tab as the two characters \t), with its id pinned so
// that the plan renames that object rather than creating another, and warn
// is told.
func addName(m *yaml.Node, kind string, id int, name string, caps plan.Capabilities, warn func(string)) {
	name = strings.TrimSpace(name)
	escaped := safetext.Line(name)
	if escaped == name {
		add(m, "name", text(name, caps))
		return
	}
	n := str(escaped)
	n.LineComment = "the live name holds control characters, written escaped: the first apply renames it to this"
	add(m, "name", n)
	add(m, "id", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(id)})
	if warn != nil {
		warn(fmt.Sprintf("%s %d's name %s holds control characters; it is exported escaped, so the first apply renames it", kind, id, escaped))
	}
}

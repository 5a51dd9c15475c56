package export

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/plan"
)

// text is str for a live text. Cachet stores what its input filter makes of
// a text (package binput), and what it stored comes back unchanged when
// sent again, so the exported value plans no change; the rare live text
// the filter would still change (one stored before the filter, or one it
// does not leave stable, such as `a="b\c"`) gets a comment saying so: the
// first apply of the file rewrites it.
func text(s string, caps plan.Capabilities) *yaml.Node {
	n := str(s)
	if stored := caps.Input.Clean(s); stored != s {
		n.LineComment = fmt.Sprintf("Cachet would store this as %q if it were sent again: the first apply rewrites it", stored)
	}
	return n
}

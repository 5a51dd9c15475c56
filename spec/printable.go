package spec

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/internal/safetext"
)

// printable reports whether a multi-line text holds no control character
// but line breaks and tabs; otherwise it reports the first one with its
// line and column in the text. An ESC, OSC or BEL in a description would
// reach the terminals that show it (plans, diffs, Cachet's own pages).
func (p *parser) printable(n *yaml.Node, what, s string) bool {
	for i, r := range s {
		if r == '\n' || r == '\t' || !safetext.IsUnsafe(r) {
			continue
		}
		line := strings.Count(s[:i], "\n") + 1
		col := utf8.RuneCountInString(s[strings.LastIndexByte(s[:i], '\n')+1:i]) + 1
		p.errorf(n, "%s contains the control character %s at line %d, column %d of its text; remove it (only line breaks and tabs are allowed)",
			what, safetext.Escape(r), line, col)
		return false
	}
	return true
}

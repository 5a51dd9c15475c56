package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Diagnostic is one problem found in a spec, at a position.
type Diagnostic struct {
	Pos     Pos
	Message string
}

// String returns "file:line:column: message".
func (d Diagnostic) String() string {
	if p := d.Pos.String(); p != "" {
		return p + ": " + d.Message
	}
	return d.Message
}

// Diagnostics is every problem found in a spec. It implements error.
type Diagnostics []Diagnostic

// Error returns one "file:line:column: message" line per diagnostic, sorted
// by file, line and column.
func (d Diagnostics) Error() string {
	lines := make([]string, 0, len(d))
	for _, x := range d.sorted() {
		lines = append(lines, x.String())
	}
	return strings.Join(lines, "\n")
}

// GitHubAnnotations returns one GitHub Actions workflow command per
// diagnostic ("::error file=F,line=L,col=C::message"), each ending in a
// newline, so that a CI job shows the problems on the pull request's diff.
func (d Diagnostics) GitHubAnnotations() string { return d.GitHubCommands("error") }

// GitHubCommands is GitHubAnnotations with another command: "warning" or
// "notice".
func (d Diagnostics) GitHubCommands(command string) string {
	var b strings.Builder
	for _, x := range d.sorted() {
		var props []string
		if x.Pos.File != "" {
			props = append(props, "file="+escapeProperty(x.Pos.File))
		}
		if x.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", x.Pos.Line))
			if x.Pos.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", x.Pos.Column))
			}
		}
		b.WriteString("::" + command)
		if len(props) > 0 {
			b.WriteString(" " + strings.Join(props, ","))
		}
		b.WriteString("::" + escapeData(x.Message) + "\n")
	}
	return b.String()
}

// escapeData escapes a workflow command's message as the GitHub runner
// expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// sorted returns a copy sorted by file, line and column, keeping the order
// of diagnostics at the same position, with exact repeats removed.
func (d Diagnostics) sorted() Diagnostics {
	out := slices.Clone(d)
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
		)
	})
	// Exact repeats come from one anchored node reached through several
	// aliases.
	seen := make(map[Diagnostic]bool, len(out))
	return slices.DeleteFunc(out, func(x Diagnostic) bool {
		dup := seen[x]
		seen[x] = true
		return dup
	})
}

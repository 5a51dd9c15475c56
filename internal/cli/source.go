package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/cachetsync/cachetsync/spec"
)

// withSourceLines renders diagnostics one per line, as Diagnostics.Error
// does, each followed by the line of the file it points at and a caret
// under its column, as compilers do.
func withSourceLines(diags spec.Diagnostics) string {
	files := map[string][][]byte{}
	out := diags.Error() + "\n" // sorted, repeats removed
	byText := map[string]spec.Diagnostic{}
	for _, d := range diags {
		byText[d.String()] = d
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		b.WriteString(line)
		d, ok := byText[strings.TrimSuffix(line, "\n")]
		if !ok || d.Pos.Line < 1 || d.Pos.Column < 1 || d.Pos.File == "" {
			continue
		}
		lines, seen := files[d.Pos.File]
		if !seen {
			if data, err := os.ReadFile(d.Pos.File); err == nil {
				lines = bytes.Split(data, []byte("\n"))
			}
			files[d.Pos.File] = lines
		}
		if d.Pos.Line > len(lines) {
			continue
		}
		src := []rune(strings.TrimRight(string(lines[d.Pos.Line-1]), "\r"))
		if d.Pos.Column > len(src)+1 {
			continue
		}
		var caret strings.Builder
		for i, r := range src {
			if i >= d.Pos.Column-1 {
				break
			}
			if r == '\t' {
				caret.WriteRune('\t')
			} else {
				caret.WriteRune(' ')
			}
		}
		number := fmt.Sprint(d.Pos.Line)
		fmt.Fprintf(&b, "  %s | %s\n  %s | %s^\n", number, printable(src), strings.Repeat(" ", len(number)), caret.String())
	}
	return b.String()
}

// printable replaces control characters (an escape sequence in a file must
// not drive the terminal) with U+FFFD, one for one so that the caret stays
// in place; tabs are kept.
func printable(line []rune) string {
	out := make([]rune, len(line))
	for i, r := range line {
		if r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			r = '\uFFFD'
		}
		out[i] = r
	}
	return string(out)
}

// Package safetext makes text from a server or a file safe to print on a
// terminal: every control character is shown as a Go-style escape (\x1b,
// \t, \u202e) instead of being sent, so that an ESC, OSC or BEL sequence in
// a name, a description or an error body cannot recolour, hide, retitle or
// rewrite what the terminal shows.
//
// Escaped are the C0 controls (U+0000-U+001F), DEL, the C1 controls
// (U+0080-U+009F), the bidirectional overrides and isolates (U+202A-U+202E,
// U+2066-U+2069, which can reorder what is shown), U+2028/U+2029 and bytes
// that are not UTF-8.
package safetext

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// IsUnsafe reports whether r is escaped by Line.
func IsUnsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// Line returns s with every unsafe character escaped, line breaks included:
// the result is one line.
func Line(s string) string { return escape(s, false) }

// Text returns s with every unsafe character escaped except "\n", for
// formats that show text over several lines.
func Text(s string) string { return escape(s, true) }

// Find returns the byte offset and the rune of the first unsafe character
// of s, keeping "\n" when keepNewline; ok is false when there is none.
func Find(s string, keepNewline bool) (offset int, r rune, ok bool) {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i, c, true
			}
		}
		if IsUnsafe(c) && !(keepNewline && c == '\n') {
			return i, c, true
		}
	}
	return 0, 0, false
}

func escape(s string, keepNewline bool) string {
	if _, _, found := Find(s, keepNewline); !found {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewline:
			b.WriteByte('\n')
		case IsUnsafe(r):
			b.WriteString(Escape(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Escape returns the escape shown for the unsafe rune r: \t, \n, \r, \xHH
// for other ASCII controls, \uHHHH above.
func Escape(r rune) string {
	switch r {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Writer escapes what is written through it as Text does (line breaks are
// kept). Each Write should hold whole lines or at least whole characters.
type Writer struct{ W io.Writer }

// Write escapes p and writes it to the underlying writer. It reports
// len(p) on success.
func (w Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.W, Text(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

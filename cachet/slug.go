package cachet

import "strings"

// Slug returns the slug Cachet 2.4 gives a tag name: Laravel 5.7's
// Str::slug (app/Models/Tag.php:45 and :76). The name is transliterated to
// ASCII with Laravel's table (é→e, ß→ss, Ж→zh, ...; what has no entry, such
// as CJK or emoji, is dropped), "_" becomes "-", "@" becomes "-at-",
// everything but letters, digits, "-" and white space is removed, the rest
// is lower-cased, and runs of "-" and white space become one "-" with none
// at either end. Two names with the same slug are the same tag; a name of
// only CJK characters has an empty slug.
func Slug(name string) string { return slug(name, asciiTable57, true) }

// SlugV23 is Slug as Cachet v2.3.18 computes it (Laravel 5.2's Str::slug):
// a different transliteration table (ü→ue, ä→ae, @→at) and no "-at-".
func SlugV23(name string) string { return slug(name, asciiTable52, false) }

// slug is Str::slug($title, '-') (src/Illuminate/Support/Str.php, 5.7.29
// :418-437, 5.2.39 :362-378).
func slug(title string, table []string, atWord bool) string {
	title = strAscii(title, table)
	title = collapse(title, func(c byte) bool { return c == '_' }, "-")
	if atWord {
		title = strings.ReplaceAll(title, "@", "-at-")
	}
	// Only printable ASCII is left: \pL and \pN are ASCII letters and digits.
	var b strings.Builder
	for i := 0; i < len(title); i++ {
		c := title[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == ' ':
			b.WriteByte(c)
		}
	}
	title = collapse(b.String(), func(c byte) bool { return c == '-' || c == ' ' }, "-")
	return strings.Trim(title, "-")
}

// strAscii is Str::ascii for the "en" language: each table entry replaced
// in order, then every character outside \x20-\x7E removed.
func strAscii(s string, table []string) string {
	if needsTable(s, table) {
		for i := 0; i < len(table); i += 2 {
			if strings.Contains(s, table[i]) {
				s = strings.ReplaceAll(s, table[i], table[i+1])
			}
		}
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r <= 0x7e {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsTable reports whether a table entry can occur in s: always when s
// has non-ASCII text, else only for the table's ASCII entries (5.2 has "@").
func needsTable(s string, table []string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	for i := 0; i < len(table); i += 2 {
		if table[i][0] < 0x80 && strings.Contains(s, table[i]) {
			return true
		}
	}
	return false
}

// collapse replaces each run of bytes matching in by with.
func collapse(s string, in func(byte) bool, with string) string {
	var b strings.Builder
	run := false
	for i := 0; i < len(s); i++ {
		if in(s[i]) {
			if !run {
				b.WriteString(with)
			}
			run = true
			continue
		}
		run = false
		b.WriteByte(s[i])
	}
	return b.String()
}

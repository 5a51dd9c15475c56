// Package enum names and parses small numbered enumerations (a component
// status, a group's collapse mode) the way both the client and the file
// format accept them: a name, case-insensitive, with spaces or
// underscores for dashes, or the number itself.
package enum

import (
	"fmt"
	"strconv"
	"strings"
)

// Name returns names[n], or n in digits when it is out of range.
func Name(names []string, n int) string {
	if n >= 0 && n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}

// Parse matches s against names case-insensitively, treating spaces and
// underscores as dashes, or reads it as a number within range; what names
// the enumeration in errors ("component status").
func Parse(what, s string, names []string) (int, error) {
	key := strings.ToLower(strings.TrimSpace(s))
	key = strings.NewReplacer(" ", "-", "_", "-").Replace(key)
	if n, err := strconv.Atoi(key); err == nil {
		if n >= 0 && n < len(names) {
			return n, nil
		}
		return 0, fmt.Errorf("%s %d is out of range 0–%d", what, n, len(names)-1)
	}
	for i, name := range names {
		if key == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %s, or 0–%d)", what, s, strings.Join(names, ", "), len(names)-1)
}

package apply

import (
	"strings"

	"github.com/cachetsync/cachetsync/cachet/binput"
)

// Cachet stores what its input filter makes of a name (package binput:
// "a<b" is stored as "a&lt;b"), so a live object is found by the file's
// name or by what Cachet 2.4 or 2.3 stores of it.

// sameName reports whether a live name is what Cachet stored of name.
func sameName(live, name string) bool {
	live = strings.TrimSpace(live)
	return live == name || live == binput.V24.Clean(name) || live == binput.V23.Clean(name)
}

// byStoredName maps each of names, and what Cachet stores of it, to the
// name as the file has it.
func byStoredName(names []string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[binput.V23.Clean(n)] = n
		m[binput.V24.Clean(n)] = n
	}
	for _, n := range names {
		m[n] = n
	}
	return m
}

package cli

import "fmt"

// countOf is n followed by noun, in the plural unless n is 1: "1 group",
// "0 groups", "2 components".
func countOf(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

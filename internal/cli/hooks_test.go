package cli

// SetParseHook makes plan call hook just before it parses the file, and
// returns a function that removes it (for tests in package cli_test).
func SetParseHook(hook func()) (restore func()) {
	parseHook = hook
	return func() { parseHook = nil }
}

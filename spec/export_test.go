package spec

// Internals that the external tests (package spec_test, which may import
// internal/benchpage) reach.
var (
	FastDecode          = fastDecode
	ResolvesByFirstByte = resolvesByFirstByte
)

// ParseWith runs Parse with the fast YAML path on or off.
func ParseWith(fast bool, filename string, data []byte) (*Spec, error) {
	defer func(was bool) { fastYAMLEnabled = was }(fastYAMLEnabled)
	fastYAMLEnabled = fast
	return Parse(filename, data)
}

// Package examples embeds the example files, so that `cachetsync demo` and
// the tests use exactly what the repository shows.
package examples

import _ "embed"

// StatusYAML is examples/status.yaml.
//
//go:embed status.yaml
var StatusYAML []byte

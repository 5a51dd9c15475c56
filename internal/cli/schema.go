package cli

import "github.com/cachetsync/cachetsync/spec"

// SchemaCmd is `cachetsync schema`.
type SchemaCmd struct{}

// Run prints the JSON Schema of the YAML file.
func (cmd *SchemaCmd) Run(g *Globals) error {
	_, err := g.env.Stdout.Write(spec.Schema())
	return err
}

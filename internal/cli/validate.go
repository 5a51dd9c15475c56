package cli

import "fmt"

// ValidateCmd is `cachetsync validate`: offline, no API call at all.
type ValidateCmd struct {
	File string `short:"f" help:"YAML file, or directory of *.yaml files." required:"" type:"path" placeholder:"PATH"`
}

// Run loads and validates the file.
func (cmd *ValidateCmd) Run(g *Globals) error {
	s, err := g.loadSpec(cmd.File)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.env.Stdout, "%s is valid: %d groups, %d components, %d subscribers.\n",
		cmd.File, len(s.Groups), len(s.AllComponents()), len(s.Subscribers))
	return nil
}

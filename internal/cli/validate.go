package cli

import "fmt"

// ValidateCmd is `cachetsync validate`: offline, no API call at all.
type ValidateCmd struct {
	FileArgs
}

// Run loads and validates the file.
func (cmd *ValidateCmd) Run(g *Globals) error {
	file, err := cmd.resolve(g)
	if err != nil {
		return err
	}
	s, err := g.loadSpec(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.env.Stdout, "%s is valid: %d groups, %d components, %d subscribers.\n",
		file, len(s.Groups), len(s.AllComponents()), len(s.Subscribers))
	return nil
}

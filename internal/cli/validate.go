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
	fmt.Fprintf(g.env.Stdout, "%s is valid: %s, %s, %s.\n",
		file, countOf(len(s.Groups), "group"), countOf(len(s.AllComponents()), "component"), countOf(len(s.Subscribers), "subscriber"))
	return nil
}

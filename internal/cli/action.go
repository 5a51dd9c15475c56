package cli

// ActionCmd is the hidden `cachetsync action`, run by action.yml.
type ActionCmd struct{}

// Run is not written yet.
func (cmd *ActionCmd) Run(g *Globals) error { return nil }

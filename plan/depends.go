package plan

// Dependency is something on the live page a plan was computed from: one
// object, only some of whose fields may matter (the managed ones), a
// subscriber by e-mail (present or absent), or the set of ids of a kind the
// plan creates objects in or prunes.
type Dependency struct {
	Kind Kind `json:"kind"`
	// ID is the live object's id (0 with Email or IDSet).
	ID int `json:"id,omitempty"`
	// Email names a subscriber by its lower-cased address, whether it
	// exists or not.
	Email string `json:"email,omitempty"`
	// Fields are the fields whose values the plan relied on; none: only
	// that the object exists.
	Fields []string `json:"fields,omitempty"`
	// IDSet: the set of ids of Kind (an object created or deleted since
	// would be duplicated or missed).
	IDSet bool `json:"id_set,omitempty"`
}

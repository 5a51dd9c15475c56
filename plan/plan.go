// Package plan turns a desired spec and the live state of a Cachet page into
// a Plan: the ordered list of operations that make the page match the file.
// Computing a plan does no I/O; reading the live state and rendering the plan
// are separate steps: package render shows a plan as text, Markdown or JSON,
// and package planfile saves it for a later apply.
package plan

import (
	"github.com/cachetsync/cachetsync/page"
)

// Kind is the kind of object an operation touches.
type Kind string

// Object kinds.
const (
	KindGroup      Kind = "group"
	KindComponent  Kind = "component"
	KindSubscriber Kind = "subscriber"
)

// Action is what an operation does to its object.
type Action string

// Actions, in the symbols the text plan uses: + create, ~ update, - delete,
// -/+ replace (delete then create again).
const (
	Create  Action = "create"
	Update  Action = "update"
	Delete  Action = "delete"
	Replace Action = "replace"
)

// Symbol returns the one-glyph marker of the action in rendered plans.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case Replace:
		return "-/+"
	}
	return "?"
}

// Step is a stage of apply; every operation of a step may run in parallel and
// all of them start after the previous step finished.
type Step int

// Apply steps in execution order.
const (
	StepGroups           Step = 1 // group creates and updates
	StepComponents       Step = 2 // component creates, updates and moves
	StepSubscribers      Step = 3 // subscriber creates, re-creates, subscription removals, subscriber deletes
	StepComponentDeletes Step = 4
	StepGroupDeletes     Step = 5
)

// Change is one managed field whose live value differs from the file.
// Before is nil on a create, After on a delete.
type Change struct {
	Field  string `json:"field"`
	Before *Value `json:"before"`
	After  *Value `json:"after"`
}

// Op is one operation of a plan: what it does, to which object, which fields
// change, and the exact request payload apply will send.
type Op struct {
	Step     Step     `json:"step"`
	Kind     Kind     `json:"kind"`
	Action   Action   `json:"action"`
	Key      string   `json:"key"`          // name, or lower-cased e-mail
	ID       int      `json:"id,omitempty"` // live id; 0 for a create
	Changes  []Change `json:"changes,omitempty"`
	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Exposes names the components this operation makes public that were
	// hidden (a warning says how). Deleting a hidden group that exposes
	// components is refused unless allowed.
	Exposes []string `json:"exposes,omitempty"`

	Group      *GroupWrite      `json:"group,omitempty"`
	Component  *ComponentWrite  `json:"component,omitempty"`
	Subscriber *SubscriberWrite `json:"subscriber,omitempty"`
}

// GroupWrite is the payload of a group create or update: all four fields are
// always sent because Cachet resets the omitted ones.
type GroupWrite struct {
	Name      string          `json:"name"`
	Order     int             `json:"order"`
	Collapsed page.Collapsed  `json:"collapsed"`
	Visible   page.Visibility `json:"visible"`
	// OrderColumn, when set, is sent as the group's order_column (Cachet
	// 3.x: "manual" makes the components' order show).
	OrderColumn string `json:"order_column,omitempty"`
}

// ComponentWrite is the payload of a component create or update: only the
// fields set here are sent. When Group names a group created by the same
// apply, its id is filled in at apply time.
type ComponentWrite struct {
	Name        *string        `json:"name,omitempty"`
	Description *string        `json:"description,omitempty"`
	Link        *string        `json:"link,omitempty"`
	Status      *page.Status   `json:"status,omitempty"`
	Order       *int           `json:"order,omitempty"`
	GroupID     *int           `json:"group_id,omitempty"`
	Group       string         `json:"group,omitempty"` // new group, resolved at apply time
	Enabled     *bool          `json:"enabled,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Meta        map[string]any `json:"meta"` // nil: not sent; empty: cleared
	Silent      bool           `json:"silent,omitempty"`
}

// ComponentRef names a component by name and, when it exists already, id.
type ComponentRef struct {
	Name string `json:"name"`
	ID   int    `json:"id,omitempty"` // 0: created by this apply, resolved by name
}

// SubscriberWrite is the payload of a subscriber operation.
type SubscriberWrite struct {
	Email string `json:"email"`
	// Components to subscribe to on create or re-create; nil means every
	// component.
	Components []ComponentRef `json:"components"`
	// RemoveSubscriptions are subscription ids to delete (an update).
	RemoveSubscriptions []int `json:"remove_subscriptions,omitempty"`
	// InPlace: the update sets the subscriber's components to Components
	// (a server whose subscribers can be updated in place).
	InPlace bool `json:"in_place,omitempty"`
}

// Plan is the result of Compute: operations in apply order and what the
// planner noticed but will not act on.
type Plan struct {
	Ops      []Op     `json:"operations"`
	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// ExistingGroups and ExistingComponents are the ids the plan was
	// computed from. After a create with an unknown outcome, apply looks
	// the object up by name and must not mistake one of these (say, a
	// group being renamed away from that name) for the one it created.
	ExistingGroups     []int `json:"existing_groups,omitempty"`
	ExistingComponents []int `json:"existing_components,omitempty"`
	// Depends is what on the live page the plan relies on; a saved plan
	// fingerprints exactly these.
	Depends []Dependency `json:"-"`
}

// Summary counts a plan's operations by action. A replace counts as one
// create and one delete, as in Terraform.
type Summary struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
}

// Summary counts the plan's operations.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, op := range p.Ops {
		switch op.Action {
		case Create:
			s.Create++
		case Update:
			s.Update++
		case Delete:
			s.Delete++
		case Replace:
			s.Create++
			s.Delete++
		}
	}
	return s
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Ops) == 0 }

// Deletes counts the objects the plan deletes, replaced subscribers
// included: a replace deletes the subscriber first, and if the create
// that follows fails, it stays deleted.
func (p *Plan) Deletes() int { return p.Summary().Delete }

// ExposingGroupDeletes returns the deletes of hidden groups whose enabled
// components Cachet would make public.
func (p *Plan) ExposingGroupDeletes() []Op {
	var out []Op
	for _, op := range p.Ops {
		if op.Kind == KindGroup && op.Action == Delete && len(op.Exposes) > 0 {
			out = append(out, op)
		}
	}
	return out
}

package render

import (
	"encoding/json"
	"github.com/cachetsync/cachetsync/plan"
	"io"
)

// JSONFormatVersion is the version of the document JSON writes. The
// minor number grows when fields are added; the major number when a field
// changes meaning or goes away.
const JSONFormatVersion = "1.1"

// JSON writes the plan as a versioned JSON document for programs (CI
// checks, bots, dashboards). It is written from the Plan as Compute returned
// it and derives nothing. E-mails are not masked. A plan saved by `plan
// --out` is the same document with a "saved" member added.
// docs/plan-json.md describes the format; in short:
//
//	{
//	  "format_version": "1.1",          // JSONFormatVersion
//	  "summary": {"create": 1, "update": 2, "delete": 0},
//	                                    // a replace counts as a create and a delete
//	  "changes_present": true,          // false exactly when "operations" is empty
//	  "operations": [                   // in apply order
//	    {
//	      "step": 2,                    // apply step, 1-5: operations of one step run in parallel
//	      "kind": "component",          // group | component | subscriber
//	      "action": "update",           // create | update | delete | replace
//	      "key": "API",                 // name; lower-cased e-mail for a subscriber
//	      "id": 12,                     // live id; null for a create
//	      "changes": [                  // the managed fields that differ
//	        {"field": "link", "before": "https://old.example.com", "after": "https://api.example.com"}
//	      ],                            // before is null on a create, after is null on a delete
//	      "notes": [],                  // always arrays, possibly empty
//	      "warnings": [],
//	      "component": {...}            // the request apply sends (group, component or subscriber)
//	    }
//	  ],
//	  "notes": [],                      // plan-wide: what was noticed and left alone
//	  "warnings": []
//	}
//
// A value is a string, number, boolean, array of strings, object (meta), or
// null. The labels "(ungrouped)" (a group change) and "(all)" (a
// subscriber's components) are strings.
func JSON(w io.Writer, p *plan.Plan) error { return EncodeJSON(w, NewDocument(p)) }

// Document is the JSON document JSON writes. A saved plan (package
// planfile) embeds it and adds its "saved" member after these.
type Document struct {
	FormatVersion  string       `json:"format_version"`
	Summary        plan.Summary `json:"summary"`
	ChangesPresent bool         `json:"changes_present"`
	Operations     []DocumentOp `json:"operations"`
	Notes          []string     `json:"notes"`
	Warnings       []string     `json:"warnings"`
}

// DocumentOp is one operation of a Document.
type DocumentOp struct {
	Step       int                   `json:"step"`
	Kind       string                `json:"kind"`
	Action     string                `json:"action"`
	Key        string                `json:"key"`
	ID         *int                  `json:"id"`
	Changes    []plan.Change         `json:"changes"`
	Notes      []string              `json:"notes"`
	Warnings   []string              `json:"warnings"`
	Exposes    []string              `json:"exposes,omitempty"`
	Group      *plan.GroupWrite      `json:"group,omitempty"`
	Component  *plan.ComponentWrite  `json:"component,omitempty"`
	Subscriber *plan.SubscriberWrite `json:"subscriber,omitempty"`
}

// NewDocument builds the JSON document of p, deriving nothing: absent ids
// become null and absent lists empty arrays.
func NewDocument(p *plan.Plan) Document {
	doc := Document{
		FormatVersion:  JSONFormatVersion,
		Summary:        p.Summary(),
		ChangesPresent: !p.Empty(),
		Operations:     make([]DocumentOp, 0, len(p.Ops)),
		Notes:          nonNil(p.Notes),
		Warnings:       nonNil(p.Warnings),
	}
	for _, op := range p.Ops {
		jo := DocumentOp{
			Step:       int(op.Step),
			Kind:       string(op.Kind),
			Action:     string(op.Action),
			Key:        op.Key,
			Changes:    make([]plan.Change, 0, len(op.Changes)),
			Notes:      nonNil(op.Notes),
			Warnings:   nonNil(op.Warnings),
			Exposes:    op.Exposes,
			Group:      op.Group,
			Component:  op.Component,
			Subscriber: op.Subscriber,
		}
		if op.ID != 0 {
			jo.ID = &op.ID
		}
		jo.Changes = append(jo.Changes, op.Changes...)
		doc.Operations = append(doc.Operations, jo)
	}
	return doc
}

// EncodeJSON writes v as JSON writes a plan: indented by two spaces, with
// '<', '>' and '&' left as they are.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

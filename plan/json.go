package plan

import (
	"encoding/json"
	"io"
)

// JSONFormatVersion is the version of the document RenderJSON writes. The
// minor number grows when fields are added; the major number when a field
// changes meaning or goes away.
const JSONFormatVersion = "1.1"

// RenderJSON writes the plan as a versioned JSON document for programs (CI
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
func RenderJSON(w io.Writer, p *Plan) error { return writeDocument(w, p, nil) }

func writeDocument(w io.Writer, p *Plan, saved *SavedInfo) error {
	doc := jsonPlan{
		FormatVersion:  JSONFormatVersion,
		Summary:        p.Summary(),
		ChangesPresent: !p.Empty(),
		Operations:     make([]jsonOp, 0, len(p.Ops)),
		Notes:          nonNil(p.Notes),
		Warnings:       nonNil(p.Warnings),
		Saved:          saved,
	}
	for _, op := range p.Ops {
		jo := jsonOp{
			Step:       int(op.Step),
			Kind:       string(op.Kind),
			Action:     string(op.Action),
			Key:        op.Key,
			Changes:    make([]jsonChange, 0, len(op.Changes)),
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
		for _, c := range op.Changes {
			jo.Changes = append(jo.Changes, jsonChange(c))
		}
		doc.Operations = append(doc.Operations, jo)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

type jsonPlan struct {
	FormatVersion  string     `json:"format_version"`
	Summary        Summary    `json:"summary"`
	ChangesPresent bool       `json:"changes_present"`
	Operations     []jsonOp   `json:"operations"`
	Notes          []string   `json:"notes"`
	Warnings       []string   `json:"warnings"`
	Saved          *SavedInfo `json:"saved,omitempty"`
}

type jsonOp struct {
	Step       int              `json:"step"`
	Kind       string           `json:"kind"`
	Action     string           `json:"action"`
	Key        string           `json:"key"`
	ID         *int             `json:"id"`
	Changes    []jsonChange     `json:"changes"`
	Notes      []string         `json:"notes"`
	Warnings   []string         `json:"warnings"`
	Exposes    []string         `json:"exposes,omitempty"`
	Group      *GroupWrite      `json:"group,omitempty"`
	Component  *ComponentWrite  `json:"component,omitempty"`
	Subscriber *SubscriberWrite `json:"subscriber,omitempty"`
}

type jsonChange struct {
	Field  string `json:"field"`
	Before *Value `json:"before"`
	After  *Value `json:"after"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

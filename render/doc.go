// Package render shows a plan (package plan) to people and programs: Text
// in the style of Terraform for terminals, Markdown for pull-request
// comments and job summaries (bounded in size), and JSON, a versioned
// document described in docs/plan-json.md. Renderers read the plan model
// only; they derive nothing and know no API.
package render

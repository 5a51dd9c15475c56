package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cachetsync/cachetsync/page"
)

// SchemaID is the $id of the JSON Schema that Schema returns.
const SchemaID = "https://github.com/cachetsync/cachetsync/spec/cachetsync.schema.json"

// field is one key that an object of the YAML file accepts. The parser's
// "valid keys" lists and the JSON Schema are both built from these tables,
// and a test checks them against the Go types, so the three cannot drift.
type field struct {
	key    string
	schema object // with a description
}

// object is a JSON object that keeps its keys in the order written.
type object []member

type member struct {
	key   string
	value any
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, fmt.Errorf("schema key %q: %w", m.key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func keys(fields []field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.key
	}
	return out
}

func nameSchema(description string) object {
	return object{
		{"type", "string"},
		{"description", description},
		{"minLength", 1},
		{"maxLength", MaxNameLength},
		{"pattern", `\S`},
	}
}

func previouslySchema(what string) object {
	return object{
		{"type", "array"},
		{"description", "Earlier names of this " + what + ": a live " + what + " found under one of them is renamed, keeping its id."},
		{"items", nameSchema("An earlier name.")},
		{"uniqueItems", true},
	}
}

func idSchema(what string) object {
	return object{
		{"type", "integer"},
		{"description", "Pins this " + what + " to the live " + what + " with this id, whatever its name."},
		{"minimum", 1},
	}
}

// enumSchema accepts the names, then the numbers 0..len(names)-1.
func enumSchema(description string, names []string) object {
	var values []any
	for _, n := range names {
		values = append(values, n)
	}
	for i := range names {
		values = append(values, i)
	}
	return object{
		{"description", fmt.Sprintf("%s: %s (or 0–%d).", description, strings.Join(names, ", "), len(names)-1)},
		{"enum", values},
	}
}

func listOf(ref, description string) object {
	return object{
		{"type", []string{"array", "null"}},
		{"description", description},
		{"items", object{{"$ref", "#/$defs/" + ref}}},
	}
}

func typed(typ, description string) object {
	return object{{"type", typ}, {"description", description}}
}

var topFields = []field{
	{"groups", listOf("group", "Component groups. List position is the group's order on the page.")},
	{"components", listOf("component", "Components outside any group.")},
	{"subscribers", listOf("subscriber", "Subscribers, identified by e-mail (compared case-insensitively).")},
	{"prune", object{{"$ref", "#/$defs/prune"}, {"description", "Which live objects that the file does not declare are deleted. Declared in one file at most."}}},
}

var groupFields = []field{
	{"name", nameSchema("The group's name, unique among groups.")},
	{"previously", previouslySchema("group")},
	{"id", idSchema("group")},
	{"visible", typed("boolean", "Public (true) or for logged-in users only (false). Not managed when absent; public on create.")},
	{"collapsed", enumSchema("How the group is shown; not managed when absent", page.CollapsedNames())},
	{"components", listOf("component", "The group's components. List position is the order in the group.")},
}

var componentFields = []field{
	{"name", nameSchema("The component's name, unique across all files, grouped and ungrouped.")},
	{"previously", previouslySchema("component")},
	{"id", idSchema("component")},
	{"description", typed("string", "The component's description. Not managed when absent.")},
	{"link", append(typed("string", `An absolute http or https URL, or "" to clear it. Not managed when absent.`),
		member{"pattern", `^(|[hH][tT][tT][pP][sS]?://\S+)$`})},
	{"enabled", typed("boolean", "Whether the component is enabled. Not managed when absent.")},
	{"tags", append(typed("array", "Tag names, unique by slug, without commas. Not managed when absent."),
		member{"items", object{
			{"type", "string"},
			{"minLength", 1},
			{"maxLength", MaxNameLength},
			{"pattern", `^[^,]*[a-zA-Z0-9][^,]*$`},
		}},
		member{"uniqueItems", true})},
	{"status", enumSchema("Operational status; managed only when present", page.StatusNames())},
	{"meta", typed("object", "Component meta (Cachet 2.4), replaced as a whole. Not managed when absent.")},
}

var subscriberFields = []field{
	{"email", append(typed("string", "A bare e-mail address such as oncall@example.com, unique (compared case-insensitively)."),
		member{"format", "email"},
		member{"maxLength", MaxNameLength})},
	{"components", append(typed("array", "Names of components the file declares. Omit it to subscribe to all components."),
		member{"items", nameSchema("A component name.")},
		member{"minItems", 1},
		member{"uniqueItems", true})},
}

var pruneFields = []field{
	{"groups", boolSchema("Delete live groups that the file does not declare.")},
	{"components", boolSchema("Delete live components that the file does not declare.")},
	{"subscribers", boolSchema("Delete live subscribers that the file does not declare.")},
}

// nullable lets an object schema also accept null (an empty YAML value).
func nullable(o object) object {
	o[0] = member{"type", []string{"object", "null"}}
	return o
}

func boolSchema(description string) object {
	return object{{"type", "boolean"}, {"description", description}, {"default", false}}
}

func objectSchema(description string, fields []field, required ...string) object {
	props := make(object, 0, len(fields))
	for _, f := range fields {
		props = append(props, member{f.key, f.schema})
	}
	o := object{{"type", "object"}, {"description", description}}
	if len(required) > 0 {
		o = append(o, member{"required", required})
	}
	return append(o, member{"properties", props}, member{"additionalProperties", false})
}

// Schema returns a JSON Schema (draft 2020-12) of the YAML file,
// pretty-printed, for editors and CI linters.
func Schema() []byte {
	top := objectSchema("The desired state of a Cachet status page, for cachetsync.", topFields)
	// Keys starting with x- are ignored: a place to define YAML anchors.
	top = append(top[:len(top)-1],
		member{"patternProperties", object{{"^x-", object{{"description", "Ignored; a place for YAML anchors."}}}}},
		top[len(top)-1])
	doc := object{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", SchemaID},
		{"title", "cachetsync desired state"},
	}
	doc = append(doc, top...)
	doc = append(doc, member{"$defs", object{
		{"group", objectSchema("A component group.", groupFields, "name")},
		{"component", objectSchema("A component.", componentFields, "name")},
		{"subscriber", objectSchema("A subscriber.", subscriberFields, "email")},
		{"prune", nullable(objectSchema("Which kinds of live objects the file does not declare are deleted; all false by default.", pruneFields))},
	}})
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("spec: schema: " + err.Error()) // static data: a bug
	}
	return append(out, '\n')
}

package spec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/page"
	"github.com/google/go-cmp/cmp"
)

func decodeSchema(t *testing.T) map[string]any {
	t.Helper()
	raw := Schema()
	if !json.Valid(raw) {
		t.Fatalf("Schema() is not valid JSON:\n%s", raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// goKeys returns the YAML keys of a Go type's fields: the lower-cased field
// names, without Pos.
func goKeys(v any) []string {
	var out []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		if name := typ.Field(i).Name; name != "Pos" {
			out = append(out, strings.ToLower(name))
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestSchemaMatchesTypes walks the schema's objects and checks that their
// properties are exactly the Go types' fields and the keys the parser
// accepts, each described, with no other property allowed.
func TestSchemaMatchesTypes(t *testing.T) {
	doc := decodeSchema(t)
	if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", got)
	}
	defs, _ := doc["$defs"].(map[string]any)
	for _, tc := range []struct {
		name   string
		schema any
		goType any
		fields []field
	}{
		{"top level", doc, Spec{}, topFields},
		{"group", defs["group"], Group{}, groupFields},
		{"component", defs["component"], Component{}, componentFields},
		{"subscriber", defs["subscriber"], Subscriber{}, subscriberFields},
		{"prune", defs["prune"], Prune{}, pruneFields},
	} {
		obj, ok := tc.schema.(map[string]any)
		if !ok {
			t.Errorf("%s: no schema object", tc.name)
			continue
		}
		props, _ := obj["properties"].(map[string]any)
		if diff := cmp.Diff(sorted(goKeys(tc.goType)), sortedKeys(props)); diff != "" {
			t.Errorf("%s: schema properties differ from the Go fields of %T (-go +schema):\n%s", tc.name, tc.goType, diff)
		}
		if diff := cmp.Diff(sorted(keys(tc.fields)), sortedKeys(props)); diff != "" {
			t.Errorf("%s: schema properties differ from the parser's keys (-parser +schema):\n%s", tc.name, diff)
		}
		if obj["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties = %v, want false", tc.name, obj["additionalProperties"])
		}
		if d, _ := obj["description"].(string); d == "" {
			t.Errorf("%s: no description", tc.name)
		}
		for k, v := range props {
			if d, _ := v.(map[string]any)["description"].(string); d == "" {
				t.Errorf("%s.%s: no description", tc.name, k)
			}
		}
	}

	enum := func(def, prop string) []any {
		p := defs[def].(map[string]any)["properties"].(map[string]any)[prop].(map[string]any)
		return p["enum"].([]any)
	}
	wantEnum := func(names []string) []any {
		var out []any
		for _, n := range names {
			out = append(out, n)
		}
		for i := range names {
			out = append(out, float64(i))
		}
		return out
	}
	if diff := cmp.Diff(wantEnum(page.StatusNames()), enum("component", "status")); diff != "" {
		t.Errorf("status enum (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantEnum(page.CollapsedNames()), enum("group", "collapsed")); diff != "" {
		t.Errorf("collapsed enum (-want +got):\n%s", diff)
	}
}

// TestSchemaRefsResolve checks that every $ref names a definition.
func TestSchemaRefsResolve(t *testing.T) {
	doc := decodeSchema(t)
	defs, _ := doc["$defs"].(map[string]any)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name, found := strings.CutPrefix(ref, "#/$defs/")
				if _, ok := defs[name]; !found || !ok {
					t.Errorf("%s: $ref %q does not resolve", path, ref)
				}
			}
			for k, x := range v {
				walk(path+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", path, i), x)
			}
		}
	}
	walk("#", doc)
}

// TestParserAcceptsEveryKey parses each key of each table with a valid
// value: a key in a table but not handled by the parser fails here.
func TestParserAcceptsEveryKey(t *testing.T) {
	samples := map[string]string{
		"name": "X", "previously": "[Old]", "id": "1", "visible": "true", "collapsed": "open",
		"components": "[]", "description": "d", "link": "https://example.com", "enabled": "false",
		"tags": "[t]", "status": "operational", "meta": "{k: v}", "email": "a@example.com",
	}
	wrap := map[string]func(k, v string) string{
		"top level": func(k, v string) string {
			return k + ": ~\n"
		},
		"group": func(k, v string) string {
			if k == "name" {
				return "groups:\n  - name: " + v + "\n"
			}
			return "groups:\n  - name: G\n    " + k + ": " + v + "\n"
		},
		"component": func(k, v string) string {
			if k == "name" {
				return "components:\n  - name: " + v + "\n"
			}
			return "components:\n  - name: C\n    " + k + ": " + v + "\n"
		},
		"subscriber": func(k, v string) string {
			if k == "email" {
				return "subscribers:\n  - email: " + v + "\n"
			}
			if k == "components" {
				v = "[C]"
			}
			return "components: [{name: C}]\nsubscribers:\n  - email: s@example.com\n    " + k + ": " + v + "\n"
		},
		"prune": func(k, _ string) string {
			return "prune:\n  " + k + ": true\n"
		},
	}
	for _, kind := range []struct {
		name   string
		fields []field
	}{
		{"top level", topFields}, {"group", groupFields}, {"component", componentFields},
		{"subscriber", subscriberFields}, {"prune", pruneFields},
	} {
		for _, k := range keys(kind.fields) {
			v, ok := samples[k]
			if !ok && kind.name != "top level" && kind.name != "prune" {
				t.Errorf("no sample value for key %q", k)
				continue
			}
			src := wrap[kind.name](k, v)
			if _, err := Parse("k.yaml", []byte(src)); err != nil {
				t.Errorf("%s key %q:\n%s\nwant no error for\n%s", kind.name, k, err, src)
			}
		}
	}
}

func TestSchemaIsStable(t *testing.T) {
	if a, b := Schema(), Schema(); string(a) != string(b) {
		t.Error("Schema() differs between calls")
	}
	if s := Schema(); !strings.HasSuffix(string(s), "}\n") || !strings.Contains(string(s), "\n  \"$defs\": {") {
		t.Errorf("Schema() is not pretty-printed:\n%.200s", s)
	}
}

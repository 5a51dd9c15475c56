package examples

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/spec"
)

const rootSchema = "../cachetsync.schema.json"

// TestRootSchemaIsCurrent: the schema file at the repository root, which
// editors fetch, is exactly what `cachetsync schema` prints.
func TestRootSchemaIsCurrent(t *testing.T) {
	data, err := os.ReadFile(rootSchema)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, spec.Schema()) {
		t.Fatalf("cachetsync.schema.json differs from spec.Schema(); regenerate it with: go run . schema > cachetsync.schema.json")
	}
}

// exampleFiles lists every example spec: examples/*.yaml and the files of
// examples/multi-file.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yaml", "multi-file/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d example files: %v", len(files), files)
	}
	return files
}

var modeline = regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=(\S+)$`)

// TestExamples: every example loads with spec.Load (the directory as a
// whole too), validates against the JSON Schema, and names the schema in a
// yaml-language-server modeline that resolves to the root schema file.
func TestExamples(t *testing.T) {
	schema := loadSchema(t)
	for _, file := range exampleFiles(t) {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m := modeline.FindSubmatch(data)
			if m == nil {
				t.Fatalf("no yaml-language-server modeline")
			}
			ref := string(m[1])
			if !strings.HasPrefix(ref, "https://") {
				target := filepath.Join(filepath.Dir(file), ref)
				if filepath.Clean(target) != filepath.Clean(rootSchema) {
					t.Errorf("the modeline names %s, which is %s, not the root schema", ref, target)
				}
			}
			// The files of multi-file refer to each other: that directory is
			// loaded as a whole below.
			if filepath.Dir(file) == "." {
				if _, err := spec.Load(file); err != nil {
					t.Errorf("spec.Load: %v", err)
				}
			}
			if errs := schema.validate(yamlValue(t, data)); len(errs) > 0 {
				t.Errorf("the JSON Schema rejects it:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
	t.Run("multi-file", func(t *testing.T) {
		s, err := spec.Load("multi-file")
		if err != nil {
			t.Fatalf("spec.Load: %v", err)
		}
		if len(s.Groups) != 2 || len(s.Subscribers) != 3 || !s.Prune.Groups {
			t.Errorf("merged spec: %d groups, %d subscribers, prune %+v", len(s.Groups), len(s.Subscribers), s.Prune)
		}
	})
}

// TestSchemaValidatorRejects: the validator is not a no-op: each of these
// documents breaks one rule of the schema.
func TestSchemaValidatorRejects(t *testing.T) {
	schema := loadSchema(t)
	for _, tt := range []struct{ name, yaml, want string }{
		{"unknown top-level key", "group: []\n", `additional property "group"`},
		{"unknown group key", "groups:\n  - name: A\n    colapsed: open\n", `/groups/0: additional property "colapsed"`},
		{"missing name", "components:\n  - description: x\n", `/components/0: missing required "name"`},
		{"bad enum", "components:\n  - name: A\n    status: broken\n", "/components/0/status: not one of"},
		{"wrong type", "components:\n  - name: A\n    enabled: maybe\n", "/components/0/enabled: want boolean"},
		{"bad link", "components:\n  - name: A\n    link: ftp://x\n", "/components/0/link: does not match"},
		{"empty components list", "subscribers:\n  - email: a@example.com\n    components: []\n", "fewer than 1 items"},
		{"duplicate tags", "components:\n  - name: A\n    tags: [a, a]\n", "items are not unique"},
		{"blank name", "groups:\n  - name: ' '\n", "/groups/0/name: does not match"},
		{"id below minimum", "groups:\n  - name: A\n    id: 0\n", "less than 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := schema.validate(yamlValue(t, []byte(tt.yaml)))
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tt.want) }) {
				t.Errorf("errors %q, want one containing %q", errs, tt.want)
			}
		})
	}
}

// yamlValue decodes YAML into the values JSON would give: maps with string
// keys, []any, string, bool, float64 or int, nil.
func yamlValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, err := jsonLike(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonLike(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonLike(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("non-string key %v", k)
			}
			c, err := jsonLike(e)
			if err != nil {
				return nil, err
			}
			out[ks] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonLike(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case int:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case nil, string, bool, float64:
		return x, nil
	}
	return nil, fmt.Errorf("value %v of type %T has no JSON equivalent", v, v)
}

// jsonSchema is a minimal JSON Schema (2020-12) validator for the keywords
// cachetsync's schema uses. An unknown keyword fails the test, so that the
// schema cannot outgrow the validator unnoticed.
type jsonSchema struct {
	root map[string]any
}

func loadSchema(t *testing.T) *jsonSchema {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(spec.Schema(), &root); err != nil {
		t.Fatal(err)
	}
	s := &jsonSchema{root: root}
	if unknown := s.unknownKeywords(root, ""); len(unknown) > 0 {
		t.Fatalf("the schema uses keywords the test validator does not know: %v", unknown)
	}
	return s
}

var knownKeywords = map[string]bool{
	// assertions and applicators the validator checks
	"type": true, "properties": true, "patternProperties": true, "additionalProperties": true,
	"required": true, "items": true, "enum": true, "const": true, "oneOf": true, "anyOf": true, "allOf": true,
	"minimum": true, "maximum": true, "minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "uniqueItems": true, "$ref": true,
	// annotations and identifiers ("format" is an annotation in 2020-12)
	"$schema": true, "$id": true, "$defs": true, "title": true, "description": true, "default": true, "format": true,
}

// unknownKeywords walks every subschema and lists keywords it does not know.
func (s *jsonSchema) unknownKeywords(sch map[string]any, path string) []string {
	var out []string
	for k, v := range sch {
		if !knownKeywords[k] {
			out = append(out, path+"/"+k)
			continue
		}
		switch k {
		case "properties", "patternProperties", "$defs":
			for name, sub := range v.(map[string]any) {
				out = append(out, s.unknownKeywords(sub.(map[string]any), path+"/"+k+"/"+name)...)
			}
		case "items", "additionalProperties":
			if sub, ok := v.(map[string]any); ok {
				out = append(out, s.unknownKeywords(sub, path+"/"+k)...)
			}
		case "oneOf", "anyOf", "allOf":
			for i, sub := range v.([]any) {
				out = append(out, s.unknownKeywords(sub.(map[string]any), fmt.Sprintf("%s/%s/%d", path, k, i))...)
			}
		}
	}
	return out
}

func (s *jsonSchema) validate(v any) []string { return s.check(s.root, v, "") }

func (s *jsonSchema) resolve(ref string) map[string]any {
	if !strings.HasPrefix(ref, "#/") {
		panic("unsupported $ref " + ref)
	}
	var cur any = s.root
	for _, part := range strings.Split(ref[2:], "/") {
		cur = cur.(map[string]any)[part]
	}
	return cur.(map[string]any)
}

func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func typeMatches(want, got string) bool {
	return want == got || (want == "number" && got == "integer")
}

// check returns one message per violation, each prefixed with the JSON
// pointer of the value.
func (s *jsonSchema) check(sch map[string]any, v any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := sch["$ref"].(string); ok {
		errs = append(errs, s.check(s.resolve(ref), v, at)...)
	}
	if t, ok := sch["type"]; ok {
		var types []string
		switch x := t.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, e.(string))
			}
		}
		if !slices.ContainsFunc(types, func(w string) bool { return typeMatches(w, typeOf(v)) }) {
			fail("want %s, got %s", strings.Join(types, " or "), typeOf(v))
			return errs
		}
	}
	if enum, ok := sch["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		fail("not one of %v", enum)
	}
	if c, ok := sch["const"]; ok && !reflect.DeepEqual(c, v) {
		fail("not %v", c)
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		subs, ok := sch[key].([]any)
		if !ok {
			continue
		}
		passed := 0
		for _, sub := range subs {
			if len(s.check(sub.(map[string]any), v, at)) == 0 {
				passed++
			}
		}
		switch {
		case key == "allOf" && passed != len(subs), key == "anyOf" && passed == 0, key == "oneOf" && passed != 1:
			fail("%s: %d of %d subschemas match", key, passed, len(subs))
		}
	}
	switch x := v.(type) {
	case string:
		n := float64(utf8.RuneCountInString(x))
		if m, ok := sch["minLength"].(float64); ok && n < m {
			fail("shorter than %v characters", m)
		}
		if m, ok := sch["maxLength"].(float64); ok && n > m {
			fail("longer than %v characters", m)
		}
		if p, ok := sch["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			fail("does not match %s", p)
		}
	case float64:
		if m, ok := sch["minimum"].(float64); ok && x < m {
			fail("less than %v", m)
		}
		if m, ok := sch["maximum"].(float64); ok && x > m {
			fail("more than %v", m)
		}
	case []any:
		if m, ok := sch["minItems"].(float64); ok && float64(len(x)) < m {
			fail("fewer than %v items", m)
		}
		if u, _ := sch["uniqueItems"].(bool); u {
			for i := range x {
				for j := i + 1; j < len(x); j++ {
					if reflect.DeepEqual(x[i], x[j]) {
						fail("items are not unique: %d and %d", i, j)
					}
				}
			}
		}
		if items, ok := sch["items"].(map[string]any); ok {
			for i, e := range x {
				errs = append(errs, s.check(items, e, fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	case map[string]any:
		if req, ok := sch["required"].([]any); ok {
			for _, r := range req {
				if _, has := x[r.(string)]; !has {
					fail("missing required %q", r)
				}
			}
		}
		props, _ := sch["properties"].(map[string]any)
		patterns, _ := sch["patternProperties"].(map[string]any)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			matched := false
			if sub, ok := props[k]; ok {
				matched = true
				errs = append(errs, s.check(sub.(map[string]any), x[k], at+"/"+k)...)
			}
			for p, sub := range patterns {
				if regexp.MustCompile(p).MatchString(k) {
					matched = true
					errs = append(errs, s.check(sub.(map[string]any), x[k], at+"/"+k)...)
				}
			}
			if matched {
				continue
			}
			switch ap := sch["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("additional property %q", k)
				}
			case map[string]any:
				errs = append(errs, s.check(ap, x[k], at+"/"+k)...)
			}
		}
	}
	return errs
}

package cachettest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Sparse fieldsets: ?fields[<type>]=a,b keeps only those attributes of
// every resource of that type, included ones too
// (ja:src/Support/Fields.php, ja:src/Concerns/Attributes.php:39-45 at
// timacdonald/json-api af11050). Attributes keep their own order
// (Collection::only). An empty list (fields[components]=, which
// ConvertEmptyStringsToNull makes null, read as "") keeps none, and a
// resource without attributes has no "attributes" member
// (ja:src/JsonApiResource.php:112-124 filters empty members out).
// Relationships are not affected.

// fieldsets3 parses ?fields: the attribute lists by resource type (nil
// when the parameter is absent) or the 400 the serializer throws. The
// serializer parses lazily, once per type it renders: a list that renders
// nothing never fails. The emulator fails any request that renders a
// resource, whichever type the bad value names.
func (c *c3) fieldsets3() (map[string][]string, *r3) {
	v, ok := c.q["fields"]
	if !ok || v == nil { // "" is null after ConvertEmptyStringsToNull: $request->query('fields') ?? []
		return nil, nil
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return nil, bad400("The fields parameter must be an array of resource types.")
	}
	out := make(map[string][]string, len(m))
	for typ, list := range m {
		s, isStr := list.(string)
		if list == nil { // $typeFields[$resourceType] ?? ''
			s, isStr = "", true
		}
		if !isStr {
			return nil, bad400("The fields parameter value must be a comma seperated list of attributes.")
		}
		out[typ] = []string{}
		for f := range strings.SplitSeq(s, ",") {
			if f != "" {
				out[typ] = append(out[typ], f)
			}
		}
	}
	return out, nil
}

// writeAttributes writes the "attributes" member of a resource of type
// typ, keeping only the attributes of its fieldset when w has one.
func writeAttributes(w *jw, typ string, attrs func(w *jw)) {
	keep, sparse := w.fields[typ]
	if !sparse {
		w.key("attributes")
		w.obj()
		attrs(w)
		w.endObj()
		return
	}
	if len(keep) == 0 {
		return
	}
	all := &jw{}
	all.obj()
	attrs(all)
	all.endObj()
	kept := filterObject(all.b, keep)
	if len(kept) > 0 {
		w.key("attributes")
		w.obj()
		for _, kv := range kept {
			w.key(kv.key)
			w.raw(kv.val)
		}
		w.endObj()
	}
}

type rawKV struct {
	key string
	val json.RawMessage
}

// filterObject returns the members of the JSON object b named in keep, in
// b's order.
func filterObject(b []byte, keep []string) []rawKV {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	var out []rawKV
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		if slices.Contains(keep, k) {
			out = append(out, rawKV{k, v})
		}
	}
	return out
}

package plan

// asStoredJSON returns a meta as Cachet stores and serves it: a nested
// empty mapping becomes an empty list. Cachet casts meta to JSON
// (app/Models/Component.php:61 (2.4), 'meta' => 'json'), which Laravel
// reads back with json_decode($value, true)
// (Illuminate/Database/Eloquent/Concerns/HasAttributes.php:492-493 and
// 707-709, laravel/framework v5.7.29): an empty JSON object becomes an empty
// PHP array, which json_encode writes as []. So {labels: {}} is served as
// {"labels":[]}, and compares equal to it here. The top level stays a
// mapping (an empty meta is read as an empty mapping on both sides).
func asStoredJSON(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = emptyMapsAsLists(v)
	}
	return out
}

func emptyMapsAsLists(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			return []any{}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = emptyMapsAsLists(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = emptyMapsAsLists(e)
		}
		return out
	}
	return v
}

// CanonicalJSON renders a meta value with sorted keys and without HTML
// escaping, the form plans show and compare ("{}" for nil and empty maps).
func CanonicalJSON(m map[string]any) string { return canonicalJSON(m) }

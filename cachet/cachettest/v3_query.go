package cachettest

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// filter3 tells whether row x matches one of values (an OR), as spatie's
// query builder applies filter[name]=a,b (qb:src/QueryBuilderRequest.php:109-152).
type filter3[T any] func(x *T, values []any) bool

// spec3 is what an index allows (AllowedFilter, allowedSorts, allowedIncludes).
type spec3[T any] struct {
	filters     []string // names in the controller's order (for the 400 text)
	filter      map[string]filter3[T]
	defaults    map[string]string // AllowedFilter::...->default(v)
	sorts       []string
	sort        map[string]func(a, b *T) int
	defaultSort string   // applied when sort is absent
	includes    []string // the allowed list as spatie spells it in its 400
	meta        func(*T) meta3
}

// bad400 is spatie's InvalidQuery rendering.
func bad400(msg string) *r3 {
	r := msg3(http.StatusBadRequest, msg)
	return &r
}

// includes3 parses ?include= and checks it against allowed. spatie's
// QueryBuilderRequest::includes reads a comma list (parts not trimmed) or
// an array, drops falsy parts, and the unknown ones are a 400
// (qb:src/Concerns/AddsIncludesToQuery.php ensureAllIncludesExist at 6.4.4);
// the serializer then refuses an array
// (ja:src/Support/Includes.php:65).
func (c *c3) includes3(allowed []string, strict bool) ([]string, *r3) {
	v, ok := c.q["include"]
	if !ok || v == nil {
		return nil, nil
	}
	var parts []string
	s, isStr := qstr(v)
	switch v := v.(type) {
	case string:
		parts = strings.Split(s, ",")
	case []any:
		for _, x := range v {
			parts = append(parts, phpString(x))
		}
	case map[string]any:
		for _, x := range v {
			parts = append(parts, phpString(x))
		}
	}
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" || p == "0" })
	var out, unknown []string
	for _, p := range parts {
		if !slices.Contains(allowed, p) {
			unknown = append(unknown, p)
			continue
		}
		out = append(out, p)
	}
	if len(unknown) > 0 && strict {
		return nil, bad400("Requested include(s) `" + strings.Join(unknown, ", ") + "` are not allowed. Allowed include(s) are `" + strings.Join(allowed, ", ") + "`.")
	}
	if !isStr {
		return nil, bad400("The include parameter must be a comma seperated list of relationship paths.")
	}
	return out, nil
}

// filterValue is spatie's getFilterValue: a value with a comma is the
// list of its parts (kept as strings), a whole "true" or "false" is a
// boolean, an array has each member converted the same way
// (qb:src/QueryBuilderRequest.php getFilterValue at 6.4.4).
func filterValue(v any) []any {
	conv := func(v any) any {
		s, ok := v.(string)
		if !ok {
			return v
		}
		switch {
		case strings.Contains(s, ","):
			var parts []any
			for p := range strings.SplitSeq(s, ",") {
				parts = append(parts, p)
			}
			return parts
		case s == "true":
			return true
		case s == "false":
			return false
		}
		return s
	}
	switch v := v.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			out = append(out, conv(x))
		}
		return out
	case map[string]any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			out = append(out, conv(x))
		}
		return out
	}
	if parts, ok := conv(v).([]any); ok {
		return parts
	}
	return []any{conv(v)}
}

// index3 applies the includes check, the filters, the sort and simplePaginate
// (per_page clamped to 1..100, default 15) to rows (id ascending) and
// writes the JSON:API collection. The first invalid parameter gives 400, in
// the controller's chain order: includes, filters, sorts.
func index3[T any](c *c3, rows []*T, spec spec3[T], res func(w *jw, x *T, incl []string, inc *included3)) r3 {
	incl, bad := c.includes3(spec.includes, true)
	if bad != nil {
		return *bad
	}
	filters, _ := c.q["filter"].(map[string]any)
	var unknown []string
	for _, k := range c.subKeyOrder("filter") {
		if _, asked := filters[k]; asked && !slices.Contains(spec.filters, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return *bad400("Requested filter(s) `" + strings.Join(unknown, ", ") + "` are not allowed. Allowed filter(s) are `" + strings.Join(spec.filters, ", ") + "`.")
	}
	active := map[string]any{}
	for k, v := range spec.defaults {
		active[k] = v
	}
	for k, v := range filters {
		if v == nil { // a requested filter whose value is null constrains nothing, default or not
			delete(active, k)
			continue
		}
		active[k] = v
	}
	// QueryBuilderRequest::sorts: a comma list or an array, falsy parts
	// dropped; every unknown name is reported (qb:src/Concerns/SortsQuery.php
	// ensureAllSortsExist at 6.4.4).
	var sorts []string
	switch v := c.q["sort"].(type) {
	case string:
		sorts = strings.Split(v, ",")
	case []any:
		for _, x := range v {
			sorts = append(sorts, phpString(x))
		}
	}
	sorts = slices.DeleteFunc(sorts, func(p string) bool { return p == "" || p == "0" })
	hasSort := len(sorts) > 0
	if !hasSort && spec.defaultSort != "" {
		sorts = strings.Split(spec.defaultSort, ",")
	}
	var unknownSorts []string
	for _, p := range sorts {
		if _, ok := spec.sort[strings.TrimLeft(p, "-")]; !ok {
			unknownSorts = append(unknownSorts, strings.TrimLeft(p, "-"))
		}
	}
	if hasSort && len(unknownSorts) > 0 {
		return *bad400("Requested sort(s) `" + strings.Join(unknownSorts, ", ") + "` is not allowed. Allowed sort(s) are `" + strings.Join(spec.sorts, ", ") + "`.")
	}
	type sortKey struct {
		cmp  func(a, b *T) int
		desc bool
	}
	var keys []sortKey
	for _, p := range sorts {
		desc := strings.HasPrefix(p, "-")
		name := strings.TrimLeft(p, "-")
		cmpf, ok := spec.sort[name]
		if ok && !(name == "id" && !desc && len(keys) == 0) { // rows are already id ascending
			keys = append(keys, sortKey{cmpf, desc})
		}
	}
	sel := rows
	if len(active) > 0 {
		sel = make([]*T, 0, len(rows))
	rowLoop:
		for _, x := range rows {
			for name, v := range active {
				if name == "meta" {
					m, ok := v.(map[string]any)
					if ok && spec.meta != nil && !metaMatches(spec.meta(x), m) {
						continue rowLoop
					}
					continue
				}
				if f := spec.filter[name]; f != nil && !f(x, filterValue(v)) {
					continue rowLoop
				}
			}
			sel = append(sel, x)
		}
	}
	if len(keys) > 0 {
		sel = slices.Clone(sel)
		slices.SortStableFunc(sel, func(a, b *T) int {
			for _, k := range keys {
				r := k.cmp(a, b)
				if k.desc {
					r = -r
				}
				if r != 0 {
					return r
				}
			}
			return 0
		})
	}
	perPage := 15
	if v, ok := c.q["per_page"]; ok {
		perPage = phpIntval(v)
	}
	perPage = min(max(perPage, 1), 100) // Number::clamp(..., 1, 100)
	pageNo := 1
	// Paginator::resolveCurrentPage: filter_var(FILTER_VALIDATE_INT), which
	// refuses leading zeros, and at least 1
	// (lf:src/Illuminate/Pagination/PaginationState.php:20-28 at 12.x).
	if s, ok := qstr(c.q["page"]); ok && phpIntPattern.MatchString(s) {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 {
			pageNo = n
		}
	}
	from := (pageNo - 1) * perPage
	var items []*T
	more := false
	if from < len(sel) {
		end := min(from+perPage, len(sel))
		items = sel[from:end]
		more = end < len(sel)
	}

	fields, badFields := c.fieldsets3()
	if badFields != nil && len(items) > 0 {
		return *badFields
	}
	w := &jw{b: getBuf(), fields: fields}
	inc := newIncluded3()
	inc.w.fields = fields
	w.obj()
	w.key("data")
	w.arr()
	for _, x := range items {
		res(w, x, incl, inc)
	}
	w.endArr()
	// Paginator::url: only ?page=N, the rest of the query is dropped.
	pageURL := func(n int) string { return c.base + strings.TrimPrefix(c.path, v3prefix) + "?page=" + strconv.Itoa(n) }
	w.key("links")
	w.obj()
	w.kstr("first", pageURL(1))
	if pageNo > 1 {
		w.kstr("prev", pageURL(pageNo-1))
	}
	if more {
		w.kstr("next", pageURL(pageNo+1))
	}
	w.endObj()
	w.key("meta")
	w.obj()
	w.kint("current_page", pageNo)
	w.kstr("current_page_url", pageURL(pageNo))
	if len(items) > 0 {
		w.kint("from", from+1)
	} else {
		w.knull("from")
	}
	w.kstr("path", c.base+strings.TrimPrefix(c.path, v3prefix))
	w.kint("per_page", perPage)
	if len(items) > 0 {
		w.kint("to", from+len(items))
	} else {
		w.knull("to")
	}
	w.endObj()
	inc.writeTo(w)
	w.endObj()
	return r3{status: http.StatusOK, body: w.b, ctype: "application/vnd.api+json"}
}

// phpIntPattern is what FILTER_VALIDATE_INT accepts (after trimming).
var phpIntPattern = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]*)$`)

// subKeyOrder returns the keys of the query parameter name (name[key]=...)
// in the order PHP's parse_str creates them: by first appearance.
func (c *c3) subKeyOrder(name string) []string {
	var keys []string
	for part := range strings.SplitSeq(c.r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || !strings.HasPrefix(k, name+"[") {
			continue
		}
		sub, _, ok := strings.Cut(k[len(name)+1:], "]")
		if ok && !slices.Contains(keys, sub) {
			keys = append(keys, sub)
		}
	}
	return keys
}

// where returns the rows (id ascending) that keep selects: the scope of a
// list, before index3 filters, sorts and pages it.
func where[T any](rows []*T, keep func(*T) bool) []*T {
	out := make([]*T, 0, len(rows))
	for _, x := range rows {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// show3 answers GET of the bound row x: the includes check (400), then
// findOrFail on the caller's visible scope (a 404 naming model; visible
// nil: every row is in scope), then the resource with its includes.
func show3[T any](c *c3, x *T, id int, model string, spec spec3[T], visible func(*T) bool, res func(w *jw, x *T, incl []string, inc *included3)) r3 {
	incl, bad := c.includes3(spec.includes, true)
	if bad != nil {
		return *bad
	}
	if visible != nil && !visible(x) {
		return notFound3(model, id)
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { res(w, x, incl, inc) })
}

// one3 writes a single JSON:API document with status. A bad fields
// parameter is a 400 even after a write, as on the server, which
// serialises the resource after the action has run.
func (c *c3) one3(status int, fn func(w *jw, inc *included3)) r3 {
	fields, bad := c.fieldsets3()
	if bad != nil {
		return *bad
	}
	w := &jw{b: make([]byte, 0, 1024), fields: fields}
	inc := newIncluded3()
	inc.w.fields = fields
	w.obj()
	w.key("data")
	fn(w, inc)
	inc.writeTo(w)
	w.endObj()
	return r3{status: status, body: w.b, ctype: "application/vnd.api+json"}
}

// phpIntval is $request->integer(): intval of the string ("abc" is 0).
func phpIntval(v any) int {
	s, ok := v.(string)
	if !ok {
		return 0
	}
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// metaMatches is core:src/Filters/MetaFilter.php:19-82: every key/value
// pair must match. The filter value goes through spatie's getFilterValue
// first, so "a,b" is a list (and the pair is skipped) and a whole "true"
// or "false" is a boolean; a null value is "".
func metaMatches(m meta3, want map[string]any) bool {
	for k, v := range want {
		if k == "" {
			continue
		}
		var expected any
		switch x := filterValue(v); {
		case len(x) != 1:
			continue // an array value is skipped
		default:
			expected = x[0]
		}
		switch expected.(type) {
		case []any, map[string]any:
			continue
		case bool:
		default:
			expected = phpString(expected)
		}
		got, ok := m.get(k)
		if !ok || !metaValueMatches(got, expected) {
			return false
		}
	}
	return true
}

// metaValueMatches tells whether a stored meta value (JSON-encoded in the
// meta table) equals one of MetaFilter::encodings(expected): a boolean
// matches itself and its name as a string; a string matches itself, a
// numeric one also the int (no ".") or float (a ".") it reads as, and
// "true"/"false" also the boolean.
func metaValueMatches(got any, expected any) bool {
	if b, ok := expected.(bool); ok {
		return got == b || got == map[bool]string{true: "true", false: "false"}[b]
	}
	s := expected.(string)
	switch g := got.(type) {
	case string:
		return g == s
	case bool:
		return s == "true" && g || s == "false" && !g
	case json.Number:
		have, err := g.Float64()
		return err == nil && numberMatches(have, !strings.ContainsAny(string(g), ".eE"), s)
	case int: // seeded from Go
		return numberMatches(float64(g), true, s)
	case float64: // seeded from Go: an integral value is taken as an int
		return numberMatches(g, g == math.Trunc(g), s)
	}
	return false
}

// numberMatches: a numeric filter string with a "." is (float) $value and
// matches a stored float; without one it is (int) $value and matches a
// stored int.
func numberMatches(have float64, storedInt bool, s string) bool {
	if !isNumeric(s) {
		return false
	}
	want, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return false
	}
	if strings.Contains(s, ".") {
		return !storedInt && have == want
	}
	return storedInt && have == math.Trunc(want)
}

// included3 collects the "included" resources, de-duplicated by type and id.
type included3 struct {
	seen map[string]bool
	w    jw
}

func newIncluded3() *included3 { return &included3{seen: map[string]bool{}} }

// add writes a resource with fn unless (typ, id) is already included.
func (inc *included3) add(typ string, id int, fn func(w *jw)) {
	k := typ + "/" + strconv.Itoa(id)
	if inc.seen[k] {
		return
	}
	inc.seen[k] = true
	fn(&inc.w)
}

func (inc *included3) writeTo(w *jw) {
	if len(inc.seen) == 0 {
		return
	}
	w.key("included")
	w.arr()
	w.raw(inc.w.b)
	w.endArr()
}

// resource3 writes {"id":"N","type":typ,"attributes":{...}} and the
// relationships the caller asked for.
func resource3(w *jw, typ string, id int, attrs func(w *jw), rels func(w *jw) bool) {
	w.obj()
	w.kstr("id", strconv.Itoa(id))
	w.kstr("type", typ)
	writeAttributes(w, typ, attrs)
	if rels != nil {
		mark := len(w.b)
		comma := w.comma
		w.key("relationships")
		w.obj()
		if !rels(w) {
			w.b, w.comma = w.b[:mark], comma
		} else {
			w.endObj()
		}
	}
	w.endObj()
}

// relOne writes a to-one relationship.
func relOne(w *jw, name, typ string, id int) {
	w.key(name)
	w.obj()
	w.key("data")
	if id == 0 {
		w.null()
	} else {
		w.obj()
		w.kstr("type", typ)
		w.kstr("id", strconv.Itoa(id))
		w.endObj()
	}
	w.endObj()
}

// relMany writes a to-many relationship.
func relMany(w *jw, name, typ string, ids []int) {
	w.key(name)
	w.obj()
	w.key("data")
	w.arr()
	for _, id := range ids {
		w.obj()
		w.kstr("type", typ)
		w.kstr("id", strconv.Itoa(id))
		w.endObj()
	}
	w.endArr()
	w.endObj()
}

func cmpInt(a, b int) int { return a - b }

package cachettest

import (
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// v3v collects Laravel validation errors in rule order (each Data class's
// rules()), with Laravel's default English messages.
type v3v struct {
	c    *c3
	in   map[string]any
	keys []string
	errs map[string][]string
	dup  bool // the element being checked repeats another (distinct)
}

func (c *c3) validator() *v3v { return &v3v{c: c, in: c.in, errs: map[string][]string{}} }

// attrName is how Laravel names an attribute in a message: underscores
// become spaces (components.0.id stays as is otherwise).
func attrName(a string) string { return strings.ReplaceAll(a, "_", " ") }

// fail records a message; like MessageBag::add it keeps one copy of a
// message per attribute.
func (v *v3v) fail(attr, msg string) {
	if _, ok := v.errs[attr]; !ok {
		v.keys = append(v.keys, attr)
	}
	msg = strings.ReplaceAll(msg, ":attribute", attrName(attr))
	if !slices.Contains(v.errs[attr], msg) {
		v.errs[attr] = append(v.errs[attr], msg)
	}
}

// field validates one attribute of the input with rules such as
// "required", "nullable", "string", "max:255", "int", "min:0", "bool",
// "url", "email", "array", "date", "numeric", "enum:1,2", "exists:components",
// "exists:component_groups", "distinct", "decimal", "timestamp",
// "factor60", "required_without:template".
func (v *v3v) field(attr string, rules ...string) {
	val, present := lookupPath(v.in, attr)
	v.check(attr, val, present, rules)
}

// each validates attr.* (or attr.*.key when key is given) for every
// element of the array at attr.
func (v *v3v) each(attr, key string, rules ...string) {
	arr, ok := v.in[attr].([]any)
	if !ok {
		return
	}
	// distinct fails every element whose value another element repeats
	// (Laravel's validateDistinct compares against all the others).
	counts := map[string]int{}
	for _, el := range arr {
		if val, ok := elementValue(el, key); ok && val != nil {
			counts[phpString(val)]++
		}
	}
	for i, el := range arr {
		name := attr + "." + strconv.Itoa(i)
		if key != "" {
			name += "." + key
		}
		val, present := elementValue(el, key)
		v.dup = present && val != nil && counts[phpString(val)] > 1
		v.check(name, val, present, rules)
	}
	v.dup = false
}

// eachPivot validates the components list of an incident or a schedule
// the way spatie/laravel-data and Laravel compile it. The list is a
// DataCollectionOf an item class (id: int with #[Exists], status: a
// ComponentStatusEnum) on a Data class with rules(), so laravel-data adds a
// Rule::forEach on components.* whose rules are inferred from the item
// class — ['array'] for an element that is not one, else required, numeric,
// exists for id and required, enum for status
// (laravel-data:src/Resolvers/DataValidationRulesResolver.php:154-180 at 4.x,
// laravel-data:src/RuleInferrers/BuiltInTypesRuleInferrer.php) — and the
// explicit components.*.id and components.*.status rules are merged after
// them (lf:src/Illuminate/Validation/ValidationRuleParser.php:159-246 at
// 12.x). So each element's id and status come together, in element order,
// and the id and status of an element that is not an array are reported
// required after all the others (Laravel fills them in as null).
func (v *v3v) eachPivot(attr string, statusRules ...string) {
	arr, ok := v.in[attr].([]any)
	if !ok {
		return
	}
	counts := map[string]int{}
	for _, el := range arr {
		if val, ok := elementValue(el, "id"); ok && val != nil {
			counts[phpString(val)]++
		}
	}
	var late []string
	for i, el := range arr {
		name := attr + "." + strconv.Itoa(i)
		if !isArray(el) {
			v.fail(name, "The :attribute field must be an array.")
			late = append(late, name)
			continue
		}
		id, present := elementValue(el, "id")
		v.dup = present && id != nil && counts[phpString(id)] > 1
		v.check(name+".id", id, present, []string{"required", "numeric", "exists:components", "required", "int", "distinct", "exists:components"})
		v.dup = false
		status, present := elementValue(el, "status")
		v.check(name+".status", status, present, append([]string{"required", "enum:1,2,3,4,5,6"}, statusRules...))
	}
	for _, name := range late {
		v.check(name+".id", nil, false, []string{"required"})
	}
	for _, name := range late {
		v.check(name+".status", nil, false, []string{"required"})
	}
}

func elementValue(el any, key string) (any, bool) {
	if key == "" {
		return el, true
	}
	m, ok := el.(map[string]any)
	if !ok {
		return nil, false
	}
	val, ok := m[key]
	return val, ok
}

func lookupPath(in map[string]any, attr string) (any, bool) {
	val, ok := in[attr]
	return val, ok
}

func hasRule(rules []string, name string) bool {
	for _, r := range rules {
		if r == name || strings.HasPrefix(r, name+":") {
			return true
		}
	}
	return false
}

func (v *v3v) check(attr string, val any, present bool, rules []string) {
	implicit := hasRule(rules, "required") || hasRule(rules, "required_without") || hasRule(rules, "required_with")
	if !present && !implicit {
		return
	}
	nullOK := val == nil && hasRule(rules, "nullable") // skips every rule but the implicit ones
	numeric := hasRule(rules, "int") || hasRule(rules, "numeric")
	for _, r := range rules {
		name, arg, _ := strings.Cut(r, ":")
		if (!present || nullOK) && name != "required" && name != "required_without" && name != "required_with" {
			continue
		}
		if name == "exists" && len(v.errs[attr]) > 0 {
			continue // hasNotFailedPreviousRuleIfPresenceRule (lf:src/Illuminate/Validation/Validator.php:902-905 at 12.x)
		}
		ok := true
		msg := ""
		switch name {
		case "nullable":
			continue
		case "distinct":
			ok = !v.dup
			msg = "The :attribute field has a duplicate value."
		case "required":
			ok = present && !isEmptyValue(val)
			msg = "The :attribute field is required."
		case "required_without": // the other field counts only when it is not empty (anyFailingRequired)
			if !isEmptyValue(v.in[arg]) {
				continue
			}
			ok = present && !isEmptyValue(val)
			msg = "The :attribute field is required when " + attrName(arg) + " is not present."
		case "required_with": // lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php:2487 (12.x)
			if other := v.in[arg]; other == nil || isEmptyValue(other) {
				continue
			}
			ok = present && !isEmptyValue(val)
			msg = "The :attribute field is required when " + attrName(arg) + " is present."
		case "string":
			_, ok = val.(string)
			msg = "The :attribute field must be a string."
		case "max":
			n, _ := strconv.ParseFloat(arg, 64)
			ok = size3(val, numeric) <= n
			msg = "The :attribute field must not be greater than " + arg + " characters."
			if numeric {
				msg = "The :attribute field must not be greater than " + arg + "."
			}
		case "min":
			n, _ := strconv.ParseFloat(arg, 64)
			ok = size3(val, numeric) >= n
			msg = "The :attribute field must be at least " + arg + "."
		case "int": // filter_var(FILTER_VALIDATE_INT): true reads as 1
			ok = isInt(val)
			msg = "The :attribute field must be an integer."
		case "numeric":
			ok = isNumeric(val)
			msg = "The :attribute field must be a number."
		case "bool":
			ok = isBool(val)
			msg = "The :attribute field must be true or false."
		case "array":
			ok = isArray(val)
			msg = "The :attribute field must be an array."
		case "url":
			ok = isURL3(val)
			msg = "The :attribute field must be a valid URL."
		case "email":
			ok = isEmail3(val)
			msg = "The :attribute field must be a valid email address."
		case "date":
			_, ok = parseDate3(val)
			msg = "The :attribute field must be a valid date."
		case "timestamp":
			_, ok = parseTimestamp3(val)
			msg = "The :attribute field must be a valid timestamp."
		case "enum":
			ok = false
			if n, isN := phpIntParam(val); isN && isDigits(arg[:1]) { // an int-backed enum's tryFrom
				for a := range strings.SplitSeq(arg, ",") {
					if a == strconv.Itoa(n) {
						ok = true
					}
				}
			} else if n, isN := enumInt(val); isN {
				for a := range strings.SplitSeq(arg, ",") {
					if a == strconv.Itoa(n) {
						ok = true
					}
				}
			} else if s, isS := val.(string); isS {
				for a := range strings.SplitSeq(arg, ",") {
					if a == s {
						ok = true
					}
				}
			}
			msg = "The selected :attribute is invalid."
		case "exists":
			msg = "The selected :attribute is invalid."
			if arg == "incident_templates" { // exists:incident_templates,slug
				s, isS := val.(string)
				ok = isS && v.c.templateBySlug(s) != nil
				break
			}
			if list, isList := val.([]any); isList || isMap(val) {
				// An array passes when every distinct member exists (getMultiCount).
				if !isList {
					for _, x := range val.(map[string]any) {
						list = append(list, x)
					}
				}
				ok = true
				for _, x := range list {
					n, isN := existsKey(x)
					ok = ok && isN && v.c.exists3(arg, n)
				}
				break
			}
			n, isN := existsKey(val)
			ok = isN && v.c.exists3(arg, n)
		case "decimal":
			ok = isDecimal12(val)
			msg = "The :attribute field must have 1-2 decimal places."
		case "factor60": // FactorOfSixty: 60 % (int) $value (core:src/Rules/FactorOfSixty.php)
			n := phpIntCast(val)
			if n == 0 {
				ok, msg = false, "The :attribute must be greater than 0."
			} else {
				ok, msg = 60%n == 0, "The :attribute must be a factor of 60."
			}
		}
		if !ok {
			v.fail(attr, msg)
			if name == "required" || name == "required_without" || name == "required_with" {
				return // an implicit rule failed: Laravel stops this attribute
			}
		}
	}
}

// result returns the 422 response, or nil when the input is valid
// (lf:src/Illuminate/Foundation/Exceptions/Handler.php:794-800).
func (v *v3v) result() *r3 {
	if len(v.keys) == 0 {
		return nil
	}
	total := 0
	for _, k := range v.keys {
		total += len(v.errs[k])
	}
	first := v.errs[v.keys[0]][0]
	msg := first
	if total > 1 {
		n := total - 1
		msg += " (and " + strconv.Itoa(n) + " more error"
		if n > 1 {
			msg += "s"
		}
		msg += ")"
	}
	w := &jw{}
	w.obj()
	w.kstr("message", msg)
	w.key("errors")
	w.obj()
	for _, k := range v.keys {
		w.key(k)
		w.arr()
		for _, m := range v.errs[k] {
			w.str(m)
		}
		w.endArr()
	}
	w.endObj()
	w.endObj()
	return &r3{status: http.StatusUnprocessableEntity, body: w.b}
}

// size3 is Laravel's getSize: the number for numeric rules, the count of
// an array, else the string length.
func size3(v any, numeric bool) float64 {
	if numeric && isNumeric(v) {
		return phpFloat(v)
	}
	switch v := v.(type) {
	case []any:
		return float64(len(v))
	case map[string]any:
		return float64(len(v))
	}
	return float64(utf8.RuneCountInString(phpString(v)))
}

// phpIntParam is a value passed to a PHP int parameter in coercive mode,
// as BackedEnum::tryFrom and a Data class's int property take it: true is
// 1, false 0, a float or a numeric string (whitespace allowed) is
// truncated; anything else is a TypeError (false).
func phpIntParam(v any) (int, bool) {
	var f float64
	switch v := v.(type) {
	case bool:
		return b2i(v), true
	case int:
		return v, true
	case float64:
		f = v
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return int(n), true
		}
		x, err := v.Float64()
		if err != nil {
			return 0, false
		}
		f = x
	case string:
		t := strings.Trim(v, " \t\n\r\v\f")
		if !numericPattern.MatchString(t) {
			return 0, false
		}
		if n, err := strconv.Atoi(t); err == nil {
			return n, true
		}
		x, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.Abs(f) >= 1<<63 {
		return 0, false
	}
	return int(math.Trunc(f)), true
}

// existsKey is the id an exists:table,id rule looks up: the query binds
// the value as a string, which SQLite compares with the integer column as
// a number when it is a well-formed numeric literal; true binds as "1".
func existsKey(v any) (int, bool) {
	switch v := v.(type) {
	case bool:
		return 1, v
	case string:
		n := routeKey3(v)
		return n, n > 0
	}
	n, ok := phpIntParam(v)
	if f, isNum := v.(json.Number); ok && isNum {
		x, _ := f.Float64()
		ok = x == math.Trunc(x)
	}
	return n, ok
}

// phpIntCast is PHP's (int) cast: a leading number of a string ("7abc" is
// 7, "abc" 0), a float truncated, true 1, an array 1 unless empty, null
// and false 0.
func phpIntCast(v any) int {
	switch v := v.(type) {
	case []any:
		return b2i(len(v) > 0)
	case map[string]any:
		return b2i(len(v) > 0)
	case bool:
		return b2i(v)
	case string:
		f, err := strconv.ParseFloat(leadingNumber.FindString(strings.TrimLeft(v, " \t\n\r\v\f")), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0
		}
		return int(math.Trunc(f))
	}
	n, _ := phpIntParam(v)
	return n
}

var leadingNumber = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`)

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// enumInt reads an int or an integer string (Rule::enum on int enums).
func enumInt(v any) (int, bool) {
	switch v := v.(type) {
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	case int:
		return v, true
	case float64:
		return int(v), v == math.Trunc(v)
	}
	return 0, false
}

func boolOf(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case json.Number:
		return v == "1"
	case string:
		return v == "1"
	}
	return false
}

var decimal12 = regexp.MustCompile(`^[+-]?\d*\.\d{1,2}$`)

// isDecimal12 is decimal:1,2 on the value's string form (a JSON 1.0 is "1").
func isDecimal12(v any) bool {
	switch v := v.(type) {
	case json.Number:
		f, err := v.Float64()
		return err == nil && decimal12.MatchString(strconv.FormatFloat(f, 'f', -1, 64))
	case string:
		return decimal12.MatchString(v)
	}
	return false
}

// dateLayouts are the common forms strtotime accepts with a whole date
// (the date rule is strtotime plus checkdate on date_parse,
// lf:src/Illuminate/Validation/Concerns/ValidatesAttributes.php validateDate
// at 12.x; FlexibleDateTimeCast is Carbon::parse): ISO forms, m/d/Y,
// d.m.Y, Y/m/d, Ymd, RFC 1123 and English month names. Relative forms
// ("tomorrow", "+1 day") have no date and fail the rule; ISO weeks, "@unix"
// and other exotic strtotime forms are not modelled.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 MST", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04Z07:00",
	"2006-1-2", "2006-1-2 15:04", "2006-1-2 15:04:05", "20060102", "1/2/2006", "1/2/2006 15:04", "1/2/2006 15:04:05",
	"2.1.2006", "2006/1/2", "2006/1/2 15:04", "2006/1/2 15:04:05", time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 MST",
	"2 January 2006", "January 2, 2006", "January 2 2006", "Jan 2 2006", "2 Jan 2006", "Jan 2, 2006"}

// parseDate3 reads a date string; an offset converts to UTC (the app
// timezone), no offset is UTC wall time (core:src/Data/Casts/FlexibleDateTimeCast.php:22-37).
func parseDate3(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseTimestamp3 is ValidTimestamp: a date string or a Unix time as a JSON number.
func parseTimestamp3(v any) (time.Time, bool) {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return time.Unix(i, 0).UTC(), true
		}
		return time.Time{}, false
	}
	return parseDate3(v)
}

// exists3 is Rule::exists(table, id). Soft-deleted components still exist
// for the rule (it has no deleted_at condition).
func (c *c3) exists3(table string, id int) bool {
	st := &c.e.v3.st
	switch table {
	case "components":
		_, ok := st.components.get(id)
		return ok || st.trashed[id]
	case "component_groups":
		_, ok := st.groups.get(id)
		return ok
	}
	return false
}

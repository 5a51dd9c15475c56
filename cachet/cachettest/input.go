package cachettest

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cachetsync/cachetsync/internal/laravelurl"
	"github.com/cachetsync/cachetsync/internal/phpfilter"

	"github.com/cachetsync/cachetsync/cachet/binput"
)

// qparam is one query parameter as PHP parses it: a string, or a []any for
// "key[]" parameters. Order is kept for pagination links.
type qparam struct {
	key string
	val any
}

// parseQuery parses a raw query string like PHP's parse_str: the last of a
// repeated key wins, "key[]" (or "key[x]") appends to an array.
func parseQuery(raw string) []qparam {
	var out []qparam
	index := map[string]int{}
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || k == "" {
			continue
		}
		isArr := false
		if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
			k, isArr = k[:i], true
		}
		i, seen := index[k]
		switch {
		case isArr && seen:
			if a, ok := out[i].val.([]any); ok {
				out[i].val = append(a, v)
			} else {
				out[i].val = []any{v}
			}
		case isArr:
			index[k] = len(out)
			out = append(out, qparam{k, []any{v}})
		case seen:
			out[i].val = v
		default:
			index[k] = len(out)
			out = append(out, qparam{k, v})
		}
	}
	return out
}

// buildQuery is PHP's http_build_query: with PHP_QUERY_RFC3986 (Laravel
// 5.7's Arr::query, Cachet 2.4) or, when rfc1738, the default RFC 1738
// encoding (Laravel 5.2's AbstractPaginator::url, Cachet 2.3), where a
// space is "+" and "~" is escaped.
func buildQuery(params []qparam, rfc1738 bool) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(phpURLEncode(k, rfc1738))
		b.WriteByte('=')
		b.WriteString(phpURLEncode(v, rfc1738))
	}
	for _, p := range params {
		switch v := p.val.(type) {
		case []any:
			for i, x := range v {
				add(p.key+"["+strconv.Itoa(i)+"]", phpString(x))
			}
		default:
			add(p.key, phpString(v))
		}
	}
	return b.String()
}

// phpURLEncode is rawurlencode, or urlencode when rfc1738.
func phpURLEncode(s string, rfc1738 bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.':
			b.WriteByte(c)
		case c == '~' && !rfc1738:
			b.WriteByte(c)
		case c == ' ' && rfc1738:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// readInput merges the query string with the body (the body wins), as
// Laravel's input() does. A body that is not valid JSON (or form data) is
// ignored.
func readInput(query []qparam, contentType string, body io.Reader) map[string]any {
	in := make(map[string]any, len(query))
	for _, p := range query {
		in[p.key] = p.val
	}
	form := func(data string) map[string]any {
		m := map[string]any{}
		for _, p := range parseQuery(data) {
			m[p.key] = p.val
		}
		return m
	}
	for k, v := range decodeBody(contentType, body, form) {
		in[k] = v
	}
	return in
}

// decodeBody decodes a request body as PHP fills its input: JSON (numbers
// kept exact) when the Content-Type says so, form data through form, and
// nothing for an empty, unreadable or malformed body or another type.
func decodeBody(contentType string, body io.Reader, form func(string) map[string]any) map[string]any {
	if body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(body, 32<<20))
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.Contains(mt, "/json") || strings.Contains(mt, "+json"):
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) == nil {
			return m
		}
	case mt == "application/x-www-form-urlencoded":
		return form(string(data))
	}
	return nil
}

// cleanInput is the input as the API controllers read it, key by key,
// through Binput::get / Binput::except: every string trimmed and passed
// through Security::clean, null members of arrays dropped, other scalars
// kept (graham-campbell/binput src/Binput.php:80-85, :186-227). A key whose
// value is null stays null, as Binput::get returns it.
func cleanInput(raw map[string]any, v23 bool) map[string]any {
	v := binput.V24
	if v23 {
		v = binput.V23
	}
	in := make(map[string]any, len(raw))
	for k, x := range raw {
		in[k] = v.CleanValue(x)
	}
	return in
}

// phpString converts a scalar as PHP's (string) cast does.
func phpString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "1"
		}
		return ""
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return "Array"
}

// phpBool is PHP's (bool) cast.
func phpBool(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != "" && v != "0"
	case json.Number:
		f, _ := v.Float64()
		return f != 0
	case int:
		return v != 0
	case float64:
		return v != 0
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

var numPrefix = regexp.MustCompile(`^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`)

// phpFloat is PHP 7's numeric conversion of a leading numeric string.
func phpFloat(v any) float64 {
	switch v := v.(type) {
	case bool:
		if v {
			return 1
		}
	case json.Number:
		f, _ := v.Float64()
		return f
	case int:
		return float64(v)
	case float64:
		return v
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(numPrefix.FindString(v)), 64)
		return f
	case []any:
		if len(v) > 0 {
			return 1
		}
	case map[string]any:
		if len(v) > 0 {
			return 1
		}
	}
	return 0
}

// phpInt is PHP's (int) cast.
func phpInt(v any) int {
	f := phpFloat(v)
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<62 {
		return 0
	}
	return int(f)
}

var intPattern = regexp.MustCompile(`^\s*[+-]?\d+\s*$`)

// isInt is Laravel's integer rule (filter_var FILTER_VALIDATE_INT).
func isInt(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case int:
		return true
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return true
		}
		f, err := v.Float64()
		return err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62
	case float64:
		return v == math.Trunc(v)
	case string:
		return intPattern.MatchString(v)
	}
	return false
}

var numericPattern = regexp.MustCompile(`^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// isNumeric is PHP's is_numeric.
func isNumeric(v any) bool {
	switch v := v.(type) {
	case int, float64, json.Number:
		return true
	case string:
		return numericPattern.MatchString(v)
	}
	return false
}

// isBool is Laravel's boolean rule: true, false, 0, 1, "0", "1".
func isBool(v any) bool {
	switch v := v.(type) {
	case bool:
		return true
	case int:
		return v == 0 || v == 1
	case json.Number:
		return v == "0" || v == "1"
	case string:
		return v == "0" || v == "1"
	}
	return false
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

// isEmail is Laravel's email rule in 5.2 (Cachet 2.3) and 5.7 (2.4):
// filter_var($value, FILTER_VALIDATE_EMAIL)
// (src/Illuminate/Validation/Concerns/ValidatesAttributes.php:620-623 at
// v5.7.29; Validator.php:1472-1475 at v5.2.39).
func isEmail(v any) bool {
	s, ok := v.(string)
	return ok && phpfilter.ValidEmail(s)
}

func isURL(v any) bool {
	s, ok := v.(string)
	if !ok || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// isEmptyValue is Laravel's "required" failure: null, "", empty array.
func isEmptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// field is one attribute under validation: its name, its value (present
// reports whether the key exists at all) and its pipe-separated rules.
type field struct {
	name    string
	value   any
	present bool
	rules   string
}

// has builds a field from an input map.
func has(in map[string]any, name, rules string) field {
	v, ok := in[name]
	return field{name: name, value: v, present: ok, rules: rules}
}

// val builds a field whose key is always present (a command property).
func val(name string, v any, rules string) field {
	return field{name: name, value: v, present: true, rules: rules}
}

// validate applies a subset of Laravel's validator to fields, in order, and
// returns the messages. Like Laravel, a failed "required" stops the other
// rules of that attribute, empty strings skip non-implicit rules, and
// "nullable" skips a null value.
func validate(fields ...field) []string {
	var msgs []string
	present := map[string]bool{}
	for _, f := range fields {
		present[f.name] = f.present && f.value != nil
	}
	for _, f := range fields {
		attr := strings.ReplaceAll(f.name, "_", " ")
		rules := strings.Split(f.rules, "|")
		nullable := strings.Contains("|"+f.rules+"|", "|nullable|")
		numeric := strings.Contains(f.rules, "int") || strings.Contains(f.rules, "numeric")
		for _, rule := range rules {
			name, arg, _ := strings.Cut(rule, ":")
			implicit := name == "required" || name == "required_with"
			if !implicit {
				if !f.present {
					continue
				}
				if s, ok := f.value.(string); ok && strings.TrimSpace(s) == "" {
					continue
				}
				if f.value == nil && nullable {
					continue
				}
			}
			var msg string
			switch name {
			case "required":
				if !f.present || isEmptyValue(f.value) {
					msg = "The " + attr + " field is required."
				}
			case "required_with":
				if present[arg] && (!f.present || isEmptyValue(f.value)) {
					msg = "The " + attr + " field is required when " + strings.ReplaceAll(arg, "_", " ") + " is present."
				}
			case "string":
				if _, ok := f.value.(string); !ok {
					msg = "The " + attr + " must be a string."
				}
			case "int":
				if !isInt(f.value) {
					msg = "The " + attr + " must be an integer."
				}
			case "numeric":
				if !isNumeric(f.value) {
					msg = "The " + attr + " must be a number."
				}
			case "bool":
				if !isBool(f.value) {
					msg = "The " + attr + " field must be true or false."
				}
			case "array":
				if !isArray(f.value) {
					msg = "The " + attr + " must be an array."
				}
			case "email":
				if !isEmail(f.value) {
					msg = "The " + attr + " must be a valid email address."
				}
			case "url", "url52":
				// Laravel's url rule (internal/laravelurl): 5.7.29 for
				// 2.4, 5.2.39 ("url52") for 2.3.
				if s, ok := f.value.(string); !ok || !laravelurl.Valid(s, name == "url52") {
					msg = "The " + attr + " format is invalid."
				}
			case "in":
				if !slices.Contains(strings.Split(arg, ","), phpString(f.value)) || isArray(f.value) {
					msg = "The selected " + attr + " is invalid."
				}
			case "min", "max", "between":
				lo, hi, _ := strings.Cut(arg, ",")
				size := sizeOf(f.value, numeric)
				l, _ := strconv.ParseFloat(lo, 64)
				switch name {
				case "min":
					if size < l {
						msg = "The " + attr + " must be at least " + lo + "."
					}
				case "max":
					if size > l {
						msg = "The " + attr + " may not be greater than " + lo + "."
					}
				case "between":
					h, _ := strconv.ParseFloat(hi, 64)
					if size < l || size > h {
						msg = "The " + attr + " must be between " + lo + " and " + hi + "."
					}
				}
			}
			if msg != "" {
				msgs = append(msgs, msg)
				if implicit {
					break
				}
			}
		}
	}
	return msgs
}

func sizeOf(v any, numeric bool) float64 {
	if numeric && isNumeric(v) {
		return phpFloat(v)
	}
	switch v := v.(type) {
	case string:
		return float64(len([]rune(v)))
	case []any:
		return float64(len(v))
	case map[string]any:
		return float64(len(v))
	}
	return phpFloat(v)
}

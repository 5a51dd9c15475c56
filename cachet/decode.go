package cachet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Cachet's wire formats are loose: ints may arrive as
// numeric strings (2.3 on SQLite), booleans as 0/1, maps as [] when empty,
// and most strings may be null. The flex* types below accept all of them.

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

func isNullOrEmptyArray(b []byte) bool {
	b = bytes.TrimSpace(b)
	if isNull(b) {
		return true
	}
	if len(b) >= 2 && b[0] == '[' && b[len(b)-1] == ']' {
		return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
	}
	return false
}

// plainString returns the text of a JSON string literal that needs no
// unescaping (the common case), so decoding can skip the generic path.
// The surrounding decoder has already checked that b is valid JSON.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' || bytes.IndexByte(b, '\\') >= 0 || !utf8.Valid(b) {
		return "", false
	}
	return string(b[1 : len(b)-1]), true
}

// plainInt reads a JSON integer literal without allocating.
func plainInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	for i, c := range b {
		if (c < '0' || c > '9') && !(i == 0 && c == '-' && len(b) > 1) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}

// flexInt is an int sent as a number, a numeric string, a bool or null.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	if i, ok := plainInt(b); ok {
		*n = flexInt(i)
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*n = 0
	case bool:
		*n = 0
		if x {
			*n = 1
		}
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32*float64(1<<31) {
			return fmt.Errorf("cachet: %s is not an integer", b)
		}
		*n = flexInt(x)
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			*n = 0
			return nil
		}
		i, err := strconv.Atoi(s)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32*float64(1<<31) {
				return fmt.Errorf("cachet: %q is not an integer", x)
			}
			i = int(f)
		}
		*n = flexInt(i)
	default:
		return fmt.Errorf("cachet: %s is not an integer", b)
	}
	return nil
}

// wireID is an object's id: a positive integer, sent as a number or (2.3
// on SQLite) a numeric string. Anything else (null, a bool, 0, a negative
// or fractional number) is an error, never read as some other id: a wrong
// id would aim an update or a delete at another object. An absent id reads
// as 0, which the list and write checks refuse.
type wireID int

func (n *wireID) UnmarshalJSON(b []byte) error {
	text := b
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		text = b[1 : len(b)-1]
	}
	i, ok := plainInt(text)
	if !ok || i <= 0 || i > math.MaxInt32*(1<<31) {
		return fmt.Errorf("cachet: id %.40s is not a positive integer", b)
	}
	*n = wireID(i)
	return nil
}

// flexFloat is a number sent as a number, a numeric string or null.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*f = 0
	case float64:
		*f = flexFloat(x)
	case string:
		if strings.TrimSpace(x) == "" {
			*f = 0
			return nil
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return fmt.Errorf("cachet: %q is not a number", x)
		}
		*f = flexFloat(p)
	default:
		return fmt.Errorf("cachet: %s is not a number", b)
	}
	return nil
}

// flexBool is a bool sent as true/false, 0/1, "0"/"1", "true"/"false" or null.
type flexBool bool

func (p *flexBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", "1":
		*p = true
		return nil
	case "false", "0", "null":
		*p = false
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*p = false
	case bool:
		*p = flexBool(x)
	case float64:
		*p = x != 0
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "", "0", "false":
			*p = false
		case "1", "true":
			*p = true
		default:
			return fmt.Errorf("cachet: %q is not a boolean", x)
		}
	default:
		return fmt.Errorf("cachet: %s is not a boolean", b)
	}
	return nil
}

// flexString is a string that may be null (read as ""); numbers and bools
// are read as their JSON text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	if str, ok := plainString(b); ok {
		*s = flexString(str)
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*s = ""
	case string:
		*s = flexString(x)
	case float64, bool:
		*s = flexString(bytes.TrimSpace(b))
	default:
		return fmt.Errorf("cachet: %.40s is not a string", b)
	}
	return nil
}

// flexStrings is a list of strings; null reads as nil and a lone string as
// a list of one.
type flexStrings []string

func (l *flexStrings) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = nil
	switch x := v.(type) {
	case nil:
	case string:
		*l = flexStrings{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				*l = append(*l, s)
			} else {
				*l = append(*l, fmt.Sprint(e))
			}
		}
	case map[string]any:
		// {"field":["message", ...]}: flatten in key order.
		var keys []string
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			var sub flexStrings
			raw, _ := json.Marshal(x[k])
			if err := sub.UnmarshalJSON(raw); err == nil {
				*l = append(*l, sub...)
			}
		}
	default:
		*l = flexStrings{fmt.Sprint(x)}
	}
	return nil
}

// Cachet's date layouts.
const (
	layoutDateTime = "2006-01-02 15:04:05" // presenter timestamps
	layoutMinute   = "2006-01-02 15:04"    // incident and schedule inputs
	layoutHuman    = "Monday 2 January 2006 15:04:05"
)

// flexTime is a Cachet timestamp ("Y-m-d H:i:s", read as UTC; RFC 3339 is
// also accepted); null and "" read as the zero time.
type flexTime time.Time

func (t *flexTime) UnmarshalJSON(b []byte) error {
	if v, ok := dateTimeLiteral(b); ok {
		*t = flexTime(v)
		return nil
	}
	if str, ok := plainString(b); ok && len(str) == len(layoutDateTime) {
		if v, err := time.ParseInLocation(layoutDateTime, str, time.UTC); err == nil {
			*t = flexTime(v)
			return nil
		}
	}
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("cachet: timestamp %.40s is not a string", b)
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		*t = flexTime{}
		return nil
	}
	v, err := parseTime(*s)
	if err != nil {
		return err
	}
	*t = flexTime(v)
	return nil
}

// dateTimeLiteral reads the JSON string "YYYY-MM-DD hh:mm:ss" (layoutDateTime,
// every field two or four digits and in range) as UTC without the generic
// parser; anything else is left to it. It accepts only what
// time.ParseInLocation(layoutDateTime, ..., time.UTC) reads the same.
func dateTimeLiteral(b []byte) (time.Time, bool) {
	if len(b) != len(layoutDateTime)+2 || b[0] != '"' || b[len(b)-1] != '"' {
		return time.Time{}, false
	}
	s := b[1 : len(b)-1]
	if s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range s[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, second := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	if t.Day() != day { // past the month's end
		return time.Time{}, false
	}
	return t, true
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{layoutDateTime, time.RFC3339Nano, layoutMinute, "2006-01-02T15:04:05", "2006-01-02"} {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("cachet: cannot read timestamp %q", s)
}

// stripOrdinals turns "3rd" into "3" in each word of a human date and
// folds runs of spaces.
func stripOrdinals(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if n := len(w); n >= 3 && n <= 4 {
			digits, suffix := w[:n-2], w[n-2:]
			if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") && strings.Trim(digits, "0123456789") == "" {
				words[i] = digits
			}
		}
	}
	return strings.Join(words, " ")
}

// humanTime is a subscriber's verified_at: "Friday 3rd May 2024 00:00:00"
// (setting incident_date_format). A format it cannot read gives the zero
// time rather than an error, because the format is configurable.
type humanTime time.Time

func (t *humanTime) UnmarshalJSON(b []byte) error {
	*t = humanTime{}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		if v, ok := humanDateLiteral(b[1 : len(b)-1]); ok {
			*t = humanTime(v)
			return nil
		}
	}
	s, ok := plainString(b)
	if !ok {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if s, ok = v.(string); !ok {
			return nil
		}
	}
	*t = humanTime(parseHumanTime(s))
	return nil
}

// parseHumanTime reads a verified_at text, or gives the zero time.
func parseHumanTime(s string) time.Time {
	// Cachet's default renders a weekday first; try a machine date only
	// when the text starts with a digit.
	if strings.IndexFunc(s, unicode.IsDigit) == 0 {
		if p, err := parseTime(s); err == nil {
			return p
		}
	}
	clean := stripOrdinals(s)
	for _, layout := range []string{layoutHuman, "Monday 2 January 2006 15:04", "Monday 2 January 2006", "2 January 2006 15:04:05"} {
		if p, err := time.ParseInLocation(layout, clean, time.UTC); err == nil {
			return p
		}
	}
	return time.Time{}
}

var (
	longWeekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	longMonths   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// humanDateLiteral reads Cachet's default verified_at text exactly as
// written, "Friday 3rd May 2024 00:00:00" (a weekday, a day of one or two
// digits with or without its ordinal suffix, a month, a four-digit year and
// a two-digit time, one space apart), without the generic parser; anything
// else is left to parseHumanTime, which reads the same texts the same
// (TestHumanDateLiteral).
func humanDateLiteral(b []byte) (time.Time, bool) {
	word := func(names []string) int {
		for i, n := range names {
			if len(b) > len(n) && string(b[:len(n)]) == n && b[len(n)] == ' ' {
				b = b[len(n)+1:]
				return i
			}
		}
		return -1
	}
	num := func(n int) int {
		if len(b) < n {
			return -1
		}
		v := 0
		for _, c := range b[:n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		b = b[n:]
		return v
	}
	if word(longWeekdays) < 0 {
		return time.Time{}, false
	}
	digits := 1
	if len(b) > 1 && b[1] >= '0' && b[1] <= '9' {
		digits = 2
	}
	day := num(digits)
	if len(b) > 2 && b[0] != ' ' {
		switch string(b[:2]) {
		case "st", "nd", "rd", "th":
			b = b[2:]
		default:
			return time.Time{}, false
		}
	}
	if day < 1 || len(b) == 0 || b[0] != ' ' {
		return time.Time{}, false
	}
	b = b[1:]
	month := word(longMonths) + 1
	year := num(4)
	if month < 1 || year < 0 || len(b) != 9 || b[0] != ' ' || b[3] != ':' || b[6] != ':' {
		return time.Time{}, false
	}
	b = b[1:]
	hour := num(2)
	b = b[1:]
	minute := num(2)
	b = b[1:]
	second := num(2)
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	if t.Day() != day { // past the month's end
		return time.Time{}, false
	}
	return t, true
}

// wireTags is a component's tags: {"slug":"Name"}, [] when empty, or null.
// A list of names is also accepted.
type wireTags Tags

func (t *wireTags) UnmarshalJSON(b []byte) error {
	if tags, ok := plainTags(b); ok {
		*t = wireTags(tags)
		return nil
	}
	tags, err := genericTags(b)
	if err != nil {
		return err
	}
	*t = wireTags(tags)
	return nil
}

// plainTags reads the common shapes of a component's tags without
// decoding them into generic values: [], null, and an object whose values
// are strings with no escapes ({"slug":"Name"}, Cachet's). It gives what
// genericTags gives, or false (TestPlainTags).
func plainTags(b []byte) (Tags, bool) {
	if s := string(b); s == "[]" || s == "null" {
		return Tags{}, true
	}
	if len(b) == 0 || b[0] != '{' {
		return nil, false
	}
	out := Tags{}
	ok := objectMembers(b, func(key, val []byte) bool {
		name, ok := plainString(val)
		if ok {
			out[string(key)] = name
		}
		return ok
	})
	return out, ok
}

// genericTags reads tags in any shape Cachet has sent them in.
func genericTags(b []byte) (Tags, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	out := Tags{}
	switch x := v.(type) {
	case nil:
	case map[string]any:
		for slug, name := range x {
			switch n := name.(type) {
			case string:
				out[slug] = n
			case nil:
				out[slug] = slug
			default:
				out[slug] = fmt.Sprint(n)
			}
		}
	case []any:
		for _, e := range x {
			name, ok := e.(string)
			if !ok {
				if m, isMap := e.(map[string]any); isMap {
					name, _ = m["name"].(string)
				}
			}
			if name != "" {
				out.Add(name)
			}
		}
	case string:
		for _, name := range strings.Split(x, ",") {
			if strings.TrimSpace(name) != "" {
				out.Add(name)
			}
		}
	default:
		return nil, fmt.Errorf("cachet: tags %.40s are neither an object nor a list", b)
	}
	return out, nil
}

// wireMeta is a meta value: an object, or null/[] for empty. It remembers
// whether the key was present at all (Cachet 2.3 components have none).
type wireMeta struct {
	present bool
	m       Meta
}

func (w *wireMeta) UnmarshalJSON(b []byte) error {
	w.present = true
	w.m = Meta{}
	if isNullOrEmptyArray(b) {
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case map[string]any:
		w.m = Meta(x)
	case []any:
		// A PHP list: keys are the indexes.
		for i, e := range x {
			w.m[strconv.Itoa(i)] = e
		}
	case string:
		// Some drivers hand the JSON column back as text.
		var m map[string]any
		if json.Unmarshal([]byte(x), &m) == nil {
			w.m = Meta(m)
		}
	default:
		return fmt.Errorf("cachet: meta %.40s is not an object", b)
	}
	return nil
}

// meta returns nil when the key was absent, else a non-nil map.
func (w wireMeta) meta() Meta {
	if !w.present {
		return nil
	}
	return w.m
}

// metaOrEmpty returns a non-nil map, also when the key was absent.
func (w wireMeta) metaOrEmpty() Meta {
	if w.m == nil {
		return Meta{}
	}
	return w.m
}

// wirePagination is meta.pagination.
type wirePagination struct {
	Total       flexInt `json:"total"`
	Count       flexInt `json:"count"`
	PerPage     flexInt `json:"per_page"`
	CurrentPage flexInt `json:"current_page"`
	TotalPages  flexInt `json:"total_pages"`
	Links       struct {
		NextPage     flexString `json:"next_page"`
		PreviousPage flexString `json:"previous_page"`
	} `json:"links"`
}

type wireListMeta struct {
	Pagination wirePagination `json:"pagination"`
}

func (w wirePagination) model() Pagination {
	return Pagination{
		Total:        int(w.Total),
		Count:        int(w.Count),
		PerPage:      int(w.PerPage),
		CurrentPage:  int(w.CurrentPage),
		TotalPages:   int(w.TotalPages),
		NextPage:     string(w.Links.NextPage),
		PreviousPage: string(w.Links.PreviousPage),
	}
}

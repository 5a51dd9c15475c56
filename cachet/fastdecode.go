package cachet

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"
)

// A fast path for the subscriber list, the longest list a page reads:
// Cachet sends each subscriber as a flat object of strings, numbers and a
// list of flat subscription objects. wireSubscriber's UnmarshalJSON splits
// such an object into its members itself and hands each member to its
// field's UnmarshalJSON, as encoding/json would, without reflection. Any
// shape it does not handle plainly (a key spelled in another case, a key
// twice, an escaped key, a member of an unexpected kind, a field that fails
// to decode, a subscriber not decoded into from scratch) goes to
// encoding/json, so the result is always what encoding/json gives.
// TestFastSubscriberDecoding and FuzzDecode compare both paths.

// objectMembers calls member for each member of the JSON object b in order,
// with the key (which has no escapes) and the value's bytes. It returns
// false, having stopped, when b is not one object (white space around it
// allowed), a key has an escape, a control byte or a byte that is not
// ASCII, a value is not valid JSON as far as skipValue checks it, or member
// returns false. A member that takes a list or object value without
// reading it through these functions checks it with validComposite.
func objectMembers(b []byte, member func(key, val []byte) bool) bool {
	end := objectMembersAt(b, skipSpace(b, 0), func(key, b []byte, i int) int {
		e := skipValue(b, i)
		if e < 0 || !member(key, b[i:e]) {
			return -1
		}
		return e
	})
	return end >= 0 && skipSpace(b, end) == len(b)
}

// objectMembersAt reads the object at b[i] as objectMembers does, except
// that member reads each value itself, from b[i], returning the index after
// it or -1. It returns the index after the object, or -1.
func objectMembersAt(b []byte, i int, member func(key, b []byte, i int) int) int {
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for i < len(b) {
		if b[i] != '"' {
			return -1
		}
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' || b[end] >= utf8.RuneSelf || b[end] < 0x20 {
				return -1
			}
			end++
		}
		if end >= len(b) {
			return -1
		}
		key := b[i+1 : end]
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		i = skipSpace(b, i+1)
		vEnd := member(key, b, i)
		if vEnd < 0 {
			return -1
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
	return -1
}

// validComposite reports whether a list or object value that the fast
// path does not read itself is valid JSON (skipValue only matched its
// brackets); other values were checked by skipValue.
func validComposite(val []byte) bool {
	return val[0] != '{' && val[0] != '[' || json.Valid(val)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index after the JSON value starting at b[i], or -1.
// A string, number or literal must be valid JSON; a list or object only
// has its brackets matched (outside strings): its contents are the
// caller's to check.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := skipString(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && !(b[j] == ',' || b[j] == '}' || b[j] == ']' || b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
		j++
	}
	switch tok := string(b[i:j]); {
	case tok == "true" || tok == "false" || tok == "null" || validNumber(b[i:j]):
		return j
	}
	return -1
}

// skipString returns the index after the JSON string starting at b[i], or
// -1 when it is not a valid one (a control byte, a bad escape, no end).
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if j+1 >= len(b) {
				return -1
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if j+5 >= len(b) || !isHexDigit(b[j+2]) || !isHexDigit(b[j+3]) || !isHexDigit(b[j+4]) || !isHexDigit(b[j+5]) {
					return -1
				}
				j += 5
			default:
				return -1
			}
		}
	}
	return -1
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validNumber reports whether b is a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(b)
}

// otherKey reports whether an unknown key may still be one encoding/json
// matches to a field (it matches names ignoring case): then the fast path
// gives up.
func otherKey(key []byte, fields []string) bool {
	for _, f := range fields {
		if bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return false
}

var subscriberFields = []string{"id", "email", "verify_code", "verified_at", "global", "phone_number", "slack_webhook_url", "subscriptions", "created_at", "updated_at"}

var subscriptionFields = []string{"id", "subscriber_id", "component_id", "created_at", "updated_at"}

// UnmarshalJSON decodes a subscriber, through the fast path above when it
// applies.
func (w *wireSubscriber) UnmarshalJSON(b []byte) error {
	if w.Global == nil && w.Subscriptions == nil {
		if v, ok := decodeSubscriberFast(b); ok {
			*w = v
			return nil
		}
	}
	type jsonSubscriber wireSubscriber // without this method
	return json.Unmarshal(b, (*jsonSubscriber)(w))
}

// decodeSubscriberFast is the fast path of wireSubscriber's UnmarshalJSON
// on a zero subscriber.
func decodeSubscriberFast(b []byte) (wireSubscriber, bool) {
	w, end := decodeSubscriberAt(b, skipSpace(b, 0))
	return w, end >= 0 && skipSpace(b, end) == len(b)
}

// leafValue reads the value at b[i] for a member that does not read lists
// or objects itself: it returns the value and the index after it, or -1.
func leafValue(b []byte, i int) ([]byte, int) {
	e := skipValue(b, i)
	if e < 0 || !validComposite(b[i:e]) {
		return nil, -1
	}
	return b[i:e], e
}

// decodeSubscriberAt reads the subscriber object at b[i], returning the
// index after it, or -1.
func decodeSubscriberAt(b []byte, i int) (w wireSubscriber, end int) {
	var seen memberSet
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		switch string(key) {
		case "id":
			return seen.leaf(b, i, 0, &w.ID)
		case "email":
			return seen.leaf(b, i, 1, &w.Email)
		case "verify_code":
			return seen.leaf(b, i, 2, &w.VerifyCode)
		case "verified_at":
			return seen.leaf(b, i, 3, &w.VerifiedAt)
		case "phone_number":
			return seen.leaf(b, i, 4, &w.PhoneNumber)
		case "slack_webhook_url":
			return seen.leaf(b, i, 5, &w.SlackWebhookURL)
		case "created_at":
			return seen.leaf(b, i, 6, &w.CreatedAt)
		case "updated_at":
			return seen.leaf(b, i, 7, &w.UpdatedAt)
		case "global":
			return optionalLeaf(&seen, b, i, 8, &w.Global)
		case "subscriptions":
			if !seen.first(9) {
				return -1
			}
			var e int
			w.Subscriptions, e = listOrNullAt(b, i, 4, decodeSubscriptionAt)
			return e
		}
		return otherMember(key, b, i, subscriberFields)
	})
	return w, end
}

// memberSet records which members of one object were decoded, by bit: a
// member that comes twice sends the object to encoding/json.
type memberSet uint32

// first marks member bit and reports whether it was not marked yet.
func (s *memberSet) first(bit uint) bool {
	if *s&(1<<bit) != 0 {
		return false
	}
	*s |= 1 << bit
	return true
}

// leaf decodes the leaf value at b[i] into field, once per bit; it
// returns the index after the value, or -1.
func (s *memberSet) leaf(b []byte, i int, bit uint, field json.Unmarshaler) int {
	val, e := leafValue(b, i)
	if e < 0 || !s.first(bit) || field.UnmarshalJSON(val) != nil {
		return -1
	}
	return e
}

// optionalLeaf is leaf for a pointer member: null leaves it nil, as
// encoding/json does.
func optionalLeaf[T any, P interface {
	*T
	json.Unmarshaler
}](s *memberSet, b []byte, i int, bit uint, dst *P) int {
	val, e := leafValue(b, i)
	if e < 0 || !s.first(bit) {
		return -1
	}
	if string(val) == "null" {
		return e
	}
	v := P(new(T))
	if v.UnmarshalJSON(val) != nil {
		return -1
	}
	*dst = v
	return e
}

// otherMember skips a member the type does not have, unless encoding/json
// would match its key to one of fields (case-insensitively).
func otherMember(key, b []byte, i int, fields []string) int {
	_, e := leafValue(b, i)
	if e < 0 || otherKey(key, fields) {
		return -1
	}
	return e
}

// listOrNullAt reads null (a nil slice, as encoding/json leaves it) or a
// list whose members itemAt reads, at b[i]; it returns the index after
// it, or -1.
func listOrNullAt[T any](b []byte, i, capHint int, itemAt func(b []byte, i int) (T, int)) ([]T, int) {
	if i < len(b) && b[i] == 'n' {
		if e := skipValue(b, i); e >= 0 && string(b[i:e]) == "null" {
			return nil, e
		}
		return nil, -1
	}
	out := make([]T, 0, capHint)
	end := listAt(b, i, func(b []byte, i int) int {
		item, e := itemAt(b, i)
		if e >= 0 {
			out = append(out, item)
		}
		return e
	})
	return out, end
}

// listAt reads the JSON list at b[i] whose members item reads (from b[i],
// returning the index after the member or -1); it returns the index after
// the list, or -1.
func listAt(b []byte, i int, item func(b []byte, i int) int) int {
	if i >= len(b) || b[i] != '[' {
		return -1
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for i < len(b) {
		end := item(b, i)
		if end < 0 {
			return -1
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
	return -1
}

// decodeSubscriptionAt reads the subscription object at b[i], returning
// the index after it, or -1.
func decodeSubscriptionAt(b []byte, i int) (s wireSubscription, end int) {
	var seen memberSet
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		switch string(key) {
		case "id":
			return seen.leaf(b, i, 0, &s.ID)
		case "subscriber_id":
			return seen.leaf(b, i, 1, &s.SubscriberID)
		case "component_id":
			return seen.leaf(b, i, 2, &s.ComponentID)
		case "created_at":
			return seen.leaf(b, i, 3, &s.CreatedAt)
		case "updated_at":
			return seen.leaf(b, i, 4, &s.UpdatedAt)
		}
		return otherMember(key, b, i, subscriptionFields)
	})
	return s, end
}

// decodeSubscriberPage is decodeEnvelope's fast path for a page of
// subscribers into a nil slice (see decodePage).
func decodeSubscriberPage(data []byte, out *[]wireSubscriber) (meta []byte, ok bool) {
	return decodePage(data, out, decodeSubscriberAt)
}

// decodePage is decodeEnvelope's fast path for a page of items into a nil
// slice: {"data":[...],"meta":...} with each key once and spelled so,
// "data" a list of objects that itemAt reads. It reports false, having
// changed nothing, for anything else, invalid JSON included (then
// encoding/json decodes the page, and reports the error). What it accepts
// is valid JSON: it checks what it reads (FuzzSubscriberFastPath and
// FuzzComponentFastPath compare it with json.Valid).
func decodePage[T any](data []byte, out *[]T, itemAt func(b []byte, i int) (T, int)) (meta []byte, ok bool) {
	if *out != nil {
		return nil, false
	}
	var list []T
	var seenData, seenMeta bool
	end := objectMembersAt(data, skipSpace(data, 0), func(key, b []byte, i int) int {
		if string(key) == "data" {
			if seenData {
				return -1
			}
			seenData = true
			list = make([]T, 0, 16)
			return listAt(b, i, func(b []byte, i int) int {
				w, e := itemAt(b, i)
				if e >= 0 {
					list = append(list, w)
				}
				return e
			})
		}
		val, e := leafValue(b, i)
		switch {
		case e < 0:
			return -1
		case string(key) == "meta":
			if seenMeta {
				return -1
			}
			seenMeta = true
			meta = val
		case otherKey(key, []string{"data", "meta"}):
			return -1
		}
		return e
	})
	if end < 0 || skipSpace(data, end) != len(data) || !seenData {
		return nil, false
	}
	*out = list
	return meta, true
}

// A fast path for components, which the component list and each group's
// two component lists hold: the same member-by-member decoding as for
// subscribers, on the same terms (anything unusual goes to encoding/json).
// TestFastComponentDecoding and FuzzComponentFastPath compare both paths.

var componentFields = []string{"id", "name", "description", "link", "status", "status_name", "order", "group_id", "enabled", "meta", "tags", "created_at", "updated_at"}

// UnmarshalJSON decodes a component, through the fast path when it is
// decoded into from scratch.
func (w *wireComponent) UnmarshalJSON(b []byte) error {
	if w.isZero() {
		if v, ok := decodeComponentFast(b); ok {
			*w = v
			return nil
		}
	}
	type jsonComponent wireComponent // without this method
	return json.Unmarshal(b, (*jsonComponent)(w))
}

// isZero reports whether w holds nothing that encoding/json would decode
// into rather than over.
func (w *wireComponent) isZero() bool {
	return w.ID == 0 && w.Name == "" && w.Description == "" && w.Link == "" && w.Status == 0 && w.StatusName == "" &&
		w.Order == 0 && w.GroupID == 0 && !bool(w.Enabled) && !w.Meta.present && w.Meta.m == nil && w.Tags == nil &&
		time.Time(w.CreatedAt).IsZero() && time.Time(w.UpdatedAt).IsZero()
}

// decodeComponentFast is the fast path of wireComponent's UnmarshalJSON on
// a zero component: the object's members, each key once and spelled as the
// field's, each value handed to its field's UnmarshalJSON.
func decodeComponentFast(b []byte) (wireComponent, bool) {
	w, end := decodeComponentAt(b, skipSpace(b, 0))
	return w, end >= 0 && skipSpace(b, end) == len(b)
}

// decodeComponentAt reads the component object at b[i], returning the
// index after it, or -1.
func decodeComponentAt(b []byte, i int) (w wireComponent, end int) {
	var seen memberSet
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		switch string(key) {
		case "id":
			return seen.leaf(b, i, 0, &w.ID)
		case "name":
			return seen.leaf(b, i, 1, &w.Name)
		case "description":
			return seen.leaf(b, i, 2, &w.Description)
		case "link":
			return seen.leaf(b, i, 3, &w.Link)
		case "status":
			return seen.leaf(b, i, 4, &w.Status)
		case "status_name":
			return seen.leaf(b, i, 5, &w.StatusName)
		case "order":
			return seen.leaf(b, i, 6, &w.Order)
		case "group_id":
			return seen.leaf(b, i, 7, &w.GroupID)
		case "enabled":
			return seen.leaf(b, i, 8, &w.Enabled)
		case "meta":
			return seen.leaf(b, i, 9, &w.Meta)
		case "tags":
			return seen.leaf(b, i, 10, &w.Tags)
		case "created_at":
			return seen.leaf(b, i, 11, &w.CreatedAt)
		case "updated_at":
			return seen.leaf(b, i, 12, &w.UpdatedAt)
		}
		return otherMember(key, b, i, componentFields)
	})
	return w, end
}

var groupFields = []string{"id", "name", "order", "collapsed", "visible", "enabled_components", "enabled_components_lowest", "lowest_human_status", "created_at", "updated_at"}

// decodeGroupAt reads the group object at b[i] as encoding/json would
// into a zero wireGroup, its component lists through decodeComponentAt,
// returning the index after it, or -1.
func decodeGroupAt(b []byte, i int) (w wireGroup, end int) {
	var seen memberSet
	components := func(dst *[]wireComponent, bit uint, b []byte, i int) int {
		if !seen.first(bit) {
			return -1
		}
		var e int
		*dst, e = listOrNullAt(b, i, 8, decodeComponentAt)
		return e
	}
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		switch string(key) {
		case "id":
			return seen.leaf(b, i, 0, &w.ID)
		case "name":
			return seen.leaf(b, i, 1, &w.Name)
		case "order":
			return seen.leaf(b, i, 2, &w.Order)
		case "collapsed":
			return seen.leaf(b, i, 3, &w.Collapsed)
		case "visible":
			return optionalLeaf(&seen, b, i, 4, &w.Visible)
		case "enabled_components":
			return components(&w.EnabledComponents, 5, b, i)
		case "enabled_components_lowest":
			return components(&w.EnabledComponentsLowest, 6, b, i)
		case "lowest_human_status":
			return seen.leaf(b, i, 7, &w.LowestHumanStatus)
		case "created_at":
			return seen.leaf(b, i, 8, &w.CreatedAt)
		case "updated_at":
			return seen.leaf(b, i, 9, &w.UpdatedAt)
		}
		return otherMember(key, b, i, groupFields)
	})
	return w, end
}

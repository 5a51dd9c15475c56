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
	var seen uint16
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		if string(key) == "subscriptions" {
			if seen&(1<<9) != 0 {
				return -1
			}
			seen |= 1 << 9
			subs, e := decodeSubscriptionsAt(b, i)
			w.Subscriptions = subs
			return e
		}
		val, e := leafValue(b, i)
		if e < 0 {
			return -1
		}
		var field json.Unmarshaler
		var bit uint16
		switch string(key) {
		case "id":
			field, bit = &w.ID, 1<<0
		case "email":
			field, bit = &w.Email, 1<<1
		case "verify_code":
			field, bit = &w.VerifyCode, 1<<2
		case "verified_at":
			field, bit = &w.VerifiedAt, 1<<3
		case "phone_number":
			field, bit = &w.PhoneNumber, 1<<4
		case "slack_webhook_url":
			field, bit = &w.SlackWebhookURL, 1<<5
		case "created_at":
			field, bit = &w.CreatedAt, 1<<6
		case "updated_at":
			field, bit = &w.UpdatedAt, 1<<7
		case "global":
			if seen&(1<<8) != 0 {
				return -1
			}
			seen |= 1 << 8
			if string(val) == "null" {
				return e // encoding/json sets a nil pointer
			}
			w.Global = new(flexBool)
			if w.Global.UnmarshalJSON(val) != nil {
				return -1
			}
			return e
		default:
			if otherKey(key, subscriberFields) {
				return -1
			}
			return e
		}
		if seen&bit != 0 || field.UnmarshalJSON(val) != nil {
			return -1
		}
		seen |= bit
		return e
	})
	return w, end
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

// decodeSubscriptionsAt reads a subscriber's subscriptions at b[i]: null,
// or a list of flat objects. It returns the index after them, or -1.
func decodeSubscriptionsAt(b []byte, i int) ([]wireSubscription, int) {
	if i < len(b) && b[i] == 'n' {
		if e := skipValue(b, i); e >= 0 && string(b[i:e]) == "null" {
			return nil, e
		}
		return nil, -1
	}
	out := make([]wireSubscription, 0, 4)
	end := listAt(b, i, func(b []byte, i int) int {
		s, e := decodeSubscriptionAt(b, i)
		if e >= 0 {
			out = append(out, s)
		}
		return e
	})
	return out, end
}

// decodeSubscriptionAt reads the subscription object at b[i], returning
// the index after it, or -1.
func decodeSubscriptionAt(b []byte, i int) (s wireSubscription, end int) {
	var seen uint8
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		val, e := leafValue(b, i)
		if e < 0 {
			return -1
		}
		var field json.Unmarshaler
		var bit uint8
		switch string(key) {
		case "id":
			field, bit = &s.ID, 1<<0
		case "subscriber_id":
			field, bit = &s.SubscriberID, 1<<1
		case "component_id":
			field, bit = &s.ComponentID, 1<<2
		case "created_at":
			field, bit = &s.CreatedAt, 1<<3
		case "updated_at":
			field, bit = &s.UpdatedAt, 1<<4
		default:
			if otherKey(key, subscriptionFields) {
				return -1
			}
			return e
		}
		if seen&bit != 0 || field.UnmarshalJSON(val) != nil {
			return -1
		}
		seen |= bit
		return e
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
	var seen uint16
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		val, e := leafValue(b, i)
		if e < 0 {
			return -1
		}
		var field json.Unmarshaler
		var bit uint16
		switch string(key) {
		case "id":
			field, bit = &w.ID, 1<<0
		case "name":
			field, bit = &w.Name, 1<<1
		case "description":
			field, bit = &w.Description, 1<<2
		case "link":
			field, bit = &w.Link, 1<<3
		case "status":
			field, bit = &w.Status, 1<<4
		case "status_name":
			field, bit = &w.StatusName, 1<<5
		case "order":
			field, bit = &w.Order, 1<<6
		case "group_id":
			field, bit = &w.GroupID, 1<<7
		case "enabled":
			field, bit = &w.Enabled, 1<<8
		case "meta":
			field, bit = &w.Meta, 1<<9
		case "tags":
			field, bit = &w.Tags, 1<<10
		case "created_at":
			field, bit = &w.CreatedAt, 1<<11
		case "updated_at":
			field, bit = &w.UpdatedAt, 1<<12
		default:
			if otherKey(key, componentFields) {
				return -1
			}
			return e
		}
		if seen&bit != 0 || field.UnmarshalJSON(val) != nil {
			return -1
		}
		seen |= bit
		return e
	})
	return w, end
}

var groupFields = []string{"id", "name", "order", "collapsed", "visible", "enabled_components", "enabled_components_lowest", "lowest_human_status", "created_at", "updated_at"}

// decodeGroupAt reads the group object at b[i] as encoding/json would
// into a zero wireGroup, its component lists through decodeComponentAt,
// returning the index after it, or -1.
func decodeGroupAt(b []byte, i int) (w wireGroup, end int) {
	var seen uint16
	components := func(dst *[]wireComponent, b []byte, i int) int {
		if i < len(b) && b[i] == 'n' {
			if e := skipValue(b, i); e >= 0 && string(b[i:e]) == "null" {
				return e // encoding/json leaves a nil slice
			}
			return -1
		}
		list := make([]wireComponent, 0, 8)
		e := listAt(b, i, func(b []byte, i int) int {
			c, e := decodeComponentAt(b, i)
			if e >= 0 {
				list = append(list, c)
			}
			return e
		})
		*dst = list
		return e
	}
	end = objectMembersAt(b, i, func(key, b []byte, i int) int {
		switch string(key) {
		case "enabled_components":
			if seen&(1<<5) != 0 {
				return -1
			}
			seen |= 1 << 5
			return components(&w.EnabledComponents, b, i)
		case "enabled_components_lowest":
			if seen&(1<<6) != 0 {
				return -1
			}
			seen |= 1 << 6
			return components(&w.EnabledComponentsLowest, b, i)
		}
		val, e := leafValue(b, i)
		if e < 0 {
			return -1
		}
		var field json.Unmarshaler
		var bit uint16
		switch string(key) {
		case "id":
			field, bit = &w.ID, 1<<0
		case "name":
			field, bit = &w.Name, 1<<1
		case "order":
			field, bit = &w.Order, 1<<2
		case "collapsed":
			field, bit = &w.Collapsed, 1<<3
		case "lowest_human_status":
			field, bit = &w.LowestHumanStatus, 1<<7
		case "created_at":
			field, bit = &w.CreatedAt, 1<<8
		case "updated_at":
			field, bit = &w.UpdatedAt, 1<<9
		case "visible":
			if seen&(1<<4) != 0 {
				return -1
			}
			seen |= 1 << 4
			if string(val) == "null" {
				return e // encoding/json sets a nil pointer
			}
			w.Visible = new(flexInt)
			if w.Visible.UnmarshalJSON(val) != nil {
				return -1
			}
			return e
		default:
			if otherKey(key, groupFields) {
				return -1
			}
			return e
		}
		if seen&bit != 0 || field.UnmarshalJSON(val) != nil {
			return -1
		}
		seen |= bit
		return e
	})
	return w, end
}

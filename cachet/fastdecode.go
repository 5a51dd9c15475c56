package cachet

import (
	"bytes"
	"encoding/json"
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
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return true
	}
	for i < len(b) {
		if b[i] != '"' {
			return false
		}
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' || b[end] >= utf8.RuneSelf || b[end] < 0x20 {
				return false
			}
			end++
		}
		if end >= len(b) {
			return false
		}
		key := b[i+1 : end]
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i)
		if vEnd < 0 || !member(key, b[i:vEnd]) {
			return false
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
	return false
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
func decodeSubscriberFast(b []byte) (w wireSubscriber, ok bool) {
	var seen uint16
	ok = objectMembers(b, func(key, val []byte) bool {
		var field json.Unmarshaler
		var bit uint16
		if string(key) != "subscriptions" && !validComposite(val) {
			return false
		}
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
				return false
			}
			seen |= 1 << 8
			if string(val) == "null" {
				return true // encoding/json sets a nil pointer
			}
			w.Global = new(flexBool)
			return w.Global.UnmarshalJSON(val) == nil
		case "subscriptions":
			if seen&(1<<9) != 0 {
				return false
			}
			seen |= 1 << 9
			subs, ok := decodeSubscriptionsFast(val)
			w.Subscriptions = subs
			return ok
		default:
			return !otherKey(key, subscriberFields)
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return field.UnmarshalJSON(val) == nil
	})
	return w, ok
}

// decodeSubscriptionsFast decodes a subscriber's subscriptions: null, or a
// list of flat objects.
func decodeSubscriptionsFast(b []byte) ([]wireSubscription, bool) {
	if string(b) == "null" {
		return nil, true
	}
	if len(b) < 2 || b[0] != '[' {
		return nil, false
	}
	out := make([]wireSubscription, 0, bytes.Count(b, []byte{'{'}))
	i := skipSpace(b, 1)
	if i < len(b) && b[i] == ']' {
		return out, skipSpace(b, i+1) == len(b)
	}
	for i < len(b) {
		end := skipValue(b, i)
		if end < 0 {
			return nil, false
		}
		s, ok := decodeSubscriptionFast(b[i:end])
		if !ok {
			return nil, false
		}
		out = append(out, s)
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return out, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
	return nil, false
}

func decodeSubscriptionFast(b []byte) (s wireSubscription, ok bool) {
	var seen uint8
	ok = objectMembers(b, func(key, val []byte) bool {
		var field json.Unmarshaler
		var bit uint8
		if !validComposite(val) {
			return false
		}
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
			return !otherKey(key, subscriptionFields)
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return field.UnmarshalJSON(val) == nil
	})
	return s, ok
}

// decodeSubscriberPage is decodeEnvelope's fast path for a page of
// subscribers into a nil slice: {"data":[...],"meta":...} with each key once
// and spelled so, "data" a list of objects that decodeSubscriberFast reads.
// It reports false, having changed nothing, for anything else, invalid JSON
// included (then encoding/json decodes the page, and reports the error).
// What it accepts is valid JSON: it checks what it reads (FuzzSubscriberFastPath
// compares it with json.Valid).
func decodeSubscriberPage(data []byte, out *[]wireSubscriber) (meta []byte, ok bool) {
	if *out != nil {
		return nil, false
	}
	var list []wireSubscriber
	var seenData, seenMeta bool
	ok = objectMembers(data, func(key, val []byte) bool {
		switch string(key) {
		case "data":
			if seenData {
				return false
			}
			seenData = true
			var listOK bool
			list, listOK = decodeSubscriberList(val)
			return listOK
		case "meta":
			if seenMeta {
				return false
			}
			seenMeta = true
			meta = val
			return validComposite(val)
		}
		return !otherKey(key, []string{"data", "meta"}) && validComposite(val)
	})
	if !ok || !seenData {
		return nil, false
	}
	*out = list
	return meta, true
}

// decodeSubscriberList reads a JSON list of subscriber objects through
// decodeSubscriberFast.
func decodeSubscriberList(b []byte) ([]wireSubscriber, bool) {
	if len(b) < 2 || b[0] != '[' {
		return nil, false
	}
	out := make([]wireSubscriber, 0, 16)
	i := skipSpace(b, 1)
	if i < len(b) && b[i] == ']' {
		return out, skipSpace(b, i+1) == len(b)
	}
	for i < len(b) {
		end := skipValue(b, i)
		if end < 0 {
			return nil, false
		}
		w, ok := decodeSubscriberFast(b[i:end])
		if !ok {
			return nil, false
		}
		out = append(out, w)
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return out, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
	return nil, false
}

package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Value is the value of a field in a plan: text, a label such as
// "(ungrouped)", a whole number, a truth value, a list of names, or a
// mapping (component meta). A nil *Value is no value: the before of a
// create, the after of a delete. Values keep their type through a saved
// plan, so a plan renders the same before and after a round trip.
type Value struct {
	kind   valueKind
	text   string
	num    int
	flag   bool
	list   []string
	fields map[string]any
}

type valueKind int

const (
	textValue valueKind = iota
	labelValue
	intValue
	boolValue
	listValue
	mapValue
)

// Labels that stand for no object rather than name one; they render
// without quotes.
const (
	LabelUngrouped = "(ungrouped)"
	LabelAll       = "(all)"
)

// Text is a string field value.
func Text(s string) *Value { return &Value{kind: textValue, text: s} }

// Label is a word that stands for no object, such as "(ungrouped)".
func Label(s string) *Value { return &Value{kind: labelValue, text: s} }

// Int is a whole-number field value (an order).
func Int(n int) *Value { return &Value{kind: intValue, num: n} }

// Bool is a truth field value.
func Bool(b bool) *Value { return &Value{kind: boolValue, flag: b} }

// List is a list of names (tags, components); nil is an empty list.
func List(names []string) *Value {
	if names == nil {
		names = []string{}
	}
	return &Value{kind: listValue, list: names}
}

// Meta is a mapping field value (component meta); nil is an empty mapping.
func Meta(m map[string]any) *Value {
	if m == nil {
		m = map[string]any{}
	}
	return &Value{kind: mapValue, fields: m}
}

// String is the value as plain text: text and labels as they are, a list
// joined by ", ", a mapping as JSON. Format renders it for a plan.
func (v *Value) String() string {
	if v == nil {
		return ""
	}
	switch v.kind {
	case textValue, labelValue:
		return v.text
	case intValue:
		return fmt.Sprint(v.num)
	case boolValue:
		return fmt.Sprint(v.flag)
	case listValue:
		return strings.Join(v.list, ", ")
	}
	return canonicalJSON(v.fields)
}

// Format renders the value for a plan: text quoted, labels bare, lists in
// brackets of quoted names, a mapping as JSON with sorted keys, no value as
// "(none)".
func (v *Value) Format() string {
	if v == nil {
		return "(none)"
	}
	switch v.kind {
	case textValue:
		return fmt.Sprintf("%q", v.text)
	case listValue:
		q := make([]string, len(v.list))
		for i, s := range v.list {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return v.String()
}

// IsText reports whether the value is text (not a label).
func (v *Value) IsText() bool { return v != nil && v.kind == textValue }

// Names returns the names of a list value, nil for any other.
func (v *Value) Names() []string {
	if v == nil || v.kind != listValue {
		return nil
	}
	return v.list
}

// MarshalJSON writes the value as the JSON value it is: a string, a number,
// a boolean, an array of strings or an object.
func (v *Value) MarshalJSON() ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}
	var x any
	switch v.kind {
	case textValue, labelValue:
		x = v.text
	case intValue:
		x = v.num
	case boolValue:
		x = v.flag
	case listValue:
		x = v.list
	default:
		x = v.fields
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// UnmarshalJSON reads what MarshalJSON wrote. The strings "(ungrouped)"
// and "(all)" read back as labels.
func (v *Value) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return err
	}
	switch t := x.(type) {
	case string:
		*v = *Text(t)
		if t == LabelUngrouped || t == LabelAll {
			*v = *Label(t)
		}
	case json.Number:
		n, err := t.Int64()
		if err != nil {
			return fmt.Errorf("plan value %s is not a whole number", t)
		}
		*v = *Int(int(n))
	case bool:
		*v = *Bool(t)
	case []any:
		names := make([]string, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("plan value %s is not a list of names", b)
			}
			names[i] = s
		}
		*v = *List(names)
	case map[string]any:
		*v = *Meta(t)
	default:
		return fmt.Errorf("plan value %s has no known type", b)
	}
	return nil
}

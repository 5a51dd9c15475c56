package binput

import (
	"reflect"
	"testing"
)

// TestV3OnlyTrims: Cachet 3.x stores a string as Laravel's TrimStrings
// leaves it (Str::trim: PHP's trim() set, Unicode spaces, U+FEFF, U+200B,
// U+200E at the ends), with none of 2.x's Security::clean, and
// ConvertEmptyStringsToNull makes "" null inside values.
func TestV3OnlyTrims(t *testing.T) {
	for in, want := range map[string]string{
		"p99 < 200ms":               "p99 < 200ms",
		"  a%20b  ":                 "a%20b",
		"\u00a0\ufeffx\u200b\u200e": "x",
		"\t<b>bold</b>\n":           "<b>bold</b>",
		"in\u00a0side":              "in\u00a0side",
	} {
		if got := V3.Clean(in); got != want {
			t.Errorf("V3.Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if stored, why := V3.Explain(" x"); stored != "x" || !reflect.DeepEqual(why, []string{"trims white space"}) {
		t.Errorf("Explain: %q %v", stored, why)
	}
	got := V3.CleanValue(map[string]any{"a": " x ", "b": "  ", "c": nil, "d": []any{"", 1.5}})
	want := map[string]any{"a": "x", "b": nil, "c": nil, "d": []any{nil, 1.5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CleanValue = %#v, want %#v", got, want)
	}
}

package safetext

import "testing"

func TestLineAndText(t *testing.T) {
	cases := []struct{ in, line, text string }{
		{"plain é ✓", "plain é ✓", "plain é ✓"},
		{"a\x1b[8mhidden", `a\x1b[8mhidden`, `a\x1b[8mhidden`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\x07`, `title\x1b]0;pwned\x07`},
		{"one\ntwo\r\n", `one\ntwo\r\n`, "one\ntwo\\r\n"},
		{"tab\there", `tab\there`, `tab\there`},
		{"c1\u009bdone", `c1\u009bdone`, `c1\u009bdone`},
		{"bidi\u202eevil", `bidi\u202eevil`, `bidi\u202eevil`},
		{"bad\xffbyte", `bad\xffbyte`, `bad\xffbyte`},
		{"del\x7f", `del\x7f`, `del\x7f`},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}

func TestFind(t *testing.T) {
	if off, r, ok := Find("ok\nthen\x1b", true); !ok || off != 7 || r != 0x1b {
		t.Errorf("Find = %d %q %v, want 7 ESC true", off, r, ok)
	}
	if _, _, ok := Find("ok\n", true); ok {
		t.Error("a newline is allowed when kept")
	}
	if off, _, ok := Find("ok\n", false); !ok || off != 2 {
		t.Error("a newline is found when not kept")
	}
}

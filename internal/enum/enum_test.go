package enum

import "testing"

func TestParse(t *testing.T) {
	names := []string{"open", "collapsed", "collapsed-unless-incident"}
	for in, want := range map[string]int{"open": 0, "Collapsed": 1, "collapsed_unless incident": 2, " 2 ": 2} {
		if got, err := Parse("mode", in, names); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := Parse("mode", "3", names); err == nil || err.Error() != "mode 3 is out of range 0–2" {
		t.Errorf("out of range: %v", err)
	}
	if _, err := Parse("mode", "shut", names); err == nil || err.Error() != `unknown mode "shut" (want one of open, collapsed, collapsed-unless-incident, or 0–2)` {
		t.Errorf("unknown: %v", err)
	}
	if Name(names, 1) != "collapsed" || Name(names, 7) != "7" || Name(names, -1) != "-1" {
		t.Error("Name")
	}
}

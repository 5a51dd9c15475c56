package page

import "testing"

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{"operational": StatusOperational, "Partial Outage": StatusPartialOutage,
		"major_outage": StatusMajorOutage, " 2 ": StatusPerformanceIssues, "0": StatusUnknown} {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"5", "-1", "broken", ""} {
		if _, err := ParseStatus(bad); err == nil {
			t.Errorf("ParseStatus(%q) accepted", bad)
		}
	}
	if got := StatusMajorOutage.String(); got != "major-outage" {
		t.Errorf("String = %q", got)
	}
	if got := Status(9).String(); got != "9" {
		t.Errorf("out of range String = %q", got)
	}
}

func TestParseCollapsed(t *testing.T) {
	for in, want := range map[string]Collapsed{"open": Open, "collapsed": CollapsedAlways,
		"Collapsed Unless Incident": CollapsedUnlessIncident, "2": CollapsedUnlessIncident} {
		if got, err := ParseCollapsed(in); err != nil || got != want {
			t.Errorf("ParseCollapsed(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseCollapsed("3"); err == nil || err.Error() != "collapsed value 3 is out of range 0–2" {
		t.Errorf("ParseCollapsed(3): %v", err)
	}
	if len(CollapsedNames()) != 3 || len(StatusNames()) != 5 {
		t.Error("name lists")
	}
}

func TestVisibility(t *testing.T) {
	if VisibleIf(true) != Public || VisibleIf(false) != LoggedInOnly {
		t.Error("VisibleIf")
	}
	if Public.String() != "public" || LoggedInOnly.String() != "logged-in" {
		t.Error("String")
	}
}

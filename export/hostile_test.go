package export_test

import (
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// trickyNames are names YAML would misread if written plain: merge keys,
// YAML 1.1 and 1.2 booleans and nulls, numbers, anchors, aliases, tags,
// indicators, comments, quotes and mapping or list syntax.
var trickyNames = []string{
	"<<", "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "NULL", "~",
	"*alias", "&anchor", "!tag", "!!str", "%directive", "@at", "`tick", "|", ">", "|-", ">+",
	"? key", "- item", "-", "--- doc", "...", "a: b", "key:", "a #comment", "#hash", "'single", "\"double",
	"[list]", "{map}", "x, y", "0x1F", "0o17", "017", "1e3", "1_000", ".inf", "-.Inf", ".nan", "12:30", "2024-01-02",
	"=", "trailing ", " leading", "tab\tinside", "a\\b", "é ✓ 🚀",
}

// TestExportedNamesReadBack: every tricky name, exported, parses back to
// the same name through the tool's own spec.Load rules.
func TestExportedNamesReadBack(t *testing.T) {
	for _, name := range trickyNames {
		if strings.TrimSpace(name) != name || strings.ContainsRune(name, '\t') {
			continue // trimmed or refused by Cachet's rules; covered below
		}
		live := &plan.Live{Version: "2.4", Complete: true,
			Groups:     []plan.Group{{ID: 1, Name: name, Order: 1, Visible: page.Public, HasVisibility: true}},
			Components: []plan.Component{{ID: 1, Name: name, GroupID: 1, Order: 1, Enabled: true, Description: name, Tags: []string{}}, {ID: 2, Name: name + " 2", Order: 2, Enabled: true, Tags: []string{}}}}
		got := write(t, live, export.Options{})
		s, err := spec.Parse("x.yaml", []byte(got))
		if err != nil {
			t.Errorf("%q: the export does not validate: %v\n%s", name, err, got)
			continue
		}
		if len(s.Groups) != 1 || s.Groups[0].Name != name || len(s.Groups[0].Components) != 1 || s.Groups[0].Components[0].Name != name ||
			len(s.Components) != 1 || s.Components[0].Name != name+" 2" {
			t.Errorf("%q: read back as %+v\n%s", name, s, got)
		}
	}
}

// TestControlCharacterNamesAreExportedEscaped: a live name with a tab or
// an escape code is exported escaped, pinned to its id, with a warning; the
// file validates and plans one rename, not a create and a delete.
func TestControlCharacterNamesAreExportedEscaped(t *testing.T) {
	live := &plan.Live{Version: "2.4", Complete: true,
		Groups:     []plan.Group{{ID: 4, Name: "G\x1b[8m", Order: 1, Visible: page.Public, HasVisibility: true}},
		Components: []plan.Component{{ID: 7, Name: "tab\tinside", Order: 1, Enabled: true, Status: page.StatusOperational, Tags: []string{}}}}
	var warnings []string
	got := write(t, live, export.Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if strings.ContainsAny(got, "\t\x1b") {
		t.Fatalf("a control character was written:\n%q", got)
	}
	s, err := spec.Parse("x.yaml", []byte(got))
	if err != nil {
		t.Fatalf("the export does not validate: %v\n%s", err, got)
	}
	if s.Groups[0].Name != `G\x1b[8m` || s.Groups[0].ID != 4 || s.Components[0].Name != `tab\tinside` || s.Components[0].ID != 7 {
		t.Fatalf("read back as %+v", s)
	}
	want := []string{`group 4's name G\x1b[8m holds control characters; it is exported escaped, so the first apply renames it`,
		`component 7's name tab\tinside holds control characters; it is exported escaped, so the first apply renames it`}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings = %q, want %q", warnings, want)
	}
	p, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if sum := p.Summary(); sum.Create != 0 || sum.Delete != 0 || sum.Update != 2 {
		t.Fatalf("plan %+v, want two renames", sum)
	}
}

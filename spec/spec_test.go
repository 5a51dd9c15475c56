package spec

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/page"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected *.err files of testdata/bad and testdata/baddir")

func ptr[T any](v T) *T { return &v }

func TestParseGoodExample(t *testing.T) {
	const f = "testdata/good.yaml"
	got, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	at := func(line, col int) Pos { return Pos{f, line, col} }
	api := Component{
		Name:        "API",
		Previously:  []string{"REST API", "Old API"},
		ID:          10,
		Description: ptr("Public REST API"),
		Link:        ptr("https://api.example.com/v1"),
		Enabled:     ptr(true),
		Tags:        []string{"production", "eu-west"},
		Status:      ptr(page.StatusOperational),
		Meta: map[string]any{
			"owner": "platform", "tier": 1.0, "ratio": 0.5,
			"oncall": []any{"alice", "bob"}, "extra": nil, "paged": false,
		},
		Pos: at(13, 9),
	}
	website := Component{Name: "Website", Link: ptr(""), Tags: []string{}, Status: ptr(page.StatusPartialOutage), Pos: at(23, 9)}
	wiki := Component{
		Name: "Wiki", Description: ptr(""), Enabled: ptr(true), Tags: []string{"internal"},
		Status: ptr(page.StatusMajorOutage), Pos: at(31, 9),
	}
	tools := Component{Name: "Internal tools", Pos: at(36, 5)}
	farm := Component{Name: "Build farm", Enabled: ptr(false), Tags: []string{"internal"}, Meta: map[string]any{}, Pos: at(37, 5)}
	want := &Spec{
		Groups: []Group{
			{
				Name: "Customer facing", Previously: []string{"Public"}, ID: 3,
				Visible: ptr(true), Collapsed: ptr(page.Open),
				Components: []Component{api, website}, Pos: at(7, 5),
			},
			{
				Name: "Staff only", Visible: ptr(false), Collapsed: ptr(page.CollapsedUnlessIncident),
				Components: []Component{wiki}, Pos: at(27, 5),
			},
		},
		Components: []Component{tools, farm},
		Subscribers: []Subscriber{
			{Email: "oncall@example.com", Components: []string{"API", "Wiki"}, Pos: at(42, 5)},
			{Email: "Everyone@Example.com", Pos: at(44, 5)},
		},
		Prune: Prune{Groups: true, Components: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(%s) mismatch (-want +got):\n%s", f, diff)
	}
	// A nil Tags means "not managed" and an empty one "declared empty": keep them apart.
	if got.Components[0].Tags != nil || got.Groups[0].Components[1].Tags == nil {
		t.Errorf("tags: want nil for an absent key and non-nil for [], got %#v and %#v",
			got.Components[0].Tags, got.Groups[0].Components[1].Tags)
	}
	all := got.AllComponents()
	var names []string
	for _, c := range all {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"API", "Website", "Wiki", "Internal tools", "Build farm"}, names); diff != "" {
		t.Errorf("AllComponents (-want +got):\n%s", diff)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "\n", "# only a comment\n", "---\n", "~\n", "groups:\ncomponents:\nsubscribers:\n"} {
		got, err := Parse("empty.yaml", []byte(src))
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if diff := cmp.Diff(&Spec{}, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", src, diff)
		}
	}
}

func TestLoadDirectory(t *testing.T) {
	const dir = "testdata/gooddir"
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := filepath.Join(dir, "10-groups.yaml"), filepath.Join(dir, "20-misc.yml"), filepath.Join(dir, "30-groups.yaml")
	want := &Spec{
		Groups: []Group{
			{Name: "Customer facing", Pos: Pos{a, 2, 5}, Components: []Component{{Name: "API", Pos: Pos{a, 4, 9}}}},
			{Name: "Staff only", Pos: Pos{c, 2, 5}},
		},
		Components:  []Component{{Name: "Internal tools", Pos: Pos{b, 2, 5}}},
		Subscribers: []Subscriber{{Email: "oncall@example.com", Components: []string{"API", "Internal tools"}, Pos: Pos{b, 4, 5}}},
		Prune:       Prune{Components: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(%s) mismatch (-want +got):\n%s", dir, diff)
	}
}

func TestLoadDirectoryCrossFileDuplicate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "groups:\n  - name: G\n    components:\n      - name: API\n")
	write("b.yaml", "components:\n  - name: API\n")
	_, err := Load(dir)
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	want := b + `:2:5: duplicate component "API" (first declared at ` + a + ":4:9)"
	if err == nil || err.Error() != want {
		t.Errorf("Load: got %v\nwant %s", err, want)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load("testdata/does-not-exist.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want an error wrapping os.ErrNotExist", err)
	}
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "README.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(empty)
	if err == nil || !strings.Contains(err.Error(), "has no *.yaml or *.yml file") {
		t.Errorf("directory without YAML: got %v, want a no *.yaml error", err)
	}
	var d Diagnostics
	if errors.As(err, &d) {
		t.Errorf("directory without YAML: got Diagnostics, want a plain error")
	}
}

// TestBadCorpus loads every testdata/bad/*.yaml file and testdata/baddir/*
// directory and compares the whole error output with the sibling .err file.
// Run `go test ./spec -update` to rewrite the .err files after a deliberate
// change, and review the diff.
func TestBadCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	dirs, _ := filepath.Glob("testdata/baddir/*")
	var cases []string
	cases = append(cases, files...)
	for _, d := range dirs {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			cases = append(cases, d)
		}
	}
	if len(cases) < 15 {
		t.Fatalf("found %d bad cases, want at least 15", len(cases))
	}
	for _, path := range cases {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want an error", path, s)
			}
			var d Diagnostics
			if !errors.As(err, &d) {
				t.Fatalf("Load(%s): got %T %v, want Diagnostics", path, err, err)
			}
			if s != nil {
				t.Errorf("Load(%s) returned a spec with its error", path)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(path, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./spec -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Load(%s) errors differ from %s (-want +got):\n%s", path, golden, diff)
			}
		})
	}
}

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		pos  Pos
		want string
	}{
		{Pos{"a.yaml", 3, 5}, "a.yaml:3:5"},
		{Pos{"a.yaml", 3, 0}, "a.yaml:3"},
		{Pos{"a.yaml", 0, 0}, "a.yaml"},
		{Pos{"", 3, 5}, "3:5"},
		{Pos{}, ""},
	} {
		if got := tc.pos.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.pos, got, tc.want)
		}
	}
}

func TestDiagnosticsSortedAndDeduplicated(t *testing.T) {
	d := Diagnostics{
		{Pos{"b.yaml", 1, 1}, "four"},
		{Pos{"a.yaml", 10, 1}, "three"},
		{Pos{"a.yaml", 2, 7}, "two"},
		{Pos{"a.yaml", 2, 3}, "one"},
		{Pos{"a.yaml", 2, 7}, "two"},
		{Pos{"a.yaml", 2, 7}, "two b"},
	}
	want := "a.yaml:2:3: one\na.yaml:2:7: two\na.yaml:2:7: two b\na.yaml:10:1: three\nb.yaml:1:1: four"
	if got := d.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if d[0].Message != "four" {
		t.Errorf("Error() reordered the receiver")
	}
}

func TestGitHubAnnotations(t *testing.T) {
	d := Diagnostics{
		{Pos{"specs/b,c.yaml", 4, 0}, "100% wrong\nsecond line"},
		{Pos{"specs/a.yaml", 3, 5}, `unknown key "nmae" in component (did you mean "name"?)`},
		{Pos{}, "no position"},
	}
	want := "::error::no position\n" +
		`::error file=specs/a.yaml,line=3,col=5::unknown key "nmae" in component (did you mean "name"?)` + "\n" +
		"::error file=specs/b%2Cc.yaml,line=4::100%25 wrong%0Asecond line\n"
	if got := d.GitHubAnnotations(); got != want {
		t.Errorf("GitHubAnnotations() =\n%s\nwant\n%s", got, want)
	}
	if got := (Diagnostics{}).GitHubAnnotations(); got != "" {
		t.Errorf("empty: got %q", got)
	}
}

func TestTooManyAliases(t *testing.T) {
	// Each level doubles the work: 2^25 tag visits from a tiny file.
	var b strings.Builder
	b.WriteString("x-0: &a0 [t]\n")
	for i := 1; i <= 25; i++ {
		b.WriteString("x-" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [*a" + strconv.Itoa(i-1) + ", *a" + strconv.Itoa(i-1) + "]\n")
	}
	b.WriteString("components:\n  - name: A\n    meta: {x: *a25}\n")
	_, err := Parse("bomb.yaml", []byte(b.String()))
	want := "bomb.yaml: " + errTooComplex.Error()
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestLargeSpecWithinBudget(t *testing.T) {
	// A large page that reuses defaults through a merge key on every
	// component must not be mistaken for an alias bomb.
	var b strings.Builder
	b.WriteString("x-defaults: &d {enabled: true, tags: [a, b, c], meta: {owner: platform, tier: 1}, status: operational}\ngroups:\n")
	const groups, perGroup = 50, 100
	for g := range groups {
		b.WriteString("  - name: G" + strconv.Itoa(g) + "\n    components:\n")
		for c := range perGroup {
			b.WriteString("      - {<<: *d, name: C" + strconv.Itoa(g*perGroup+c) + "}\n")
		}
	}
	s, err := Parse("large.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.AllComponents()); n != groups*perGroup {
		t.Errorf("got %d components, want %d", n, groups*perGroup)
	}
}

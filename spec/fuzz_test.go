package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that its errors are
// Diagnostics with positions in the file, and that a spec it accepts keeps
// the promises of the package: trimmed, non-blank, unique names.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml", "testdata/gooddir/*", "testdata/baddir/*/*"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("a: &a [*a, *a]\ncomponents:\n  - name: x\n    meta: {k: *a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err != nil {
			var d Diagnostics
			if !errors.As(err, &d) || len(d) == 0 {
				t.Fatalf("error %T %q is not a non-empty Diagnostics", err, err)
			}
			if s != nil {
				t.Fatal("a spec returned with an error")
			}
			for _, x := range d {
				if x.Pos.File != "f.yaml" || x.Message == "" {
					t.Fatalf("bad diagnostic %#v", x)
				}
			}
			_ = d.GitHubAnnotations()
			return
		}
		if s == nil {
			t.Fatal("nil spec without an error")
		}
		groups := map[string]bool{}
		for _, g := range s.Groups {
			checkName(t, g.Name)
			if groups[g.Name] {
				t.Fatalf("duplicate group %q accepted", g.Name)
			}
			groups[g.Name] = true
		}
		comps := map[string]bool{}
		for _, c := range s.AllComponents() {
			checkName(t, c.Name)
			if comps[c.Name] {
				t.Fatalf("duplicate component %q accepted", c.Name)
			}
			comps[c.Name] = true
		}
		emails := map[string]bool{}
		for _, sub := range s.Subscribers {
			key := strings.ToLower(sub.Email)
			if emails[key] || !validEmail(sub.Email) {
				t.Fatalf("bad or duplicate subscriber %q accepted", sub.Email)
			}
			emails[key] = true
			for _, ref := range sub.Components {
				if !comps[ref] {
					t.Fatalf("subscriber %q refers to undeclared %q", sub.Email, ref)
				}
			}
		}
	})
}

func checkName(t *testing.T, name string) {
	t.Helper()
	if name == "" || name != strings.TrimSpace(name) || utf8.RuneCountInString(name) > MaxNameLength {
		t.Fatalf("bad name %q accepted", name)
	}
}

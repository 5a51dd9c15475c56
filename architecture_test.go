package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/cachetsync/cachetsync"

// importRule forbids a package (by directory) some imports: direct ones
// in the package itself, never ones anywhere below it (project packages
// only). An entry ending in "/" names a directory and everything under
// it.
type importRule struct {
	dir    string
	direct []string
	never  []string
	why    string
}

// architectureRules are the dependency rules of docs/architecture.md that
// hold on main. Keep both in step.
var architectureRules = []importRule{
	{"plan",
		[]string{"net/http", "os", "golang.org/x/sync/errgroup", "github.com/sergi/go-diff/diffmatchpatch", "internal/atomicfile", "internal/regfile"},
		[]string{"cachet", "render", "planfile", "apply", "adapter/", "cachet3", "cachet/cachettest", "export", "internal/cli"},
		"plan holds the version-neutral model and the pure Compute: no wire types, no network, no files, no rendering"},
	{"render",
		[]string{"cachet", "net/http", "os"},
		[]string{"cachet", "adapter/", "apply", "planfile", "cachet3", "cachet/cachettest", "export", "internal/cli"},
		"renderers read the plan model only"},
	{"planfile",
		[]string{"net/http"},
		[]string{"cachet", "adapter/", "apply", "cachet3", "cachet/cachettest", "export", "internal/cli"},
		"the saved-plan file is a file format, not a client"},
	{"apply",
		[]string{"cachet", "net/http"},
		[]string{"cachet", "adapter/", "render", "planfile", "cachet3", "cachet/cachettest", "export", "internal/cli"},
		"apply talks to the server only through its Executor"},
	{"spec",
		[]string{"net/http"},
		[]string{"cachet", "cachet3", "plan", "adapter/", "apply", "render", "planfile", "export", "internal/cli"},
		"the file format knows no API and no planner"},
	{"export",
		[]string{"net/http"},
		[]string{"cachet", "cachet3", "adapter/", "apply", "planfile", "internal/cli"},
		"export writes the version-neutral live model as a file"},
	{"page",
		nil,
		[]string{"cachet", "cachet3", "cachet/binput", "spec", "plan", "adapter/"},
		"the page vocabulary depends on no API and no layer above it"},
	{"adapter/cachetv1",
		nil,
		[]string{"cachet3", "apply", "render", "planfile", "export", "internal/cli"},
		"an adapter implements the interfaces; it does not use their consumers"},
	{"adapter/cachetv3",
		nil,
		[]string{"adapter/cachetv1", "apply", "render", "planfile", "export", "internal/cli"},
		"an adapter implements the interfaces; it does not use their consumers"},
	{"cachet3",
		nil,
		[]string{"cachet", "plan", "adapter/", "apply", "internal/cli"},
		"the 3.x client stands alone"},
}

// packageImports returns the imports of the non-test Go files in dir.
func packageImports(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if !slices.Contains(imports, path) {
				imports = append(imports, path)
			}
		}
	}
	return imports
}

// projectDir returns the directory of a module package, or "" for another.
func projectDir(path string) string {
	if rest, ok := strings.CutPrefix(path, modulePath+"/"); ok {
		return rest
	}
	return ""
}

// forbids reports whether the rule entry f names path: a project
// directory ("cachet"), a project subtree ("adapter/"), or another package
// exactly ("net/http").
func forbids(f, path string) bool {
	if dir := projectDir(path); dir != "" {
		return dir == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dir, f)
	}
	return path == f
}

// TestPackageDependencies fails when a package imports what the layout in
// docs/architecture.md forbids it, directly or through other packages of
// this module.
func TestPackageDependencies(t *testing.T) {
	for _, rule := range architectureRules {
		for _, path := range packageImports(t, rule.dir) {
			for _, f := range rule.direct {
				if forbids(f, path) {
					t.Errorf("%s imports %s: %s", rule.dir, path, rule.why)
				}
			}
		}
		seen := map[string]bool{rule.dir: true}
		queue := []string{rule.dir}
		for len(queue) > 0 {
			dir := queue[0]
			queue = queue[1:]
			for _, path := range packageImports(t, dir) {
				sub := projectDir(path)
				if sub == "" {
					continue
				}
				for _, f := range rule.never {
					if forbids(f, path) {
						t.Errorf("%s depends on %s (imported by %s): %s", rule.dir, path, dir, rule.why)
					}
				}
				if !seen[sub] {
					seen[sub] = true
					queue = append(queue, sub)
				}
			}
		}
	}
}

// TestPackageRulesSeeForbiddenImports: the check itself matches what the
// rules name and nothing else.
func TestPackageRulesSeeForbiddenImports(t *testing.T) {
	for _, c := range []struct {
		entry, path string
		want        bool
	}{
		{"adapter/", modulePath + "/adapter/cachetv1", true},
		{"cachet", modulePath + "/cachet", true},
		{"net/http", "net/http", true},
		{"cachet", modulePath + "/cachet3", false},
		{"cachet", modulePath + "/cachet/binput", false},
		{"plan", modulePath + "/planfile", false},
		{"net/http", "net/http/httptest", false},
	} {
		if got := forbids(c.entry, c.path); got != c.want {
			t.Errorf("forbids(%q, %q) = %v, want %v", c.entry, c.path, got, c.want)
		}
	}
	if !slices.Contains(packageImports(t, "planfile"), modulePath+"/render") {
		t.Fatal("packageImports misses planfile's import of render")
	}
}

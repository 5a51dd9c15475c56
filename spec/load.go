package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachetsync/cachetsync/internal/regfile"
)

// Load reads a spec from a YAML file, or from a directory: every *.yaml and
// *.yml file in it (not in subdirectories, not dot files), in name order,
// merged into one spec. Groups, components and subscribers are concatenated
// in file order; prune may be declared in one file only; names must be
// unique across all files.
//
// Every problem found in the files is returned at once as Diagnostics, and
// the spec is then nil. Failing to read a file is an ordinary error.
func Load(path string) (*Spec, error) {
	s, _, err := LoadSkipping(path)
	return s, err
}

// LoadSkipping is Load that also returns the *.yaml and *.yml entries of a
// directory it did not read because they are not regular files (a FIFO
// would block, a symlink to /dev/zero never end), each with what it is.
// Only regular files and symlinks to them are read, each at most
// MaxFileBytes; a single file given as path must be one too. With prune on,
// a skipped entry is an error: what it declares would be deleted.
func LoadSkipping(path string) (*Spec, []string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		data, err := regfile.Read(path, MaxFileBytes)
		if err != nil {
			return nil, nil, err
		}
		s, err := Parse(path, data)
		return s, nil, err
	}
	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, nil, err
	}
	var files []*file
	var diags Diagnostics
	var skipped []string
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		p := filepath.Join(path, name)
		if what, err := regfile.Describe(p); err != nil {
			return nil, nil, err
		} else if what != "" {
			// A FIFO would block, /dev/zero never end: only regular files
			// (or symlinks to them) are read.
			skipped = append(skipped, fmt.Sprintf("%s (%s)", p, what))
			continue
		}
		data, err := regfile.Read(p, MaxFileBytes)
		if err != nil {
			return nil, nil, err
		}
		f, d := parseFile(p, data)
		files = append(files, f)
		diags = append(diags, d...)
	}
	if len(files) == 0 {
		// Not an empty spec: with prune on, that would delete everything.
		if len(skipped) > 0 {
			return nil, nil, fmt.Errorf("%s: the directory has no regular *.yaml or *.yml file (skipped %s)", path, strings.Join(skipped, ", "))
		}
		return nil, nil, fmt.Errorf("%s: the directory has no *.yaml or *.yml file", path)
	}
	s, err := finish(files, diags)
	if err != nil || len(skipped) == 0 {
		return s, nil, err
	}
	if s.Prune.Groups || s.Prune.Components || s.Prune.Subscribers {
		// What a skipped file declares would be deleted.
		return nil, nil, fmt.Errorf("%s: skipped %s, not regular files; with prune on, what they declare would be deleted, so nothing was planned",
			path, strings.Join(skipped, ", "))
	}
	return s, skipped, nil
}

// MaxFileBytes is the largest YAML file Load reads.
const MaxFileBytes = regfile.DefaultLimit

// Parse reads a spec from the YAML in data; filename is used in positions.
// An empty file is an empty spec. Problems are returned as Diagnostics.
func Parse(filename string, data []byte) (*Spec, error) {
	f, diags := parseFile(filename, data)
	return finish([]*file{f}, diags)
}

// finish merges the files, checks them together, and builds the spec.
func finish(files []*file, diags Diagnostics) (*Spec, error) {
	all := &file{}
	complete := true
	for _, f := range files {
		if f == nil {
			complete = false // malformed YAML, already reported
			continue
		}
		all.groups = append(all.groups, f.groups...)
		all.comps = append(all.comps, f.comps...)
		all.subs = append(all.subs, f.subs...)
		if f.prune != nil {
			if all.prune != nil {
				diags = append(diags, Diagnostic{f.prunePos,
					fmt.Sprintf("prune is already declared at %s (declare it in one file only)", all.prunePos)})
				continue
			}
			all.prune, all.prunePos = f.prune, f.prunePos
		}
	}
	diags = append(diags, check(all, complete)...)
	if len(diags) > 0 {
		return nil, diags.sorted()
	}
	return all.build(), nil
}

func (f *file) build() *Spec {
	s := &Spec{}
	for _, g := range f.groups {
		grp := g.g
		for _, c := range g.comps {
			grp.Components = append(grp.Components, c.c)
		}
		s.Groups = append(s.Groups, grp)
	}
	for _, c := range f.comps {
		s.Components = append(s.Components, c.c)
	}
	for _, sub := range f.subs {
		s.Subscribers = append(s.Subscribers, sub.s)
	}
	if f.prune != nil {
		s.Prune = *f.prune
	}
	return s
}

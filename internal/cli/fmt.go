package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachetsync/cachetsync/internal/atomicfile"
	"github.com/cachetsync/cachetsync/internal/regfile"
	"github.com/cachetsync/cachetsync/spec"
)

// FmtCmd is `cachetsync fmt`.
type FmtCmd struct {
	FileArgs
	Check bool `help:"Change nothing; list the files that are not formatted and exit 2 if there are any."`
}

// Run rewrites each file in the canonical layout, or checks it.
func (cmd *FmtCmd) Run(g *Globals) error {
	path, err := cmd.resolve(g)
	if err != nil {
		return err
	}
	files, err := yamlFiles(path)
	if err != nil {
		return err
	}
	var unformatted []string
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			return err
		}
		data, err := regfile.Read(f, spec.MaxFileBytes)
		if err != nil {
			return err
		}
		out, err := spec.Format(f, data)
		if err != nil {
			var diags spec.Diagnostics
			if errors.As(err, &diags) {
				return g.reportDiagnosticsThen(f, diags, "nothing was rewritten")
			}
			return err
		}
		if bytes.Equal(out, data) {
			continue
		}
		unformatted = append(unformatted, f)
		if cmd.Check {
			continue
		}
		if err := atomicfile.WriteFileMode(f, out, info.Mode().Perm()); err != nil {
			return err
		}
		fmt.Fprintln(g.env.Stdout, f)
	}
	if cmd.Check && len(unformatted) > 0 {
		fmt.Fprintln(g.env.Stdout, strings.Join(unformatted, "\n"))
		return exitWith(ExitChanges, fmt.Errorf("%s not in the canonical layout: run cachetsync fmt %s", countOf(len(unformatted), "file"), path))
	}
	return nil
}

// yamlFiles returns path, or the *.yaml and *.yml files of directory path
// as spec.Load reads them.
func yamlFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name, ext := e.Name(), filepath.Ext(e.Name())
		if !e.IsDir() && !strings.HasPrefix(name, ".") && (ext == ".yaml" || ext == ".yml") {
			files = append(files, filepath.Join(path, name))
		}
	}
	return files, nil
}

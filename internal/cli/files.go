package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachetsync/cachetsync/internal/regfile"
	"github.com/cachetsync/cachetsync/spec"
)

// DefaultFiles are looked for, in this order, in the working directory when
// a command is given no file.
var DefaultFiles = []string{"cachetsync.yaml", "status.yaml"}

// FileArgs name the YAML file (or directory) of a command: as an argument,
// like Terraform's, or with -f.
type FileArgs struct {
	Path string `arg:"" name:"file" optional:"" help:"YAML file, or directory of *.yaml files (default: cachetsync.yaml, else status.yaml)." placeholder:"FILE"`
	File string `short:"f" help:"The same as the FILE argument." placeholder:"FILE"`
}

// resolve returns the file to read: the argument, -f, or the first default
// file that exists (said on stderr).
func (a FileArgs) resolve(g *Globals) (string, error) {
	switch {
	case a.Path != "" && a.File != "" && a.Path != a.File:
		return "", fmt.Errorf("two files given (%s and -f %s): give one", a.Path, a.File)
	case a.Path != "":
		return a.Path, nil
	case a.File != "":
		return a.File, nil
	}
	return defaultFile(g)
}

// defaultFile returns the first of DefaultFiles in the working directory.
func defaultFile(g *Globals) (string, error) {
	for _, name := range DefaultFiles {
		if _, err := os.Stat(name); err == nil {
			fmt.Fprintf(g.env.Stderr, "Reading %s (no file given).\n", name)
			return name, nil
		}
	}
	return "", fmt.Errorf("no file given, and neither %s is in the working directory: name one (cachetsync plan status.yaml), or start one with cachetsync export -o status.yaml",
		strings.Join(DefaultFiles, " nor "))
}

// isSavedPlan reports whether data is a plan saved by `plan --out` (a JSON
// object with a format_version) rather than a YAML spec. A plan printed by
// `plan --format json` is one too: apply then says it lacks what a saved
// plan has.
func isSavedPlan(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	var probe struct {
		FormatVersion json.RawMessage `json:"format_version"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.FormatVersion != nil
}

// fileIsSavedPlan reports whether path is a regular file holding a saved
// plan; directories and unreadable files are not.
func fileIsSavedPlan(path string) bool {
	data, err := regfile.Read(path, 256<<20) // a FIFO or a device is not read
	return err == nil && isSavedPlan(data)
}

// relativeDiagnostics returns diags with their files relative to
// GITHUB_WORKSPACE (else the working directory), as GitHub annotations need.
func (g *Globals) relativeDiagnostics(diags spec.Diagnostics) spec.Diagnostics {
	out := make(spec.Diagnostics, len(diags))
	for i, d := range diags {
		d.Pos.File = g.workspacePath(d.Pos.File)
		out[i] = d
	}
	return out
}

// workspacePath returns path relative to GITHUB_WORKSPACE, else to the
// working directory, with forward slashes; a path outside both is kept.
func (g *Globals) workspacePath(path string) string {
	if path == "" {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	base := g.env.Getenv("GITHUB_WORKSPACE")
	if base == "" {
		if base, err = os.Getwd(); err != nil {
			return path
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by the release build with -ldflags "-X ...". When empty, the values
// come from the build information Go records (the module version of a
// `go install ...@v1.2.3`, and the VCS revision and time of a build in a
// git checkout).
var (
	buildVersion string
	buildCommit  string
	buildDate    string
)

// BuildInfo is the version, commit and build date of this binary.
type BuildInfo struct {
	Version string // v1.2.3, or "devel"
	Commit  string // VCS revision, with "-dirty" for modified sources; "" if unknown
	Date    string // RFC 3339 build or commit time; "" if unknown
}

// readBuildInfo combines the release build's ldflags with what
// runtime/debug records.
func readBuildInfo() BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildInfoFrom(BuildInfo{Version: buildVersion, Commit: buildCommit, Date: buildDate}, info)
}

// buildInfoFrom fills what the ldflags in b left empty from info (nil when
// the binary has none).
func buildInfoFrom(b BuildInfo, info *debug.BuildInfo) BuildInfo {
	if info != nil {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		var revision, vcsTime string
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				vcsTime = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if b.Commit == "" && revision != "" {
			b.Commit = revision
			if modified {
				b.Commit += "-dirty"
			}
		}
		if b.Date == "" {
			b.Date = vcsTime
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// String is the one-line version: "v1.2.3 (commit 0123abc, 2026-11-30T02:00:00Z)".
func (b BuildInfo) String() string {
	var details []string
	if b.Commit != "" {
		c, dirty := strings.CutSuffix(b.Commit, "-dirty")
		if len(c) > 12 {
			c = c[:12]
		}
		if dirty {
			c += "-dirty"
		}
		details = append(details, "commit "+c)
	}
	if b.Date != "" {
		details = append(details, b.Date)
	}
	if len(details) == 0 {
		return b.Version
	}
	return b.Version + " (" + strings.Join(details, ", ") + ")"
}

// versionLine is what `cachetsync version` and --version print.
func versionLine() string {
	return fmt.Sprintf("cachetsync %s %s %s/%s", readBuildInfo(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// userAgent is the User-Agent of every API request: the same version string.
func userAgent() string { return "cachetsync/" + readBuildInfo().String() }

// VersionCmd is `cachetsync version`.
type VersionCmd struct{}

// Run prints the version line.
func (cmd *VersionCmd) Run(g *Globals) error {
	_, err := fmt.Fprintln(g.env.Stdout, versionLine())
	return err
}

// HelpCmd is `cachetsync help [command]`.
type HelpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to explain."`
}

// Run prints the help of the command, or of cachetsync.
func (cmd *HelpCmd) Run(g *Globals) error {
	_, err := g.parser.Parse(append(append([]string{}, cmd.Command...), "--help"))
	return err
}

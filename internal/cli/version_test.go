package cli

import (
	"runtime/debug"
	"testing"
)

// TestBuildInfo: the ldflags of a release win; otherwise the module version
// of `go install ...@v1.2.3` and the VCS stamp of a build in a checkout
// (a modified tree marked -dirty) are used; a plain build is "devel".
func TestBuildInfo(t *testing.T) {
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-30T02:00:00Z"},
			{Key: "vcs.modified", Value: modified}}}
	}
	for _, tc := range []struct {
		name    string
		ldflags BuildInfo
		info    *debug.BuildInfo
		want    string
	}{
		{"release ldflags", BuildInfo{Version: "v1.2.3", Commit: "0123456789abcdef", Date: "2026-11-29T10:00:00Z"}, vcs("false"),
			"v1.2.3 (commit 0123456789ab, 2026-11-29T10:00:00Z)"},
		{"go install at a tag", BuildInfo{}, &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"checkout", BuildInfo{}, vcs("false"), "devel (commit 0123456789ab, 2026-11-30T02:00:00Z)"},
		{"modified checkout", BuildInfo{}, vcs("true"), "devel (commit 0123456789ab-dirty, 2026-11-30T02:00:00Z)"},
		{"no build info", BuildInfo{}, nil, "devel"},
	} {
		if got := buildInfoFrom(tc.ldflags, tc.info).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

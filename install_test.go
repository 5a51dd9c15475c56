package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// installEnv runs .github/actions/install.sh as the Action does, with a
// fake curl on PATH that serves files from a local "release" directory and
// logs the URLs it was asked for.
type installEnv struct {
	dir, release, temp, githubPath, curlLog string
}

func newInstallEnv(t *testing.T) *installEnv {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the install script runs in bash")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	e := &installEnv{dir: dir, release: filepath.Join(dir, "release"), temp: filepath.Join(dir, "runner-temp"),
		githubPath: filepath.Join(dir, "github-path"), curlLog: filepath.Join(dir, "curl.log")}
	for _, d := range []string{e.release, e.temp, filepath.Join(dir, "fakebin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	curl := `#!/usr/bin/env bash
# fake curl: -o FILE URL; serves $RELEASE_DIR/<basename of URL>
out=""; url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    --retry) shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
echo "$url" >> "$CURL_LOG"
src="$RELEASE_DIR/${url##*/}"
[ -f "$src" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
cp "$src" "$out"
`
	if err := os.WriteFile(filepath.Join(dir, "fakebin", "curl"), []byte(curl), 0o755); err != nil {
		t.Fatal(err)
	}
	return e
}

// publish writes a release archive holding a fake cachetsync that prints
// its version, and checksums.txt (tampered when asked).
func (e *installEnv) publish(t *testing.T, name string, tamper bool) {
	t.Helper()
	script := []byte("#!/bin/sh\necho 'cachetsync v1.2.3 (fake release binary)'\n")
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		data []byte
	}{{"LICENSE", []byte("license\n")}, {"cachetsync", script}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.data))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.data)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(filepath.Join(e.release, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	if tamper {
		sum[0] ^= 0xff
	}
	sums := fmt.Sprintf("%x  cachetsync_1.2.3_windows_amd64.zip\n%x  %s\n", sha256.Sum256([]byte("other")), sum, name)
	if err := os.WriteFile(filepath.Join(e.release, "checksums.txt"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *installEnv) run(t *testing.T, env ...string) (string, error) {
	t.Helper()
	wd, _ := os.Getwd()
	cmd := exec.Command("bash", filepath.Join(wd, ".github", "actions", "install.sh"))
	cmd.Env = append([]string{
		"PATH=" + filepath.Join(e.dir, "fakebin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + e.dir, "RUNNER_TEMP=" + e.temp, "GITHUB_PATH=" + e.githubPath, "GITHUB_ACTION_PATH=" + wd,
		"RELEASE_DIR=" + e.release, "CURL_LOG=" + e.curlLog, "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
	}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestInstallScriptDownloadsTheRelease: the action's tag (or the version
// input) picks the release archive of the runner's OS and architecture,
// which is checked against checksums.txt, unpacked and put on PATH.
func TestInstallScriptDownloadsTheRelease(t *testing.T) {
	for _, tc := range []struct{ name, version, ref string }{
		{"version input", "v1.2.3", "main"},
		{"the action's tag", "", "v1.2.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newInstallEnv(t)
			e.publish(t, "cachetsync_1.2.3_linux_amd64.tar.gz", false)
			out, err := e.run(t, "VERSION="+tc.version, "ACTION_REF="+tc.ref)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "cachetsync v1.2.3 (fake release binary)") {
				t.Errorf("the installed binary did not run:\n%s", out)
			}
			log, _ := os.ReadFile(e.curlLog)
			want := "https://github.com/cachetsync/cachetsync/releases/download/v1.2.3/cachetsync_1.2.3_linux_amd64.tar.gz\n" +
				"https://github.com/cachetsync/cachetsync/releases/download/v1.2.3/checksums.txt\n"
			if string(log) != want {
				t.Errorf("downloads:\n%s\nwant:\n%s", log, want)
			}
			path, _ := os.ReadFile(e.githubPath)
			if bin := filepath.Join(e.temp, "cachetsync-bin"); string(path) != bin+"\n" {
				t.Errorf("GITHUB_PATH = %q, want %q", path, bin)
			}
		})
	}
}

// TestInstallScriptRefusesABadChecksum: an archive whose checksum does not
// match is not installed, and the step fails.
func TestInstallScriptRefusesABadChecksum(t *testing.T) {
	e := newInstallEnv(t)
	e.publish(t, "cachetsync_1.2.3_linux_amd64.tar.gz", true)
	out, err := e.run(t, "VERSION=v1.2.3")
	if err == nil || strings.Contains(out, "fake release binary") {
		t.Fatalf("installed despite a bad checksum:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(e.temp, "cachetsync-bin", "cachetsync")); err == nil {
		t.Fatal("the binary was unpacked")
	}
	if data, _ := os.ReadFile(e.githubPath); len(data) != 0 {
		t.Fatalf("GITHUB_PATH written: %q", data)
	}
}

// TestInstallScriptRejectsWhatItCannotInstall: an unknown version, OS or
// architecture, or a release without an archive for the runner, fails
// with a message, before or without unpacking anything.
func TestInstallScriptRejectsWhatItCannotInstall(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"VERSION=latest"}, "version must be a release tag such as v1.2.3, or source; got latest"},
		{[]string{"VERSION=v1.2.3", "RUNNER_OS=Plan9"}, "no release for the runner OS Plan9"},
		{[]string{"VERSION=v1.2.3", "RUNNER_ARCH=ARM"}, "no release for the runner architecture ARM"},
		{[]string{"VERSION=v1.2.3", "RUNNER_ARCH=ARM64"}, "404"}, // only linux_amd64 is published here
	} {
		e := newInstallEnv(t)
		e.publish(t, "cachetsync_1.2.3_linux_amd64.tar.gz", false)
		out, err := e.run(t, tc.env...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%v: err %v, output:\n%s", tc.env, err, out)
		}
	}
}

// TestInstallScriptBuildsFromSource: at a branch (no release tag) the
// action builds itself with the runner's Go. A tiny module stands in for
// the action's checkout, to keep the test fast.
func TestInstallScriptBuildsFromSource(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	e := newInstallEnv(t)
	src := filepath.Join(e.dir, "action")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module fake\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"built from source\") }\n"), 0o644)
	cache, _ := os.UserCacheDir()
	out, err := e.run(t, "VERSION=", "ACTION_REF=main", "GITHUB_ACTION_PATH="+src, "GOCACHE="+filepath.Join(cache, "go-build"), "GOFLAGS=-mod=mod")
	if err != nil || !strings.Contains(out, "built from source") {
		t.Fatalf("%v\n%s", err, out)
	}
	if log, _ := os.ReadFile(e.curlLog); len(log) != 0 {
		t.Fatalf("downloaded: %s", log)
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// goreleaserConfig is the part of .goreleaser.yaml that a release depends
// on. `goreleaser check` validates the whole file, but building GoReleaser
// takes minutes and hundreds of modules, so CI checks these essentials.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		NameTemplate    string   `yaml:"name_template"`
		Files           []string `yaml:"files"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	Sboms []struct {
		Artifacts string `yaml:"artifacts"`
	} `yaml:"sboms"`
}

// TestGoreleaserConfig: the release builds static binaries for linux,
// darwin and windows on amd64 and arm64, stamps the version, commit and date
// into the variables the version command reads, and publishes archives
// under the names the GitHub Action downloads, with checksums and SBOMs.
func TestGoreleaserConfig(t *testing.T) {
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Version != 2 || c.ProjectName != "cachetsync" || len(c.Builds) != 1 {
		t.Fatalf("version %d, project %q, %d builds", c.Version, c.ProjectName, len(c.Builds))
	}
	b := c.Builds[0]
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if b.Main != "." || b.Binary != "cachetsync" || !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("build: %+v", b)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("not a static, reproducible build: env %v, flags %v", b.Env, b.Flags)
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, v := range []string{"buildVersion={{ .Tag }}", "buildCommit={{ .FullCommit }}", "buildDate={{ .CommitDate }}"} {
		if !strings.Contains(ld, "-X github.com/cachetsync/cachetsync/internal/cli."+v) {
			t.Errorf("ldflags lack %s: %s", v, ld)
		}
	}
	if len(c.Archives) != 1 || c.Archives[0].NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" ||
		!slices.Contains(c.Archives[0].Files, "LICENSE") {
		t.Errorf("archives: %+v", c.Archives)
	}
	if c.Checksum.NameTemplate != "checksums.txt" || len(c.Sboms) != 1 {
		t.Errorf("checksum %q, %d sboms", c.Checksum.NameTemplate, len(c.Sboms))
	}
	install, err := os.ReadFile(".github/actions/install.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(install), "cachetsync_${version#v}_${os}_${arch}.tar.gz") || !strings.Contains(string(install), "checksums.txt") {
		t.Error("the install script does not download the archive names this release makes")
	}
}

// TestReleaseLdflags builds the binary with the ldflags of the release and
// of the Dockerfile and checks that `cachetsync version` prints them.
func TestReleaseLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "cachetsync")
	pkg := "github.com/cachetsync/cachetsync/internal/cli."
	ld := "-X " + pkg + "buildVersion=v9.8.7 -X " + pkg + "buildCommit=0123456789abcdef0123 -X " + pkg + "buildDate=2026-01-02T03:04:05Z"
	if out, err := exec.Command("go", "build", "-trimpath", "-ldflags", ld, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "cachetsync v9.8.7 (commit 0123456789ab, 2026-01-02T03:04:05Z) go"; !strings.HasPrefix(string(out), want) {
		t.Fatalf("version printed %q, want prefix %q", out, want)
	}
	docker, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{pkg + "buildVersion=${VERSION}", pkg + "buildCommit=${COMMIT}", pkg + "buildDate=${DATE}", "CGO_ENABLED=0"} {
		if !strings.Contains(string(docker), want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	// The final stage: distroless or scratch, and not root.
	stages := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(string(docker), -1)
	final := stages[len(stages)-1][1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("final stage %s", final)
	}
	users := regexp.MustCompile(`(?m)^USER (\S+)`).FindAllStringSubmatch(string(docker), -1)
	if len(users) == 0 || strings.HasPrefix(users[len(users)-1][1], "root") || strings.HasPrefix(users[len(users)-1][1], "0") {
		t.Errorf("the image runs as root: %v", users)
	}
}

// TestActionYAML: action.yml is a composite action with the inputs the
// README documents, and runs the hidden action command that the Go tests
// of internal/cli exercise.
func TestActionYAML(t *testing.T) {
	var a struct {
		Inputs  map[string]struct{ Default string } `yaml:"inputs"`
		Outputs map[string]struct{ Value string }   `yaml:"outputs"`
		Runs    struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID   string            `yaml:"id"`
				Run  string            `yaml:"run"`
				Uses string            `yaml:"uses"`
				If   string            `yaml:"if"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"command", "file", "format", "version", "comment", "args", "github-token"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	if a.Inputs["command"].Default != "plan" || a.Runs.Using != "composite" || a.Outputs["changes"].Value != "${{ steps.run.outputs.changes }}" {
		t.Errorf("command default %q, using %q, outputs %v", a.Inputs["command"].Default, a.Runs.Using, a.Outputs)
	}
	var ran, uploads bool
	for _, s := range a.Runs.Steps {
		if s.ID == "run" && strings.Contains(s.Run, `args=(action "$COMMAND")`) && strings.Contains(s.Run, `cachetsync "${args[@]}"`) {
			ran = true
		}
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") && strings.Contains(s.If, "steps.run.outputs.plan-dir") {
			uploads = true
		}
		for k := range s.Env {
			if strings.HasPrefix(k, "CACHET_") {
				t.Errorf("action.yml sets %s: the workflow's step gives it", k)
			}
		}
	}
	if !ran || !uploads {
		t.Errorf("runs the action command: %v, uploads the full plan: %v", ran, uploads)
	}
}

// TestExampleWorkflow: the example workflow uses the action on the README's
// file, gives the secrets to the steps that talk to Cachet only, keeps
// applies in one group of their own that does not cancel a running apply,
// gives each pull request its own plan group, and skips forks' plans.
func TestExampleWorkflow(t *testing.T) {
	type step struct {
		Uses string            `yaml:"uses"`
		With map[string]string `yaml:"with"`
		Env  map[string]string `yaml:"env"`
	}
	var w struct {
		Env  map[string]string `yaml:"env"`
		Jobs map[string]struct {
			If          string `yaml:"if"`
			Concurrency *struct {
				Group            string `yaml:"group"`
				CancelInProgress bool   `yaml:"cancel-in-progress"`
			} `yaml:"concurrency"`
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
		Concurrency any `yaml:"concurrency"`
	}
	data, err := os.ReadFile("examples/github-actions/cachetsync.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Env) != 0 || w.Concurrency != nil {
		t.Errorf("workflow-level env %v or concurrency %v", w.Env, w.Concurrency)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	apply, plan := w.Jobs["apply"], w.Jobs["plan"]
	if apply.Concurrency == nil || apply.Concurrency.Group != "cachetsync-apply" || apply.Concurrency.CancelInProgress {
		t.Errorf("apply concurrency %+v", apply.Concurrency)
	}
	if plan.Concurrency == nil || !strings.Contains(plan.Concurrency.Group, "github.event.pull_request.number") || plan.Concurrency.Group == apply.Concurrency.Group {
		t.Errorf("plan concurrency %+v", plan.Concurrency)
	}
	if !strings.Contains(plan.If, "github.event.pull_request.head.repo.full_name == github.repository") {
		t.Errorf("plan runs for forks: %s", plan.If)
	}
	for name, job := range w.Jobs {
		if name != "apply" && job.Concurrency != nil && job.Concurrency.Group == "cachetsync-apply" {
			t.Errorf("job %s shares the apply group", name)
		}
		for _, s := range job.Steps {
			if !strings.HasPrefix(s.Uses, "cachetsync/cachetsync@") {
				if _, ok := s.Env["CACHET_API_TOKEN"]; ok {
					t.Errorf("job %s gives the token to %q", name, s.Uses)
				}
				continue
			}
			if s.With["file"] != "status.yaml" || !strings.Contains(string(readme), "status.yaml") {
				t.Errorf("job %s plans %q", name, s.With["file"])
			}
			_, hasToken := s.Env["CACHET_API_TOKEN"]
			if hasToken != (s.With["command"] != "validate") {
				t.Errorf("job %s, command %s: token given %v", name, s.With["command"], hasToken)
			}
		}
	}
}

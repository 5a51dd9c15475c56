package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// ActionCmd is the hidden `cachetsync action`, the logic of the GitHub
// Action (action.yml): it runs plan or apply, writes the Markdown plan
// (folded to fit) to the job summary, saves the full plan for the artifact,
// sets the step's outputs and, on a pull request, puts the plan in one
// comment per file, found by a hidden marker and updated in place.
type ActionCmd struct {
	Command  string `arg:"" enum:"plan,apply,validate" help:"plan, apply or validate."`
	File     string `arg:"" optional:"" help:"YAML file or directory (default: cachetsync.yaml, else status.yaml)."`
	Format   string `help:"Format of the plan in the job log: text, markdown or json." enum:"text,markdown,json" default:"text"`
	Comment  bool   `help:"On a pull request, put the plan in a comment (GITHUB_TOKEN needs pull-requests: write)."`
	OutDir   string `help:"Write the full plan here (plan.md, plan.json) for the artifact (default: $RUNNER_TEMP/cachetsync)." placeholder:"DIR"`
	MaxBytes int    `help:"Size limit of the Markdown in the summary and the comment." default:"65000"`
	SafetyFlags
	ReadFlags
	ConnFlags
}

// commentMarker opens the pull-request comment of one file; it finds the
// comment again on the next run.
func commentMarker(file string) string {
	return fmt.Sprintf("<!-- cachetsync-plan file=%q -->", filepath.ToSlash(file))
}

// Run runs the command and reports it the GitHub way.
func (cmd *ActionCmd) Run(g *Globals) error {
	outDir := cmp.Or(cmd.OutDir, filepath.Join(cmp.Or(g.env.Getenv("RUNNER_TEMP"), os.TempDir()), "cachetsync"))
	var (
		computed *plan.Plan
		file     string
	)
	hook := func(f string, p *plan.Plan) { file, computed = f, p }
	var log bytes.Buffer
	stdout := g.env.Stdout
	sub := *g
	subEnv := *g.env
	subEnv.Stdout = io.MultiWriter(stdout, &log)
	sub.env = &subEnv

	var runErr error
	switch cmd.Command {
	case "plan":
		runErr = (&PlanCmd{FileArgs: FileArgs{Path: cmd.File}, Format: cmd.Format, MaxBytes: 0,
			SafetyFlags: cmd.SafetyFlags, ReadFlags: cmd.ReadFlags, ConnFlags: cmd.ConnFlags, onPlan: hook}).Run(&sub)
	case "validate":
		runErr = (&ValidateCmd{FileArgs: FileArgs{Path: cmd.File}}).Run(&sub)
	case "apply":
		runErr = (&ApplyCmd{Path: cmd.File, AutoApprove: true, Parallelism: 4,
			SafetyFlags: cmd.SafetyFlags, ReadFlags: cmd.ReadFlags, ConnFlags: cmd.ConnFlags, onPlan: hook}).Run(&sub)
	}
	code := ExitOK
	if runErr != nil {
		code = ExitError
		var ee *exitError
		if errors.As(runErr, &ee) {
			code = ee.code
		}
	}
	outputs := map[string]string{"exitcode": fmt.Sprint(code), "changes": "false"}
	if computed != nil {
		outputs["changes"] = fmt.Sprint(!computed.Empty())
		body, err := cmd.report(g, outDir, file, computed, code, runErr, log.String())
		if err != nil {
			return errors.Join(runErr, err)
		}
		outputs["plan-dir"] = outDir
		if cmd.Comment {
			if err := cmd.comment(g, file, body); err != nil {
				// The plan is in the summary; the step still fails, so that a
				// comment that was asked for is not silently missing.
				err = fmt.Errorf("the plan is in the job summary, but not in a pull-request comment: %w", err)
				fmt.Fprintf(g.env.Stderr, "::error::cachetsync: %s\n", escapeCommand(err.Error()))
				if runErr == nil {
					runErr = exitWith(ExitError, err)
					outputs["exitcode"] = fmt.Sprint(ExitError)
				}
			}
		}
	}
	if err := writeOutputs(g, outputs); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

// report writes the full plan to outDir and the folded one to the job
// summary; it returns the folded Markdown, with the result of an apply.
func (cmd *ActionCmd) report(g *Globals, outDir, file string, p *plan.Plan, code int, runErr error, log string) (string, error) {
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return "", err
	}
	var full, fitted, js bytes.Buffer
	o := render.Options{ShowEmails: cmd.ShowEmails}
	if err := render.Markdown(&full, p, o); err != nil {
		return "", err
	}
	if err := render.JSON(&js, p); err != nil {
		return "", err
	}
	o.MaxBytes = cmd.MaxBytes - 1000 // room for the marker and the result
	if err := render.Markdown(&fitted, p, o); err != nil {
		return "", err
	}
	for name, data := range map[string][]byte{"plan.md": full.Bytes(), "plan.json": js.Bytes()} {
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o600); err != nil {
			return "", err
		}
	}
	body := fmt.Sprintf("%s\n`%s` · cachetsync %s · ", fitted.String(), g.workspacePath(file), readBuildInfo().Version)
	switch {
	case cmd.Command == "apply" && runErr == nil:
		body += "applied: " + lastLineWith(log, "Apply ")
	case cmd.Command == "apply":
		body += fmt.Sprintf("**apply failed (exit %d)**: %s", code, lastLineWith(log, "Apply "))
	case code == ExitRefused:
		body += "**refused by a safety limit (exit 3)**"
	case runErr != nil:
		body += fmt.Sprintf("**failed (exit %d)**", code)
	default:
		body += "plan only, nothing was changed"
	}
	body = strings.TrimSpace(body) + "\n"
	if path := g.env.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return "", err
		}
		_, err = io.WriteString(f, body+"\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", err
		}
	}
	return body, nil
}

// lastLineWith returns the last line of log that starts with prefix, or "".
func lastLineWith(log, prefix string) string {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], prefix) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

// writeOutputs appends the step's outputs to $GITHUB_OUTPUT.
func writeOutputs(g *Globals, outputs map[string]string) error {
	path := g.env.Getenv("GITHUB_OUTPUT")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	for _, k := range []string{"changes", "exitcode", "plan-dir"} {
		if v, ok := outputs[k]; ok {
			fmt.Fprintf(f, "%s=%s\n", k, v)
		}
	}
	return f.Close()
}

// pullRequestEvent is the part of $GITHUB_EVENT_PATH the comment needs.
type pullRequestEvent struct {
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			Repo struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"head"`
	} `json:"pull_request"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// comment creates or updates the pull request's comment for file.
func (cmd *ActionCmd) comment(g *Globals, file, body string) error {
	data, err := os.ReadFile(g.env.Getenv("GITHUB_EVENT_PATH"))
	if err != nil {
		return fmt.Errorf("reading the event: %w", err)
	}
	var ev pullRequestEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return fmt.Errorf("reading the event: %w", err)
	}
	if ev.PullRequest == nil {
		return nil // not a pull request: nothing to comment on
	}
	if ev.PullRequest.Head.Repo.FullName != ev.Repository.FullName {
		fmt.Fprintln(g.env.Stderr, "cachetsync: a pull request from a fork: its token cannot comment, so the plan is in the job summary only.")
		return nil
	}
	gh := &githubClient{
		api:   cmp.Or(g.env.Getenv("GITHUB_API_URL"), "https://api.github.com"),
		repo:  ev.Repository.FullName,
		token: g.env.Getenv("GITHUB_TOKEN"),
		ctx:   g.env.Context,
	}
	if gh.token == "" {
		return errors.New("GITHUB_TOKEN is not set")
	}
	marker := commentMarker(g.workspacePath(file))
	return gh.upsertComment(ev.PullRequest.Number, marker, marker+"\n"+body)
}

// githubClient is the little of the GitHub REST API the Action uses.
type githubClient struct {
	api, repo, token string
	ctx              context.Context
}

type issueComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
}

// upsertComment updates the first comment of the pull request that starts
// with marker, or creates one.
func (c *githubClient) upsertComment(pr int, marker, body string) error {
	for page := 1; page <= 50; page++ {
		var comments []issueComment
		path := fmt.Sprintf("/repos/%s/issues/%d/comments?per_page=100&page=%d", c.repo, pr, page)
		if err := c.do(http.MethodGet, path, nil, &comments); err != nil {
			return err
		}
		for _, cm := range comments {
			if strings.HasPrefix(cm.Body, marker) {
				return c.do(http.MethodPatch, fmt.Sprintf("/repos/%s/issues/comments/%d", c.repo, cm.ID), map[string]string{"body": body}, nil)
			}
		}
		if len(comments) < 100 {
			break
		}
	}
	return c.do(http.MethodPost, fmt.Sprintf("/repos/%s/issues/%d/comments", c.repo, pr), map[string]string{"body": body}, nil)
}

func (c *githubClient) do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	u, err := url.Parse(strings.TrimRight(c.api, "/") + path)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", userAgent())
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, u.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		hint := ""
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound {
			hint = " (the job needs `permissions: pull-requests: write`, and a pull request from a fork cannot comment)"
		}
		return fmt.Errorf("%s %s: %s: %.200s%s", method, u.Path, resp.Status, bytes.TrimSpace(data), hint)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// escapeCommand escapes a workflow command's message.
func escapeCommand(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// annotatePlan prints, under GitHub Actions, every warning of the plan as a
// ::warning annotation on stderr, at the position in the file of the group,
// component or subscriber it concerns (the file alone when that is not
// known).
func (g *Globals) annotatePlan(s *spec.Spec, p *plan.Plan) {
	if g.env.Getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	var diags spec.Diagnostics
	at := specPositions(s)
	for _, op := range p.Ops {
		for _, w := range op.Warnings {
			diags = append(diags, spec.Diagnostic{Pos: at[string(op.Kind)+"\x00"+op.Key], Message: op.Title(false) + ": " + w})
		}
	}
	for _, w := range p.Warnings {
		pos := spec.Pos{}
		if m := warningSubjectRE.FindStringSubmatch(w); m != nil {
			if name, err := strconv.Unquote(m[2]); err == nil {
				pos = at[m[1]+"\x00"+name]
			}
		}
		diags = append(diags, spec.Diagnostic{Pos: pos, Message: w})
	}
	if len(diags) > 0 {
		fmt.Fprint(g.env.Stderr, g.relativeDiagnostics(diags).GitHubCommands("warning"))
	}
}

// warningSubjectRE reads the subject of a plan-wide warning:
// `component "API": ...`.
var warningSubjectRE = regexp.MustCompile(`^(group|component|subscriber) ("(?:[^"\\]|\\.)*")`)

// specPositions maps kind and key (name, or lower-cased e-mail) to where
// the file declares the object.
func specPositions(s *spec.Spec) map[string]spec.Pos {
	at := map[string]spec.Pos{}
	for _, grp := range s.Groups {
		at[string(plan.KindGroup)+"\x00"+grp.Name] = grp.Pos
	}
	for _, c := range s.AllComponents() {
		at[string(plan.KindComponent)+"\x00"+c.Name] = c.Pos
	}
	for _, sub := range s.Subscribers {
		at[string(plan.KindSubscriber)+"\x00"+strings.ToLower(sub.Email)] = sub.Pos
	}
	return at
}

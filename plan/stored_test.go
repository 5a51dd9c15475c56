package plan_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// mdUnescape undoes the Markdown renderer's backslash escapes.
var mdUnescape = regexp.MustCompile(`\\([[:punct:]])`)

// The live page holds what Cachet stored of the file's text (its input
// filter, package binput): the plan compares with that and is empty.
func TestComparesWithStoredText(t *testing.T) {
	s := mustParse(t, `
groups:
  - name: "R&D <core>"
    components:
      - name: "Mail system (SMTP)"
        description: "p99 < 200ms"
        link: "https://x.test/?q=a%2Fb"
        tags: ["a<b", "Café"]
        meta: {owner: "x<y", note: null}
`)
	g := liveGroup(1, "R&D <core>", 1, true)
	lc := liveComp(7, "Mail system &#40;SMTP&#41;", 1, 1)
	lc.Description = "p99 &lt; 200ms"
	lc.Link = "https://x.test/?q=a/b"
	lc.Tags = []string{"Café", "a&lt;b"}
	lc.Meta = map[string]any{"owner": "x&lt;y"}
	p, err := plan.Compute(s, &plan.Live{Groups: []plan.Group{g}, Components: []plan.Component{lc}, Complete: true, Version: "2.4"}, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Errorf("plan is not empty:\n%s", textOf(t, p))
	}
}

// A plan that sends text Cachet stores otherwise says how it will be stored,
// in every renderer.
func TestPlanSaysHowTextIsStored(t *testing.T) {
	s := mustParse(t, `
components:
  - name: "Mail system (SMTP)"
    description: "p99 < 200ms"
    link: "https://x.test/?q=a%2Fb"
    tags: ["a<b"]
`)
	p, err := plan.Compute(s, &plan.Live{Complete: true, Version: "2.4"}, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`name will be stored as "Mail system &#40;SMTP&#41;" (Cachet escapes "(" and ")" after "system")`,
		`description will be stored as "p99 &lt; 200ms" (Cachet escapes "<")`,
		`link will be stored as "https://x.test/?q=a/b" (Cachet decodes %-escapes such as "%2F")`,
		`tags will be stored as ["a&lt;b"] (Cachet filters its input)`,
	}
	text := textOf(t, p)
	var md, js bytes.Buffer
	if err := render.Markdown(&md, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := render.JSON(&js, p); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text plan lacks %q:\n%s", w, text)
		}
		if !strings.Contains(mdUnescape.ReplaceAllString(md.String(), "$1"), w) {
			t.Errorf("markdown plan lacks %q:\n%s", w, md.String())
		}
		if !strings.Contains(js.String(), strings.ReplaceAll(strings.ReplaceAll(w, `"`, `\"`), "&", `\u0026`)) && !strings.Contains(js.String(), strings.ReplaceAll(w, `"`, `\"`)) {
			t.Errorf("JSON plan lacks %q:\n%s", w, js.String())
		}
	}

	// Cachet 2.3's filter leaves "<=" alone: no note there.
	s = mustParse(t, `
components:
  - name: "a <= b"
`)
	p, _ = plan.Compute(s, &plan.Live{Complete: true, Version: "2.3", Caps: v1Caps("2.3")}, plan.Policy{})
	if strings.Contains(textOf(t, p), "stored as") {
		t.Errorf("2.3 plan notes a change:\n%s", textOf(t, p))
	}
	p, _ = plan.Compute(s, &plan.Live{Complete: true, Version: "2.4"}, plan.Policy{})
	if !strings.Contains(textOf(t, p), `name will be stored as "a &lt;= b"`) {
		t.Errorf("2.4 plan lacks the note:\n%s", textOf(t, p))
	}
}

// Components are matched by the name Cachet stored, so a file name with "<"
// updates its component instead of creating a second one.
func TestMatchesByStoredName(t *testing.T) {
	s := mustParse(t, `
components:
  - name: "a<b"
    description: new
`)
	lc := liveComp(3, "a&lt;b", 0, 1)
	p, err := plan.Compute(s, &plan.Live{Components: []plan.Component{lc}, Complete: true, Version: "2.4"}, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ops) != 1 || p.Ops[0].Action != plan.Update || p.Ops[0].ID != 3 {
		t.Errorf("want one update of #3:\n%s", textOf(t, p))
	}
}

// A subscriber is found by the address Cachet stored ("%2B" decoded).
func TestSubscriberMatchedByStoredEmail(t *testing.T) {
	s := mustParse(t, "subscribers:\n  - email: \"a%2Bb@example.com\"\n")
	p, err := plan.Compute(s, &plan.Live{Subscribers: []plan.Subscriber{sub(4, "a+b@example.com")}, Complete: true, Version: "2.4"}, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Errorf("plan is not empty:\n%s", textOf(t, p))
	}
}

package apply_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// randomPage seeds a random live page from small name pools: groups and
// components with random orders (ties included), groups, visibility,
// enabled flags and tags (case variants included), and subscribers.
func randomPage(r *rand.Rand, e *cachettest.Emulator) {
	var groupIDs []int
	for _, n := range []string{"G1", "G2", "G3", "Old G"} {
		if r.IntN(2) == 0 {
			g := e.SeedGroup(cachet.ComponentGroup{Name: n, Order: r.IntN(3), Collapsed: cachet.GroupCollapsed(r.IntN(3)),
				Visible: cachet.GroupVisibility(r.IntN(2))})
			groupIDs = append(groupIDs, g.ID)
		}
	}
	var compIDs []int
	for _, n := range []string{"C1", "C2", "C3", "C4", "C5", "Old C"} {
		if r.IntN(3) == 0 {
			continue
		}
		c := cachet.Component{Name: n, Order: r.IntN(3), Enabled: r.IntN(2) == 0, Status: cachet.ComponentStatus(r.IntN(5))}
		if len(groupIDs) > 0 && r.IntN(3) > 0 {
			c.GroupID = groupIDs[r.IntN(len(groupIDs))]
		}
		for _, t := range []string{"prod", "Prod", "eu-west"} {
			if r.IntN(4) == 0 {
				c.Tags.Add(t)
			}
		}
		compIDs = append(compIDs, e.SeedComponent(c).ID)
	}
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if r.IntN(2) == 0 {
			var ids []int
			for _, id := range compIDs {
				if r.IntN(2) == 0 {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 && len(compIDs) > 0 {
				ids = compIDs[:1]
			}
			e.SeedSubscriber(email, ids...)
		}
	}
}

// trickyText is text a user can write that Cachet's input filter changes
// or must leave alone: "<", ">", "&", "%", escapes, quotes, emoji, markup,
// call-like words and spaces at the ends (binput, cachet-api.md 9.1).
var trickyText = []string{
	"", " a<b", "p99 < 200ms", "x > y ", "R&D", "&amp; &lt;", "100%", " %2F", "a%2Fb", `"quoted"`, "it's",
	"😀 up", "Café", "日本", "<b>bold</b>", "Mail system (SMTP)", "A --> B", "the val.", "a <= b", `a\b`,
	"<i>x</i> & <u>y</u>", "%3Cb%3E", "50 percent", "javascript:x", "`tick`",
}

// trickyLinks are links that stay valid after the filter decodes them.
var trickyLinks = []string{
	"https://x.test/?q=a%2Fb", "https://x.test/a&b", "https://x.test/p?x=%3Cy%3E", "https://x.test/%F0%9F%98%80",
	"https://x.test/(v2)", "https://x.test/a%252Fb", "",
}

// trickyTags are tag names with the same kinds of text (distinct slugs).
var trickyTags = []string{"Prod", "api", "a<b", "R&D", "Café", "x%2Fy", "😀 ok", "\"q\""}

// yq quotes s for YAML (a Go quoted string is a valid YAML double-quoted one).
func yq(s string) string { return fmt.Sprintf("%q", s) }

// randomSpec writes a random file over the same pools: renames through
// `previously`, components moving between groups, reordering, declared
// and undeclared fields, subscribers, and random prune flags. Names,
// descriptions, links, tags and meta carry text from the tricky pools.
func randomSpec(r *rand.Rand) string {
	var b strings.Builder
	for i := range compNames {
		compNames[i] = fmt.Sprintf("C%d", i+1)
		if r.IntN(2) == 0 {
			compNames[i] += " " + trickyText[1+r.IntN(len(trickyText)-1)]
		}
	}
	comps := r.Perm(5)
	b.WriteString("groups:\n")
	next := 0
	for _, gi := range r.Perm(3)[:1+r.IntN(3)] {
		name := fmt.Sprintf("G%d", gi+1)
		if r.IntN(3) == 0 {
			name += " " + trickyText[1+r.IntN(len(trickyText)-1)]
		}
		fmt.Fprintf(&b, "  - name: %s\n", yq(name))
		if gi == 0 && r.IntN(2) == 0 {
			b.WriteString("    previously: [Old G]\n")
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    visible: %v\n", r.IntN(2) == 0)
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    collapsed: %d\n", r.IntN(3))
		}
		n := r.IntN(3)
		if n > 0 && next < len(comps) {
			b.WriteString("    components:\n")
			for ; n > 0 && next < len(comps); n-- {
				writeComponent(r, &b, "      ", comps[next]+1)
				next++
			}
		}
	}
	if next < len(comps) {
		b.WriteString("components:\n")
		for ; next < len(comps); next++ {
			writeComponent(r, &b, "  ", comps[next]+1)
		}
	}
	b.WriteString("subscribers:\n")
	for _, email := range []string{"a@example.com", "B@example.com", "d@example.com"} {
		fmt.Fprintf(&b, "  - email: %s\n", email)
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    components: [%s]\n", yq(compNames[r.IntN(5)]))
		}
	}
	fmt.Fprintf(&b, "prune: {groups: %v, components: %v, subscribers: %v}\n", r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(2) == 0)
	return b.String()
}

// compNames are the component names of the spec being written (C1..C5,
// some with tricky text after them).
var compNames [5]string

func writeComponent(r *rand.Rand, b *strings.Builder, indent string, n int) {
	fmt.Fprintf(b, "%s- name: %s\n", indent, yq(compNames[n-1]))
	if n == 1 && r.IntN(2) == 0 {
		fmt.Fprintf(b, "%s  previously: [Old C]\n", indent)
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(b, "%s  enabled: %v\n", indent, r.IntN(2) == 0)
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(b, "%s  status: %d\n", indent, r.IntN(5))
	}
	if r.IntN(3) == 0 {
		var tags []string
		for _, i := range r.Perm(len(trickyTags))[:1+r.IntN(3)] {
			tags = append(tags, yq(trickyTags[i]))
		}
		fmt.Fprintf(b, "%s  tags: [%s]\n", indent, strings.Join(tags, ", "))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(b, "%s  description: %s\n", indent, yq(trickyText[r.IntN(len(trickyText))]))
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(b, "%s  link: %s\n", indent, yq(trickyLinks[r.IntN(len(trickyLinks))]))
	}
	if r.IntN(4) == 0 {
		fmt.Fprintf(b, "%s  meta: {owner: %s, note: null, list: [%s, 1]}\n", indent,
			yq(trickyText[r.IntN(len(trickyText))]), yq(trickyText[r.IntN(len(trickyText))]))
	}
}

// TestApplyThenPlanIsEmpty is a property test: for random live pages and
// random files, on Cachet 2.4 and 2.3, one apply makes the page match, so
// the next plan is empty.
func TestApplyThenPlanIsEmpty(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 80
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		version := "2.4"
		if seed%4 == 0 {
			version = "2.3"
		}
		emu := cachettest.New(cachettest.WithVersion(version))
		randomPage(r, emu)
		yaml := randomSpec(r)
		ts := httptest.NewServer(emu)
		c := fastClient(t, ts.URL+"/api/v1", emu.Token())
		s := parse(t, yaml)
		ctx := context.Background()
		_, res, err := planAndApply(ctx, t, c, s, apply.Options{Parallelism: 3})
		if err != nil || res.Failed+res.NotAttempted > 0 {
			ts.Close()
			t.Fatalf("seed %d (%s): first apply: %v %v\n%s", seed, version, err, res.Err(), yaml)
		}
		live, err := cachetv1.ReadLive(ctx, c, cachetv1.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Compute(s, live, plan.Policy{})
		ts.Close()
		if err != nil || !p.Empty() {
			var out strings.Builder
			if p != nil {
				_ = render.Text(&out, p, render.Options{ShowEmails: true})
			}
			t.Fatalf("seed %d (%s): the plan after apply is not empty (%v):\n%s\nfile:\n%s", seed, version, err, out.String(), yaml)
		}
	}
}

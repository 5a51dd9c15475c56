// Package benchpage builds synthetic status pages for benchmarks: the live
// state, the spec file that declares it exactly, and an emulator seeded
// with it.
package benchpage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// Shape is the size of a synthetic status page: Groups groups of
// PerGroup components, and Subscribers subscribers.
type Shape struct {
	Groups, PerGroup, Subscribers int
}

// Components is the number of components.
func (s Shape) Components() int { return s.Groups * s.PerGroup }

// Synth builds a page in memory: the live state as ReadLive returns it
// from a Cachet 2.4 (ids from 1) and the spec that declares it exactly, so
// that their plan is empty. Some components are disabled, some tagged, some
// carry meta or a link; every subscriber is subscribed to one to three
// components.
func Synth(sh Shape) (*plan.Live, *spec.Spec) {
	live := &plan.Live{Complete: true, Version: "2.4"}
	s := &spec.Spec{Prune: spec.Prune{Groups: true, Components: true, Subscribers: true}}
	nComp := sh.Components()
	for g := 0; g < sh.Groups; g++ {
		lg := plan.Group{ID: g + 1, Name: fmt.Sprintf("Group %03d", g), Order: g + 1,
			Collapsed: page.Collapsed(g % 3), Visible: page.Public, HasVisibility: true}
		if g%10 == 9 {
			lg.Visible = page.LoggedInOnly
		}
		live.Groups = append(live.Groups, lg)
		sg := spec.Group{Name: lg.Name, Visible: ptr(lg.Visible == page.Public), Collapsed: ptr(lg.Collapsed)}
		for j := 0; j < sh.PerGroup; j++ {
			k := g*sh.PerGroup + j
			lc := plan.Component{ID: k + 1, Name: fmt.Sprintf("Service %05d", k), Description: fmt.Sprintf("Service number %d", k),
				Status: page.Status(1 + k%4), Order: j + 1, GroupID: g + 1, Enabled: k%7 != 0, Meta: map[string]any{}}
			sc := spec.Component{Name: lc.Name, Description: ptr(lc.Description), Enabled: ptr(lc.Enabled), Status: ptr(lc.Status)}
			if k%5 == 0 {
				lc.Link = fmt.Sprintf("https://status.example.com/s/%d", k)
				sc.Link = ptr(lc.Link)
			}
			if k%3 == 0 {
				sc.Tags = []string{"production", "eu-west"}
				lc.Tags = []string{"eu-west", "production"}
			}
			if k%10 == 0 {
				owner := fmt.Sprintf("team-%d", k%13)
				lc.Meta["owner"] = owner
				sc.Meta = map[string]any{"owner": owner}
			}
			live.Components = append(live.Components, lc)
			sg.Components = append(sg.Components, sc)
		}
		s.Groups = append(s.Groups, sg)
	}
	subID := 0
	for i := 0; i < sh.Subscribers; i++ {
		ls := plan.Subscriber{ID: i + 1, Email: fmt.Sprintf("subscriber%06d@example.com", i), Global: true}
		ss := spec.Subscriber{Email: ls.Email}
		for _, k := range SubscribedTo(i, nComp) {
			subID++
			ls.Subscriptions = append(ls.Subscriptions, plan.Subscription{ID: subID, ComponentID: k + 1})
			ss.Components = append(ss.Components, live.Components[k].Name)
		}
		live.Subscribers = append(live.Subscribers, ls)
		s.Subscribers = append(s.Subscribers, ss)
	}
	return live, s
}

func ptr[T any](v T) *T { return &v }

// subscribedTo returns the distinct component indexes subscriber i follows:
// one to three of them.
func SubscribedTo(i, nComp int) []int {
	n := min(1+i%3, nComp)
	step := nComp/3 + 1
	out := make([]int, n)
	for t := range out {
		out[t] = (i*7 + t*step) % nComp
	}
	return out
}

// YAML writes s in the file format, so that benchmarks read the spec
// through spec.Parse as the CLI does.
func YAML(s *spec.Spec) []byte {
	var b strings.Builder
	q := strconv.Quote
	b.WriteString("groups:\n")
	for _, g := range s.Groups {
		fmt.Fprintf(&b, "  - name: %s\n    visible: %t\n    collapsed: %d\n    components:\n", q(g.Name), *g.Visible, int(*g.Collapsed))
		for _, c := range g.Components {
			fmt.Fprintf(&b, "      - name: %s\n        description: %s\n        enabled: %t\n        status: %d\n",
				q(c.Name), q(*c.Description), *c.Enabled, int(*c.Status))
			if c.Link != nil {
				fmt.Fprintf(&b, "        link: %s\n", q(*c.Link))
			}
			if c.Tags != nil {
				quoted := make([]string, len(c.Tags))
				for i, t := range c.Tags {
					quoted[i] = q(t)
				}
				fmt.Fprintf(&b, "        tags: [%s]\n", strings.Join(quoted, ", "))
			}
			if c.Meta != nil {
				fmt.Fprintf(&b, "        meta: {owner: %s}\n", q(c.Meta["owner"].(string)))
			}
		}
	}
	b.WriteString("subscribers:\n")
	for _, sub := range s.Subscribers {
		quoted := make([]string, len(sub.Components))
		for i, n := range sub.Components {
			quoted[i] = q(n)
		}
		fmt.Fprintf(&b, "  - email: %s\n    components: [%s]\n", sub.Email, strings.Join(quoted, ", "))
	}
	b.WriteString("prune: {groups: true, components: true, subscribers: true}\n")
	return []byte(b.String())
}

// Seed stores the live page in e. Subscribers get the emulator's
// own ids; everything else keeps the ids of live.
func Seed(e *cachettest.Emulator, live *plan.Live) {
	for _, g := range live.Groups {
		e.SeedGroup(cachet.ComponentGroup{ID: g.ID, Name: g.Name, Order: g.Order, Collapsed: cachet.GroupCollapsed(g.Collapsed),
			Visible: cachet.GroupVisibility(g.Visible), HasVisibility: g.HasVisibility})
	}
	for _, c := range live.Components {
		lc := cachet.Component{ID: c.ID, Name: c.Name, Description: c.Description, Link: c.Link, Status: cachet.ComponentStatus(c.Status),
			Order: c.Order, GroupID: c.GroupID, Enabled: c.Enabled, Tags: cachet.Tags{}, Meta: cachet.Meta(c.Meta)}
		for _, t := range c.Tags {
			lc.Tags.Add(t)
		}
		e.SeedComponent(lc)
	}
	for _, s := range live.Subscribers {
		e.SeedSubscriber(s.Email, s.ComponentIDs()...)
	}
}

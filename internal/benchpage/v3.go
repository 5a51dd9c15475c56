package benchpage

import (
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/spec"
)

// Spec3 is the spec of Synth's page without tags, which Cachet 3.x does
// not have: the file that Seed3's page plans empty against.
func Spec3(sh Shape) *spec.Spec {
	_, s := Synth(sh)
	for gi := range s.Groups {
		for ci := range s.Groups[gi].Components {
			s.Groups[gi].Components[ci].Tags = nil
		}
	}
	return s
}

// Seed3 stores the page s declares (from Spec3) in e, a Cachet 3.x
// emulator, as the 3.x API would hold it after an apply: ids from 1 in
// file order, every group ordering its components manually, components
// ordered by their position. Subscribers have ids 1, 2, 3, ..., or with
// sparse 1, 3, 5, ... (as after much churn: every page boundary of a 3.x
// read then needs its check, see cachet3.ReadReport).
func Seed3(e *cachettest.Emulator, s *spec.Spec, sparse bool) {
	compIDs := map[string]int{}
	for gi, g := range s.Groups {
		gid := e.SeedGroups3(cachettest.Group3{Name: g.Name, Order: gi + 1, Collapsed: int(*g.Collapsed), Visible: b2i(*g.Visible),
			OrderColumn: "manual"})[0]
		comps := make([]cachettest.Component3, len(g.Components))
		for ci, c := range g.Components {
			order := ci + 1
			comps[ci] = cachettest.Component3{Name: c.Name, Description: c.Description, Link: c.Link, Order: &order,
				Status: int(*c.Status), Enabled: *c.Enabled, GroupID: gid, Meta: c.Meta}
		}
		for ci, id := range e.SeedComponentList3(comps...) {
			compIDs[g.Components[ci].Name] = id
		}
	}
	subs := make([]cachettest.Subscriber3, len(s.Subscribers))
	for i, sub := range s.Subscribers {
		subs[i] = cachettest.Subscriber3{Email: sub.Email, Verified: true}
		if sparse {
			subs[i].ID = 2*i + 1
		}
		for _, name := range sub.Components {
			subs[i].Components = append(subs[i].Components, compIDs[name])
		}
	}
	e.SeedSubscribers3(subs...)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

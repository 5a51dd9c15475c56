package spec

import (
	"fmt"
	"strings"
)

// identity is what the checks across items need of a group or component.
type identity struct {
	name  string // "" when missing or blank (already reported)
	pos   Pos
	prev  []posString
	id    int
	idPos Pos
}

// check runs the checks that span items and files: unique names, previously
// names, id pins, subscriber e-mails and references. When a file could not
// be read (complete is false), the components it declares are unknown, so
// references are not checked.
func check(f *file, complete bool) Diagnostics {
	var d Diagnostics
	add := func(pos Pos, format string, args ...any) {
		d = append(d, Diagnostic{pos, fmt.Sprintf(format, args...)})
	}

	var groups, comps []identity
	for _, g := range f.groups {
		groups = append(groups, identity{g.g.Name, g.g.Pos, g.prev, g.g.ID, g.idPos})
		for _, c := range g.comps {
			comps = append(comps, identity{c.c.Name, c.c.Pos, c.prev, c.c.ID, c.idPos})
		}
	}
	for _, c := range f.comps {
		comps = append(comps, identity{c.c.Name, c.c.Pos, c.prev, c.c.ID, c.idPos})
	}
	groupNames, _ := checkIdentities("group", groups, add)
	names, renamed := checkIdentities("component", comps, add)
	checkStoredNames("group", groups, add)
	checkStoredNames("component", comps, add)

	emails := make(map[string]*Subscriber, len(f.subs))
	for _, sub := range f.subs {
		s := &sub.s
		if s.Email != "" {
			key := strings.ToLower(s.Email)
			switch first, dup := emails[key]; {
			case !dup:
				emails[key] = s
			case first.Email == s.Email:
				add(s.Pos, "duplicate subscriber %q (first declared at %s)", s.Email, first.Pos)
			default:
				add(s.Pos, "duplicate subscriber %q (first declared as %q at %s; e-mails are compared case-insensitively)",
					s.Email, first.Email, first.Pos)
			}
		}
		var seen map[string]Pos // for a long list only
		if len(sub.refs) > 32 {
			seen = make(map[string]Pos, len(sub.refs))
		}
		for i, ref := range sub.refs {
			var first Pos
			var dup bool
			if seen != nil {
				first, dup = seen[ref.s]
				if !dup {
					seen[ref.s] = ref.pos
				}
			} else {
				first, dup = firstRef(sub.refs[:i], ref.s)
			}
			if dup {
				add(ref.pos, "component %q is listed twice (first at %s)", ref.s, first)
				continue
			}
			if _, ok := names[ref.s]; ok || !complete {
				continue
			}
			if now, ok := renamed[ref.s]; ok {
				add(ref.pos, "unknown component %q: it was renamed to %q (use the current name)", ref.s, now)
			} else if _, ok := groupNames[ref.s]; ok {
				add(ref.pos, "unknown component %q: that is a group; list its components instead", ref.s)
			} else if alt := foldMatch(ref.s, names); alt != "" {
				add(ref.pos, "unknown component %q (did you mean %q?)", ref.s, alt)
			} else {
				add(ref.pos, "unknown component %q: the spec declares no component of that name", ref.s)
			}
		}
	}
	return d
}

// firstRef returns the position of the first of refs named s (for a short
// list, where a search costs less than a map).
func firstRef(refs []posString, s string) (Pos, bool) {
	for _, r := range refs {
		if r.s == s {
			return r.pos, true
		}
	}
	return Pos{}, false
}

// checkIdentities checks that names, previously names and id pins are unique
// among items of one kind. It returns the names declared, and a map from
// each previously name to the current name.
func checkIdentities(what string, items []identity, add func(Pos, string, ...any)) (names map[string]Pos, renamed map[string]string) {
	names = map[string]Pos{}
	for _, it := range items {
		if it.name == "" {
			continue
		}
		if first, dup := names[it.name]; dup {
			add(it.pos, "duplicate %s %q (first declared at %s)", what, it.name, first)
			continue
		}
		names[it.name] = it.pos
	}

	renamed = map[string]string{}
	prevAt := map[string]Pos{}
	for _, it := range items {
		if it.name == "" {
			continue // reported already; its previously names cannot be told apart
		}
		for _, p := range it.prev {
			other, taken := names[p.s]
			first, dup := prevAt[p.s]
			switch {
			case p.s == it.name:
				add(p.pos, "previously name %q is the %s's current name", p.s, what)
			case taken:
				add(p.pos, "previously name %q is the name of another %s (declared at %s)", p.s, what, other)
			case dup:
				add(p.pos, "previously name %q is already listed for %s %q (at %s)", p.s, what, renamed[p.s], first)
			default:
				prevAt[p.s] = p.pos
				renamed[p.s] = it.name
			}
		}
	}

	pinned := map[int]identity{}
	for _, it := range items {
		if it.id == 0 {
			continue
		}
		if first, dup := pinned[it.id]; dup {
			add(it.idPos, "id %d is already pinned by %s %q (declared at %s)", it.id, what, first.name, first.pos)
			continue
		}
		pinned[it.id] = it
	}
	return names, renamed
}

// foldMatch returns the declared name equal to s but for case, if any.
func foldMatch(s string, names map[string]Pos) string {
	best := ""
	for n := range names {
		if strings.EqualFold(n, s) && (best == "" || n < best) {
			best = n
		}
	}
	return best
}

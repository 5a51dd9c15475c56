package spec

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/cachet/binput"
)

// Cachet passes every text it receives through Binput's trim and XSS
// filter (package binput) before validating and storing it. A text the
// filter turns into something Cachet cannot store, or rejects, is refused
// here, at its position, before any request is made. Both Cachet 2.4's and
// 2.3's filters are checked: the file does not know which one it will meet.

// storable reports whether Cachet can store s, reporting the reason at n
// when it cannot: s must not become blank (for names) nor leave bytes that
// are not UTF-8 (a "%" followed by two hex digits, even with spaces
// between them, is decoded to a byte).
func (p *parser) storable(n *yaml.Node, what, s string, mayBeEmpty bool) bool {
	// The verdict depends on s and mayBeEmpty only, and a page names each
	// component again in every subscriber of it: remember the strings
	// found storable (a refusal is reported at each place, so it is not
	// remembered).
	key := s
	if mayBeEmpty {
		key = "\x00" + s // a NUL never reaches here in a name
	}
	if p.storableOK[key] {
		return true
	}
	if ok := p.storableUncached(n, what, s, mayBeEmpty); !ok {
		return false
	}
	if p.storableOK == nil {
		p.storableOK = map[string]bool{}
	}
	p.storableOK[key] = true
	return true
}

func (p *parser) storableUncached(n *yaml.Node, what, s string, mayBeEmpty bool) bool {
	for _, v := range []binput.Version{binput.V24, binput.V23} {
		stored, changes := v.Explain(s)
		switch {
		case !utf8.ValidString(stored):
			p.errorf(n, "%s %q cannot be stored: Cachet %s, which leaves bytes that are not text; reword it (a %%-escape is \"%%\" and two hex digits, spaces allowed, so write \"percent\" or avoid \"%%\" before letters a–f and digits)",
				what, s, strings.Join(changes, ", "))
			return false
		case strings.TrimSpace(stored) == "" && !mayBeEmpty: // Laravel's required rule trims
			p.errorf(n, "%s %q would be stored empty: Cachet %s", what, s, strings.Join(changes, ", "))
			return false
		}
	}
	return true
}

// storableLink reports whether the link Cachet makes of s is still a valid
// URL (its %-escapes are decoded before the url rule sees it).
func (p *parser) storableLink(n *yaml.Node, s string) bool {
	if !p.storable(n, "link", s, true) {
		return false
	}
	for _, v := range []binput.Version{binput.V24, binput.V23} {
		if stored, changes := v.Explain(s); stored != s && !validURL(stored) {
			p.errorf(n, "link %q would be rejected by Cachet: it %s before checking links, and %q is not a valid URL", s, strings.Join(changes, ", "), stored)
			return false
		}
	}
	return true
}

// checkStoredNames reports two entries whose different names Cachet stores
// as the same text ("a<b" and "a&lt;b" are both stored as "a&lt;b"): the
// page could not tell them apart afterwards.
func checkStoredNames(what string, items []identity, add func(Pos, string, ...any)) {
	first := map[string]identity{}
	for _, it := range items {
		if it.name == "" {
			continue
		}
		stored := binput.Clean(it.name)
		if f, dup := first[stored]; dup && f.name != it.name {
			add(it.pos, "%s %q is stored by Cachet as %q, like %s %q (declared at %s): rename one of them", what, it.name, stored, what, f.name, f.pos)
			continue
		}
		if _, dup := first[stored]; !dup {
			first[stored] = it
		}
	}
}

// storableEmail reports an e-mail address that Cachet's filter turns into
// one its email rule rejects ("a%20b@x.test" becomes "a b@x.test").
func (p *parser) storableEmail(n *yaml.Node, s string) {
	for _, v := range []binput.Version{binput.V24, binput.V23} {
		if stored, changes := v.Explain(s); stored != s && !validEmail(stored) {
			p.errorf(n, "email %q would be rejected by Cachet: it %s, and %q is not a valid address", s, strings.Join(changes, ", "), stored)
			return
		}
	}
}

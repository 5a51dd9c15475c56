package cachettest

import (
	"errors"
	"regexp"
	"strings"
)

// The part of Twig that incident templates use.

var (
	twigPrint   = regexp.MustCompile(`\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*((?:\|\s*[A-Za-z_]+\s*)*)-?\}\}`)
	twigTagExpr = regexp.MustCompile(`\{%-?\s*([a-z]+)\b\s*(.*?)\s*-?%\}\n?`) // Twig drops the newline after a tag
	twigComment = regexp.MustCompile(`(?s)\{#.*?#\}`)
	twigCond    = regexp.MustCompile(`^(not\s+)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)$`)
)

// errTemplate is a template that makes Twig or PHP throw (a 500).
var errTemplate = errors.New("template error")

// twigObject stands for an Eloquent model in the template variables: the
// sandbox allows neither its properties nor its __toString.
type twigObject struct{}

// render is the part of Twig that incident templates use: {{ name }} and
// {{ a.b }} from vars, HTML-escaped (Twig's default autoescape: & < > " '
// as htmlspecialchars ENT_QUOTES writes them), {% if x %} / {% if not x %}
// with elseif, else and endif, and {# comments #}. Unknown variables
// render empty, true as "1" and false as "". In 2.4 the template runs in
// Cachet's sandbox (config/cachet.php:59-65: tag if, filter escape only;
// anything else is a SecurityError, a 500), wrapped as
// '{% sandbox %}{% include "firstStageLoader" %} {% endsandbox %}'
// (CreateIncidentCommandHandler.php:160), which appends a space. An array
// printed is PHP's "Array to string conversion" notice, a 500 under
// Laravel. Other syntax is left as it is.
func (e *Emulator) render(tpl string, vars map[string]any) (string, error) {
	r := twigRenderer{e: e, vars: vars}
	out := r.block(twigComment.ReplaceAllString(tpl, ""))
	if r.failed {
		return "", errTemplate
	}
	if !e.v23 {
		out += " "
	}
	return out, nil
}

type twigRenderer struct {
	e      *Emulator
	vars   map[string]any
	failed bool
}

// lookup resolves a.b.c in vars; an object's property is a sandbox error.
func (r *twigRenderer) lookup(path string) any {
	var v any = r.vars
	for part := range strings.SplitSeq(path, ".") {
		if _, ok := v.(twigObject); ok {
			r.failed = true
			return nil
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[part]
	}
	return v
}

// prints substitutes the {{ }} of a text without tags.
func (r *twigRenderer) prints(text string) string {
	return twigPrint.ReplaceAllStringFunc(text, func(m string) string {
		sub := twigPrint.FindStringSubmatch(m)
		escape := true
		for f := range strings.SplitSeq(sub[2], "|") {
			switch f = strings.TrimSpace(f); f {
			case "":
			case "escape", "e":
				if !r.e.v23 && f == "e" {
					r.failed = true
				}
			case "raw":
				if !r.e.v23 {
					r.failed = true
				}
				escape = false
			default:
				r.failed = true
			}
		}
		v := r.lookup(sub[1])
		switch v.(type) {
		case map[string]any, []any, twigObject:
			r.failed = true
			return ""
		}
		if !escape {
			return phpString(v)
		}
		return htmlSpecialChars(phpString(v))
	})
}

// block renders text with its if tags.
func (r *twigRenderer) block(text string) string {
	var b strings.Builder
	for {
		loc := twigTagExpr.FindStringSubmatchIndex(text)
		if loc == nil {
			b.WriteString(r.prints(text))
			return b.String()
		}
		b.WriteString(r.prints(text[:loc[0]]))
		name := text[loc[2]:loc[3]]
		if name != "if" {
			if !r.e.v23 {
				r.failed = true // the sandbox allows the if tag only
			}
			b.WriteString(text[loc[0]:loc[1]])
			text = text[loc[1]:]
			continue
		}
		branches, rest, ok := splitIf(text[loc[0]:])
		if !ok {
			b.WriteString(text[loc[0]:loc[1]])
			text = text[loc[1]:]
			continue
		}
		for _, br := range branches {
			truth := true
			if br.cond != "" {
				m := twigCond.FindStringSubmatch(br.cond)
				if m == nil {
					r.failed = r.failed || !r.e.v23
					truth = false
				} else {
					truth = twigTruthy(r.lookup(m[2])) != (m[1] != "")
				}
			}
			if truth {
				b.WriteString(r.block(br.body))
				break
			}
		}
		text = rest
	}
}

type twigBranch struct{ cond, body string }

// splitIf cuts "{% if c %}...{% elseif d %}...{% else %}...{% endif %}rest"
// into its branches (else has no condition) and the text after endif.
func splitIf(text string) ([]twigBranch, string, bool) {
	var branches []twigBranch
	depth := 0
	cur := -1
	pos := 0
	for {
		loc := twigTagExpr.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			return nil, "", false
		}
		start, end := pos+loc[0], pos+loc[1]
		name, arg := text[pos+loc[2]:pos+loc[3]], text[pos+loc[4]:pos+loc[5]]
		switch {
		case name == "if" && depth == 0 && cur < 0:
			branches = append(branches, twigBranch{cond: arg})
			cur = end
			depth = 1
		case name == "if":
			depth++
		case name == "endif" && depth == 1:
			branches[len(branches)-1].body = text[cur:start]
			return branches, text[end:], true
		case name == "endif":
			depth--
		case (name == "elseif" || name == "else") && depth == 1:
			branches[len(branches)-1].body = text[cur:start]
			cond := arg
			if name == "else" {
				cond = ""
			}
			branches = append(branches, twigBranch{cond: cond})
			cur = end
		}
		pos = end
	}
}

// twigTruthy is PHP's (bool) of a template value; an object is true.
func twigTruthy(v any) bool {
	if _, ok := v.(twigObject); ok {
		return true
	}
	return phpBool(v)
}

var htmlSpecial = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;")

// htmlSpecialChars is PHP's htmlspecialchars with ENT_QUOTES, Twig's html
// escaper.
func htmlSpecialChars(s string) string { return htmlSpecial.Replace(s) }

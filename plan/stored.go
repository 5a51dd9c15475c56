package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cachetsync/cachetsync/spec"
)

// Cachet does not store the text it receives: every field goes through
// Binput's trim and XSS filter (see package binput), so "p99 < 200ms" is
// stored as "p99 &lt; 200ms". The plan compares the live page with what
// Cachet will store of the file's text, and says so when that differs from
// the file.

// storedText is what Cachet keeps of a text the plan sends.
func (c *computer) storedText(s string) string { return c.clean.Clean(s) }

// storedTexts is storedText of each.
func (c *computer) storedTexts(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = c.storedText(s)
	}
	return out
}

// storedNote is the note saying how Cachet stores a field's text, or ""
// when it stores the text as the file has it.
func (c *computer) storedNote(field, s string) string {
	if c.storedText(s) == s {
		return ""
	}
	stored, changes := c.clean.Explain(s)
	return fmt.Sprintf("%s will be stored as %q (Cachet %s)", field, stored, strings.Join(changes, ", "))
}

// tagSplit is how Cachet's component command handlers split the tags
// string: preg_split('/ ?, ?/', ...).
var tagSplit = regexp.MustCompile(` ?, ?`)

// storedTags is the tag names Cachet makes of a tag list: the client joins
// them with commas, Cachet cleans that one string and splits it again.
func (c *computer) storedTags(tags []string) []string {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			names = append(names, t)
		}
	}
	var out []string
	for _, t := range tagSplit.Split(c.storedText(strings.Join(names, ",")), -1) {
		if c.caps.DropsTagZero && t == "0" {
			// 2.4 filter()s the pieces, which drops a falsy "0"
			// (app/Bus/Handlers/Commands/Component/UpdateComponentCommandHandler.php:61).
			continue
		}
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// storedMeta is what Cachet keeps of a meta object: strings cleaned, null
// members dropped.
func (c *computer) storedMeta(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := c.clean.CleanValue(m).(map[string]any)
	return out
}

// withoutNulls is a live meta without its null members, at any depth: no
// request can store one (Binput drops them), so a live null is the same as
// an absent member, and a file's null is dropped as Cachet drops it.
func withoutNulls(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := dropNulls(m).(map[string]any)
	return out
}

func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if x != nil {
				out[k] = dropNulls(x)
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			if x != nil {
				out = append(out, dropNulls(x))
			}
		}
		return out
	}
	return v
}

// componentStorageNotes are the notes for the fields of sc an operation
// sends (all declared ones when fields is nil) that Cachet stores otherwise.
func (c *computer) componentStorageNotes(sc sendable, fields []Change) []string {
	sends := func(f string) bool {
		if fields == nil {
			return true
		}
		return slices.ContainsFunc(fields, func(ch Change) bool { return ch.Field == f })
	}
	var notes []string
	add := func(n string) {
		if n != "" {
			notes = append(notes, n)
		}
	}
	if sends("name") {
		add(c.storedNote("name", sc.name))
	}
	if sc.description != nil && sends("description") {
		add(c.storedNote("description", *sc.description))
	}
	if sc.link != nil && sends("link") {
		add(c.storedNote("link", *sc.link))
	}
	if len(sc.tags) > 0 && sends("tags") {
		if stored := c.storedTags(sc.tags); !slices.Equal(stored, sc.tags) {
			notes = append(notes, fmt.Sprintf("tags will be stored as %s (Cachet filters its input)", quoteList(stored)))
		}
	}
	if sc.meta != nil && sends("meta") && c.caps.ComponentMeta {
		if stored := c.storedMeta(sc.meta); canonicalJSON(stored) != canonicalJSON(sc.meta) {
			notes = append(notes, fmt.Sprintf("meta will be stored as %s (Cachet filters its strings and drops null members)", canonicalJSON(stored)))
		}
	}
	return notes
}

// groupStorageNotes is the note on a group's name when the operation sends
// it (fields nil: always) and Cachet stores it otherwise.
func (c *computer) groupStorageNotes(name string, fields []Change) []string {
	if fields != nil && !slices.ContainsFunc(fields, func(ch Change) bool { return ch.Field == "name" }) {
		return nil
	}
	if n := c.storedNote("name", name); n != "" {
		return []string{n}
	}
	return nil
}

func sendableOf(sc spec.Component) sendable {
	return sendable{name: sc.Name, description: sc.Description, link: sc.Link, tags: sc.Tags, meta: sc.Meta}
}

// sendable is the text of a component an operation can send.
type sendable struct {
	name              string
	description, link *string
	tags              []string
	meta              map[string]any
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

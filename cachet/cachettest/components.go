package cachettest

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cachetsync/cachetsync/cachet"
)

var componentStatusNames = []string{"Unknown", "Operational", "Performance Issues", "Partial Outage", "Major Outage"}

func (e *Emulator) componentStatusName(s int) string {
	if s < 0 || s > 4 || (e.v23 && s == 0) {
		return "cachet.components.status." + strconv.Itoa(s)
	}
	return componentStatusNames[s]
}

// writeComponent writes a component as ComponentPresenter does; created is
// the shape of a POST response (no deleted_at).
func (c *call) writeComponent(w *jw, comp *component, created bool) {
	w.obj()
	if !created {
		w.kint("id", comp.id)
		w.kstr("name", comp.name)
	}
	w.kstr("description", comp.description)
	w.kstr("link", comp.link)
	if !created {
		w.kint("status", comp.status)
	}
	w.kint("order", comp.order)
	w.kint("group_id", comp.groupID)
	w.kbool("enabled", comp.enabled)
	if !c.e.v23 {
		w.key("meta")
		w.value(comp.meta)
	}
	if created {
		w.kstr("name", comp.name)
		w.kint("status", comp.status)
		w.ktime("updated_at", comp.updatedAt, c.loc)
		w.ktime("created_at", comp.createdAt, c.loc)
		w.kint("id", comp.id)
	} else {
		w.ktime("created_at", comp.createdAt, c.loc)
		w.ktime("updated_at", comp.updatedAt, c.loc)
		w.knull("deleted_at")
	}
	w.kstr("status_name", c.e.componentStatusName(comp.status))
	w.key("tags")
	writeTags(w, comp.tags, c.e.v23)
	w.endObj()
}

// writeTags writes pluck('name','slug'): {} keyed by slug, or [] when empty.
// Slugs are Laravel's Str::slug: 5.7's on 2.4, 5.2's on v2.3.18.
func writeTags(w *jw, names []string, v23 bool) {
	slug := cachet.Slug
	if v23 {
		slug = cachet.SlugV23
	}
	if len(names) == 0 {
		w.arr()
		w.endArr()
		return
	}
	slugs := make([]string, 0, len(names))
	value := make(map[string]string, len(names))
	for _, n := range names {
		s := slug(n)
		if _, ok := value[s]; !ok {
			slugs = append(slugs, s)
		}
		value[s] = n
	}
	w.obj()
	for _, s := range slugs {
		w.kstr(s, value[s])
	}
	w.endObj()
}

var tagSplit = regexp.MustCompile(` ?, ?`)

// splitTags splits a tags string as the command handlers do: 2.4
// (CreateComponentCommandHandler.php:58-60, UpdateComponentCommandHandler.php:
// 61-63) drops the falsy pieces ("" and "0") with filter() and then trims
// each; v2.3.18 (ComponentController.php:88, :128) keeps every piece as is.
func splitTags(s string, v23 bool) []string {
	var out []string
	for _, t := range tagSplit.Split(s, -1) {
		if !v23 {
			if t == "" || t == "0" {
				continue
			}
			t = strings.Trim(t, " \t\n\r\x00\x0B")
		}
		out = append(out, t)
	}
	return out
}

// mysqlEqual is "=" between two strings under utf8mb4_unicode_ci as the
// emulator models it elsewhere (cell.matches): case-insensitive, trailing
// spaces ignored.
func mysqlEqual(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, " "), strings.TrimRight(b, " "))
}

// tagNamed returns the stored name of the tag that a name refers to,
// creating the tag when none matches. Tags are one table shared by every
// component and looked up by name with SQL "=": Tag::findOrCreate
// (app/Models/Tag.php:64-83, 2.4) and Tag::firstOrCreate(['name' => ...])
// (v2.3.18 app/Http/Controllers/Api/ComponentController.php:91-95). So
// "API" given after "Api" is the tag "Api". Tags are never deleted.
func (s *store) tagNamed(name string) string {
	for _, n := range s.tagNames {
		if mysqlEqual(n, name) {
			return n
		}
	}
	s.tagNames = append(s.tagNames, name)
	return name
}

// attachTags resolves names to stored tags, each tag once, in order.
func (s *store) attachTags(names []string) []string {
	var out []string
	for _, n := range names {
		if t := s.tagNamed(n); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// tagBySlug is Tag::where('slug', '=', $value)->first() (HasTags.php:193,
// 2.4): the oldest tag whose slug equals value under SQL "=".
func (s *store) tagBySlug(value string) (string, bool) {
	for _, n := range s.tagNames {
		if mysqlEqual(cachet.Slug(n), value) {
			return n, true
		}
	}
	return "", false
}

func (e *Emulator) componentColumn(comp *component, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(comp.id), true
	case "name":
		return strCell(comp.name), true
	case "description":
		return strCell(comp.description), true
	case "link":
		return strCell(comp.link), true
	case "status":
		return numCell(comp.status), true
	case "order":
		return numCell(comp.order), true
	case "group_id":
		return numCell(comp.groupID), true
	case "enabled":
		return boolCell(comp.enabled), true
	case "created_at":
		return strCell(comp.createdAt.Format(dateTime)), true
	case "updated_at":
		return strCell(comp.updatedAt.Format(dateTime)), true
	case "deleted_at":
		return strCell(""), true
	case "meta":
		return strCell(""), !e.v23
	}
	return cell{}, false
}

var componentSearch = []string{"id", "name", "status", "order", "group_id", "enabled"}

func (e *Emulator) listComponents(c *call) resp {
	rows := e.st.components.rows
	if !c.authed {
		rows = filter(rows, func(comp *component) bool { return comp.enabled })
	}
	if t, ok := c.in["tags"]; ok && !e.v23 && phpBool(t) {
		var want []string
		switch t := t.(type) {
		case []any:
			for _, x := range t {
				want = append(want, phpString(x))
			}
		default:
			want = []string{phpString(t)}
		}
		// HasTags::scopeWithAnyTags (app/Models/Traits/HasTags.php:102-111,
		// 186-194, 2.4): each value names the oldest tag with that slug
		// (SQL "=", so case-insensitive); a component matches when it has
		// one of those tags.
		var tags []string
		for _, w := range want {
			if n, ok := e.st.tagBySlug(w); ok {
				tags = append(tags, n)
			}
		}
		rows = filter(rows, func(comp *component) bool {
			for _, n := range comp.tags {
				if slices.Contains(tags, n) {
					return true
				}
			}
			return false
		})
	}
	p, bad := list(c, rows, listSpec[component]{
		searchable: componentSearch,
		column:     e.componentColumn,
		sortable:   componentSearch,
	})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, comp *component) { c.writeComponent(w, comp, false) })
}

func filter[T any](rows []*T, keep func(*T) bool) []*T {
	var out []*T
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func (e *Emulator) getComponent(c *call) resp {
	comp, _ := e.st.components.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeComponent(w, comp, false) })
}

func (e *Emulator) createComponent(c *call) resp {
	in := c.in
	status := phpInt(in["status"])
	enabled := phpBool(orDefault(in, "enabled", true))
	var msgs []string
	if e.v23 {
		// v2.3.18 enforces only Component::$rules on save (app/Models/Component.php:75-79).
		msgs = validate(has(in, "name", "required|string"), val("status", status, "required|int"), has(in, "link", "nullable|url52"))
	} else {
		// In the order of CreateComponentCommand::$rules: the messages
		// follow it (app/Bus/Commands/Component/CreateComponentCommand.php:
		// 89-99, 2.4).
		msgs = validate(
			has(in, "name", "required|string"),
			has(in, "description", "nullable|string"),
			val("status", status, "required|int|min:0|max:4"),
			has(in, "link", "nullable|url"),
			has(in, "order", "nullable|int"),
			has(in, "group_id", "nullable|int"),
			val("enabled", enabled, "nullable|bool"),
			has(in, "meta", "nullable|array"),
			has(in, "tags", "nullable|string"),
		)
	}
	if len(msgs) > 0 {
		return validationErr(msgs)
	}
	now := c.now
	comp := &component{
		id:          e.st.components.alloc(),
		name:        phpString(in["name"]),
		description: phpString(in["description"]),
		link:        phpString(in["link"]),
		status:      status,
		order:       phpInt(in["order"]),
		groupID:     phpInt(in["group_id"]),
		enabled:     enabled,
		createdAt:   now,
		updatedAt:   now,
	}
	if !e.v23 {
		comp.meta = normalizeMeta(in["meta"])
	}
	// CreateComponentCommandHandler.php:57 (2.4): only a truthy tags string
	// is split ("0" adds nothing); v2.3.18 ComponentController.php:86 uses
	// Binput::has, for which "0" is a value.
	if t := in["tags"]; (e.v23 && phpString(t) != "") || (!e.v23 && phpBool(t)) {
		comp.tags = e.st.attachTags(splitTags(phpString(t), e.v23))
	}
	e.st.components.put(comp.id, comp)
	e.st.allComp = nil
	if t, ok := in["tags"]; ok && isArray(t) && e.v23 {
		// v2.3.18 ComponentController.php:86-98 splits the tags after the
		// command has committed: preg_split on an array is a PHP warning,
		// a 500, and the component stays.
		return errResp(http.StatusInternalServerError, "")
	}
	return dataResp(func(w *jw) { c.writeComponent(w, comp, true) })
}

// normalizeMeta turns a decoded JSON object into PHP's view of it.
func normalizeMeta(v any) any {
	switch v := v.(type) {
	case map[string]any, []any:
		return v
	}
	return nil
}

func (e *Emulator) updateComponent(c *call) resp {
	comp, _ := e.st.components.get(c.ids[0])
	in := c.in
	// tags as an array: a PHP warning in preg_split, a 500. 2.4 splits
	// inside the command's transaction (UpdateComponentCommandHandler.php:
	// 60-66), so nothing changes; 2.3 in the controller after the update
	// has committed (v2.3.18 ComponentController.php:127-136).
	tagsFail := false
	if t, ok := in["tags"]; ok && isArray(t) {
		if !e.v23 {
			return errResp(http.StatusInternalServerError, "")
		}
		tagsFail = true
	}
	next := *comp
	var (
		status  any
		enabled any
	)
	if e.v23 {
		// 2.3: (int) status and (bool) Binput::get('enabled', true).
		status = phpInt(in["status"])
		enabled = phpBool(orDefault(in, "enabled", true))
	} else {
		status = in["status"]
		enabled = orDefault(in, "enabled", comp.enabled)
		if msgs := validate(
			has(in, "name", "nullable|string"),
			has(in, "description", "nullable|string"),
			val("status", status, "nullable|int|min:0|max:4"),
			has(in, "link", "nullable|url"),
			has(in, "order", "nullable|int"),
			has(in, "group_id", "nullable|int"),
			val("enabled", enabled, "nullable|bool"),
			has(in, "meta", "nullable|array"),
			// silent is cast (bool) before validation (ComponentController.
			// php:115), so its nullable|bool rule never fails.
		); len(msgs) > 0 {
			return validationErr(msgs)
		}
		if m, ok := in["meta"]; ok && m != nil {
			next.meta = normalizeMeta(m)
		}
	}
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["description"]; ok && v != nil {
		next.description = phpString(v)
	}
	if v, ok := in["link"]; ok && v != nil {
		next.link = phpString(v)
	}
	if v, ok := in["order"]; ok && v != nil {
		next.order = phpInt(v)
	}
	if v, ok := in["group_id"]; ok && v != nil {
		next.groupID = phpInt(v)
	}
	if status != nil {
		next.status = phpInt(status)
	}
	if enabled != nil {
		next.enabled = phpBool(enabled)
	}
	// Model rules on save.
	rules := []field{val("name", next.name, "required|string")}
	if next.link != "" {
		rules = append(rules, val("link", next.link, map[bool]string{false: "nullable|url", true: "nullable|url52"}[e.v23]))
	}
	if msgs := validate(rules...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if e.v23 {
		e.st.statusEvents++ // ComponentWasUpdatedEvent mails on every update
	} else if next.status != 0 && next.status != comp.status {
		e.st.statusEvents++ // ComponentStatusWasChangedEvent
	}
	// UpdateComponentCommandHandler.php:60 (2.4): tags replace the set
	// only when truthy; 2.3 (ComponentController.php) when Binput::has.
	if t := in["tags"]; (e.v23 && phpString(t) != "") || (!e.v23 && phpBool(t)) {
		next.tags = e.st.attachTags(splitTags(phpString(t), e.v23))
	}
	if !componentColumnsEqual(comp, &next) {
		next.updatedAt = c.now
	}
	*comp = next
	if tagsFail {
		return errResp(http.StatusInternalServerError, "")
	}
	return dataResp(func(w *jw) { c.writeComponent(w, comp, false) })
}

func componentColumnsEqual(a, b *component) bool {
	return a.name == b.name && a.description == b.description && a.link == b.link && a.status == b.status &&
		a.order == b.order && a.groupID == b.groupID && a.enabled == b.enabled && reflect.DeepEqual(a.meta, b.meta)
}

func (e *Emulator) deleteComponent(c *call) resp {
	e.st.removeComponent(c.ids[0])
	return resp{status: http.StatusNoContent}
}

package cachettest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

var subSpec3 = spec3[sub3]{
	filters: []string{"email", "global", "meta"},
	filter: map[string]filter3[sub3]{
		"email":  func(x *sub3, vs []any) bool { return anyPartial(x.email, vs) },
		"global": func(x *sub3, vs []any) bool { return anyExactInt(b2i(x.global), vs) },
	},
	sorts: []string{"email", "id"},
	sort: map[string]func(a, b *sub3) int{
		"email": func(a, b *sub3) int { return strings.Compare(strings.ToLower(a.email), strings.ToLower(b.email)) },
		"id":    func(a, b *sub3) int { return cmpInt(a.id, b.id) },
	},
	includes: []string{"components", "componentsCount", "componentsExists", "meta", "metaCount", "metaExists"},
	meta:     func(x *sub3) meta3 { return x.meta },
}

// listSubscribers is SubscriberController::index (core:src/Http/Controllers/Api/SubscriberController.php:37-52).
func (c *c3) listSubscribers() r3 {
	if denied := c.guard("subscribers.manage"); denied != nil {
		return *denied
	}
	return index3(c, c.e.v3.st.subs.rows, subSpec3, c.subRes)
}

// subRes writes a subscriber (core:src/Http/Resources/Subscriber.php:11-42).
func (c *c3) subRes(w *jw, x *sub3, incl []string, inc *included3) {
	resource3(w, "subscribers", x.id, func(w *jw) {
		w.kint("id", x.id)
		w.kstr("email", x.email)
		w.kbool("global", x.global)
		w.kbool("verified", x.verifiedAt != nil)
		w.ktime3("verified_at", x.verifiedAt, c.now)
		if slices.Contains(incl, "meta") {
			w.key("meta")
			x.meta.write(w)
		}
		w.ktime3("created", &x.createdAt, c.now)
		w.ktime3("updated", &x.updatedAt, c.now)
	}, func(w *jw) bool {
		if !slices.Contains(incl, "components") || inc == nil {
			return false
		}
		var ids []int
		for _, id := range x.components {
			comp, ok := c.e.v3.st.components.get(id)
			if !ok {
				continue
			}
			ids = append(ids, id)
			inc.add("components", id, func(w *jw) { c.compRes(w, comp, nil, nil) })
		}
		relMany(w, "components", "components", ids)
		return true
	})
}

func (c *c3) bindSub(i int) (*sub3, *r3) {
	return bind3(&c.e.v3.st.subs, c.ids[i], c.keys[i], "Subscriber", nil)
}

func (c *c3) showSubscriber() r3 {
	x, nf := c.bindSub(0)
	if r := c.guarded(nf, "subscribers.manage"); r != nil {
		return *r
	}
	return show3(c, x, x.id, "Subscriber", subSpec3, nil, c.subRes)
}

func (c *c3) validateSub(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("email", "required", "email", "max:255")
	} else {
		v.field("email", "email", "max:255")
	}
	v.field("global", "bool")
	v.field("components", "array")
	if create {
		v.field("verified", "bool")
	}
	v.field("meta", "nullable", "array")
	// Laravel appends the components.* expansions after every plain rule
	// (lf:src/Illuminate/Validation/ValidationRuleParser.php:69-82 at 12.x).
	v.each("components", "", "int", "min:0", "exists:components")
	return v.result()
}

func intsOf(v any) []int {
	list, _ := v.([]any)
	out := make([]int, 0, len(list))
	for _, x := range list {
		if n, ok := existsKey(x); ok {
			out = append(out, n)
		}
	}
	return out
}

// createSubscriber is CreateSubscriber, a firstOrCreate by e-mail
// (core:src/Actions/Subscriber/CreateSubscriber.php:14-27): an existing
// subscriber keeps global and verified, gets the components attached again
// and answers 200.
func (c *c3) createSubscriber() r3 {
	if bad := c.validateSub(true); bad != nil {
		return *bad
	}
	if denied := c.guard("subscribers.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	email := phpString(c.in["email"])
	status := http.StatusOK
	x := st.byEmail[strings.ToLower(email)]
	if x == nil {
		status = http.StatusCreated
		x = &sub3{id: st.subs.alloc(), email: email, global: true, createdAt: c.now, updatedAt: c.now}
		if v, ok := c.in["global"]; ok && v != nil {
			x.global = boolOf(v)
		}
		if boolOf(c.in["verified"]) {
			x.verifiedAt = ptr(c.now)
		}
		st.subs.put(x.id, x)
		st.byEmail[strings.ToLower(email)] = x
	}
	x.components = append(x.components, intsOf(c.in["components"])...)
	if c.in["meta"] != nil {
		x.meta = x.meta.sync(metaIn(c.in))
	}
	// The serializer renders the relationships ?include= names, though no
	// query builder ran; meta is not loaded (syncMeta unsets it).
	incl, _ := c.includes3(subSpec3.includes, false)
	return c.one3(status, func(w *jw, inc *included3) { c.subRes(w, x, without(incl, "meta"), inc) })
}

// updateSubscriber is UpdateSubscriber (core:src/Actions/Subscriber/UpdateSubscriber.php:19-25):
// a new e-mail un-verifies, components are synced ([] clears).
func (c *c3) updateSubscriber() r3 {
	x, nf := c.bindSub(0)
	if nf != nil {
		return *nf
	}
	if bad := c.validateSub(false); bad != nil {
		return *bad
	}
	if denied := c.guard("subscribers.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	// Subscriber::update saves, and so bumps updated_at, only a dirty model
	// (core:src/Actions/Subscriber/UpdateSubscriber.php:14-17). global has no
	// cast (core:src/Models/Subscriber.php:42-44), so the bool the Data class
	// hands over never equals the 0/1 integer read back from the database
	// (lf:src/Illuminate/Database/Eloquent/Concerns/HasAttributes.php:2335-2371
	// at 12.x): a given global is always dirty. Components and meta live in
	// other tables and leave updated_at alone.
	dirty := false
	if email, ok := c.in["email"].(string); ok && email != x.email {
		dirty = true
		if other := st.byEmail[strings.ToLower(email)]; other != nil && other != x {
			return msg3(http.StatusInternalServerError, "Server Error") // the unique index, no rule
		}
		delete(st.byEmail, strings.ToLower(x.email))
		x.email, x.verifiedAt = email, nil
		st.byEmail[strings.ToLower(email)] = x
	}
	if v, ok := c.in["global"]; ok && v != nil {
		x.global, dirty = boolOf(v), true
	}
	if _, ok := c.in["components"].([]any); ok {
		ids := intsOf(c.in["components"])
		synced := make([]int, 0, len(ids))
		for _, id := range ids {
			if !slices.Contains(synced, id) {
				synced = append(synced, id)
			}
		}
		x.components = synced
	}
	if c.in["meta"] != nil {
		x.meta = x.meta.sync(metaIn(c.in))
	}
	if dirty {
		x.updatedAt = c.now
	}
	incl, _ := c.includes3(subSpec3.includes, false)
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.subRes(w, x, without(incl, "meta"), inc) })
}

func (c *c3) deleteSubscriber() r3 {
	x, nf := c.bindSub(0)
	if r := c.guarded(nf, "subscribers.delete"); r != nil {
		return *r
	}
	st := &c.e.v3.st
	st.subs.remove(x.id)
	delete(st.byEmail, strings.ToLower(x.email))
	return r3{status: http.StatusNoContent}
}

// Subscriber3 is a 3.x subscriber as SeedSubscribers3 stores it.
type Subscriber3 struct {
	ID         int // 0 takes the next id
	Email      string
	Global     bool
	Verified   bool
	Components []int
	Meta       map[string]any
}

// SeedSubscribers3 stores subscribers directly (no HTTP, no stats, no
// faults) and returns their ids. It panics in 2.x mode.
func (e *Emulator) SeedSubscribers3(subs ...Subscriber3) []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	now := e.now()
	ids := make([]int, 0, len(subs))
	for _, s := range subs {
		id := s.ID
		if id <= 0 {
			id = st.subs.alloc()
		}
		x := &sub3{id: id, email: s.Email, global: s.Global, components: slices.Clone(s.Components), createdAt: now, updatedAt: now}
		if s.Verified {
			x.verifiedAt = &now
		}
		if s.Meta != nil {
			x.meta = x.meta.sync(s.Meta)
		}
		st.subs.put(x.id, x)
		st.byEmail[strings.ToLower(x.email)] = x
		ids = append(ids, x.id)
	}
	return ids
}

// DeleteSubscriber3 removes the subscriber id directly, as a DELETE would;
// it reports whether it existed.
func (e *Emulator) DeleteSubscriber3(id int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	x, ok := st.subs.get(id)
	if ok {
		st.subs.remove(id)
		delete(st.byEmail, strings.ToLower(x.email))
	}
	return ok
}

// StatusChanges3 returns how many ComponentStatusWasChanged events the 3.x
// emulator fired (each one a component_status_changed webhook).
func (e *Emulator) StatusChanges3() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.v3.st.statusChanges
}

// SeedComponents3 stores n enabled, ungrouped components named
// "Component <id>" directly and returns their ids. It panics in 2.x mode.
func (e *Emulator) SeedComponents3(n int) []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := &e.v3.st
	now := e.now()
	ids := make([]int, 0, n)
	for range n {
		x := &comp3{id: st.components.alloc(), status: 1, enabled: true, createdAt: now, updatedAt: now}
		x.name = "Component " + strconv.Itoa(x.id)
		st.components.put(x.id, x)
		ids = append(ids, x.id)
	}
	return ids
}

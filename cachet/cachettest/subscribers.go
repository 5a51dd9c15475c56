package cachettest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// humanDate formats t like PHP's "l jS F Y H:i:s" (Cachet's default
// incident_date_format), e.g. "Friday 3rd May 2024 00:00:00".
func humanDate(t time.Time) string {
	d := t.Day()
	suffix := "th"
	if d < 11 || d > 13 {
		switch d % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%s %d%s %s %d %s", t.Weekday(), d, suffix, t.Month(), t.Year(), t.Format("15:04:05"))
}

// verifiedAt is the presenter's value: the stored date (cast to midnight),
// or now when the subscriber is not verified.
func (c *call) verifiedAt(s *subscriber) string {
	if s.verifiedAt.IsZero() {
		return humanDate(c.now.In(c.loc))
	}
	y, m, d := s.verifiedAt.Date()
	return humanDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).In(c.loc))
}

// writeSubscriber writes a subscriber; created is the shape of a POST that
// created it (no global, phone_number, slack_webhook_url).
func (c *call) writeSubscriber(w *jw, s *subscriber, created bool) {
	w.obj()
	w.kint("id", s.id)
	w.kstr("email", s.email)
	w.kstr("verify_code", s.verifyCode)
	if !created {
		if !c.e.v23 {
			w.knull("phone_number")
			w.knull("slack_webhook_url")
		}
		w.kbool("global", s.global)
	}
	w.kstr("verified_at", c.verifiedAt(s))
	w.ktime("created_at", s.createdAt, c.loc)
	w.ktime("updated_at", s.updatedAt, c.loc)
	w.key("subscriptions")
	w.arr()
	c.cost.related += len(s.subComp)
	// Subscriptions have no presenter: storage timezone (UTC).
	ts := appendString(nil, s.createdAt.Format(dateTime))
	for i, comp := range s.subComp {
		w.obj()
		w.kint("id", s.subID(i))
		w.kint("subscriber_id", s.id)
		w.kint("component_id", comp)
		w.key("created_at")
		w.raw(ts)
		w.key("updated_at")
		w.raw(ts)
		w.endObj()
	}
	w.endArr()
	w.endObj()
}

func (e *Emulator) listSubscribers(c *call) resp {
	p, bad := list(c, e.st.subscribers.rows, listSpec[subscriber]{})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, s *subscriber) { c.writeSubscriber(w, s, false) })
}

func (e *Emulator) createSubscriber(c *call) resp {
	in := c.in
	if msgs := validate(has(in, "email", "required|email")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	email := phpString(in["email"])
	if s, ok := e.st.byEmail[strings.ToLower(email)]; ok {
		return dataResp(func(w *jw) { c.writeSubscriber(w, s, false) })
	}
	// SubscribeSubscriberCommandHandler.php:47-51 (2.4): a truthy components
	// goes to whereIn('id', ...), whose array_filter fails on a scalar
	// (a PHP warning, a 500); a falsy one subscribes to every component.
	var ids []int
	switch list := in["components"].(type) {
	case []any:
		for _, v := range list {
			ids = append(ids, phpInt(v))
		}
	case map[string]any:
		for _, v := range list {
			ids = append(ids, phpInt(v))
		}
	default:
		if phpBool(list) {
			return errResp(http.StatusInternalServerError, "")
		}
	}
	s := e.newSubscriber(email, ids, phpBool(in["verify"]), c.now)
	return dataResp(func(w *jw) { c.writeSubscriber(w, s, true) })
}

// newSubscriber stores a subscriber subscribed to ids (every live component
// when empty; unknown ids skipped).
func (e *Emulator) newSubscriber(email string, ids []int, verify bool, now time.Time) *subscriber {
	s := &subscriber{
		id:         e.st.subscribers.alloc(),
		email:      email,
		verifyCode: e.randomString(42),
		global:     true,
		createdAt:  now,
		updatedAt:  now,
	}
	if verify {
		s.verifiedAt = now
	}
	var comps []int
	if len(ids) == 0 {
		comps = e.st.allComponentIDs()
	} else {
		for _, id := range ids {
			if _, ok := e.st.components.get(id); ok {
				comps = append(comps, id)
			}
		}
		slices.Sort(comps)
		comps = slices.Compact(comps)
	}
	e.st.addSubscriber(s, comps)
	return s
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString is Str::random; the caller holds the write lock.
func (e *Emulator) randomString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[e.rnd.IntN(len(alnum))]
	}
	return string(b)
}

func (e *Emulator) deleteSubscriber(c *call) resp {
	s, _ := e.st.subscribers.get(c.ids[0])
	delete(e.st.byEmail, strings.ToLower(s.email))
	e.st.subscribers.remove(s.id)
	return resp{status: http.StatusNoContent}
}

func (e *Emulator) deleteSubscription(c *call) resp {
	s, i, _ := e.st.findSubscription(c.ids[0])
	s.removeSub(i)
	return resp{status: http.StatusNoContent}
}

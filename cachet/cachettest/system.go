package cachettest

import (
	"net/http"
	"strconv"
	"time"
)

func (e *Emulator) ping(c *call) resp {
	return dataResp(func(w *jw) { w.str("Pong!") })
}

// version answers as Cachet does when GitHub says v2.4.1 is the latest
// release (the emulator never calls GitHub). on_latest is
// version_compare(CACHET_VERSION, $latest['tag_name']) === 1
// (app/Http/Controllers/Api/GeneralController.php:44, 2.4 and v2.3.18),
// and PHP ranks the "v" of "v2.4.1" below any number, so it is true.
func (e *Emulator) version(c *call) resp {
	v := "2.4.1"
	if e.v23 {
		v = "2.3.18"
	}
	w := &jw{}
	w.obj()
	w.key("meta")
	w.obj()
	w.kbool("on_latest", true)
	w.key("latest")
	w.obj()
	w.kstr("tag_name", "v2.4.1")
	w.kbool("prelease", false)
	w.kbool("draft", false)
	w.endObj()
	w.endObj()
	w.kstr("data", v)
	w.endObj()
	return resp{status: http.StatusOK, body: w.b}
}

// status is System::getStatus (app/Integrations/Core/System.php:61-105,
// 2.4): the enabled components a guest may see (Component::authenticated:
// not in a group with visible = 0, app/Models/Component.php:189-196; with a
// token every enabled component), the share of major outages, then the
// unresolved incidents. v2.3.18 (System.php) counts every enabled component
// and is satisfied when the newest incident that is not a future
// maintenance has status 4.
func (e *Emulator) status(c *call) resp {
	total, major, notOK := 0, 0, 0
	for _, comp := range e.st.components.rows {
		if !comp.enabled {
			continue
		}
		if !e.v23 && !c.authed {
			if g, ok := e.st.groups.get(comp.groupID); ok && g.visible == 0 {
				continue
			}
		}
		total++
		if comp.status == 4 {
			major++
		}
		if comp.status != 1 {
			notOK++
		}
	}
	plural := func(one, many string) string {
		if total <= 1 {
			return one
		}
		return many
	}
	st := "info"
	msg := plural("The system is experiencing issues", "Some systems are experiencing issues")
	switch {
	case total > 0 && float64(major)/float64(total) >= 0.5:
		st = "danger"
		msg = plural("The system is experiencing major issues", "Some systems are experiencing major issues")
	case notOK == 0 && e.incidentsSettled(c.now):
		st = "success"
		msg = plural("System operational", "All systems are operational")
	}
	r := dataResp(func(w *jw) {
		w.obj()
		w.kstr("status", st)
		w.kstr("message", msg)
		w.endObj()
	})
	if !e.v23 {
		// Cachet's bug: an absolute timestamp used as max-age.
		r.header = http.Header{"Cache-Control": {"max-age=" + strconv.FormatInt(c.now.Unix()+30, 10) + ", public"}}
	}
	return r
}

// incidentsSettled is the incident half of the "success" status: 2.4 wants
// every incident that is not status 4 resolved by its latest update; 2.3
// looks at the newest (by created_at) incident with a status above 0 that
// is not a future maintenance (Incident::notScheduled) and wants it fixed.
func (e *Emulator) incidentsSettled(now time.Time) bool {
	if !e.v23 {
		for _, inc := range e.st.incidents.rows {
			if inc.status != 4 && !inc.resolved() {
				return false
			}
		}
		return true
	}
	var newest *incident
	for _, inc := range e.st.incidents.rows {
		if inc.status <= 0 {
			continue
		}
		if newest == nil || !inc.createdAt.Before(newest.createdAt) {
			newest = inc
		}
	}
	return newest == nil || newest.status == 4
}

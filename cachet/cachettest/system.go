package cachettest

import (
	"net/http"
	"strconv"
)

func (e *Emulator) ping(c *call) resp {
	return dataResp(func(w *jw) { w.str("Pong!") })
}

// version answers as Cachet does when GitHub says v2.4.1 is the latest
// release (the emulator never calls GitHub).
func (e *Emulator) version(c *call) resp {
	v := "2.4.1"
	if e.v23 {
		v = "2.3.18"
	}
	w := &jw{}
	w.obj()
	w.key("meta")
	w.obj()
	w.kbool("on_latest", false)
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

// status is SystemStatus::getStatus over the enabled components and the
// unresolved incidents.
func (e *Emulator) status(c *call) resp {
	total, major, notOK := 0, 0, 0
	for _, comp := range e.st.components.rows {
		if !comp.enabled {
			continue
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
	case notOK == 0:
		unresolved := 0
		for _, inc := range e.st.incidents.rows {
			if inc.status != 4 && !inc.resolved() {
				unresolved++
			}
		}
		if unresolved == 0 {
			st = "success"
			msg = plural("System operational", "All systems are operational")
		}
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

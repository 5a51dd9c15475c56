package cachettest

import (
	"net/http"
	"time"
)

var scheduleStatusNames = []string{"Upcoming", "In Progress", "Complete"}

func (c *call) writeSchedule(w *jw, s *schedule) {
	w.obj()
	w.kint("id", s.id)
	w.kstr("name", s.name)
	w.kstr("message", s.message)
	w.kint("status", s.status)
	w.ktime("scheduled_at", s.scheduledAt, c.loc)
	// Cachet's presenter shows now when completed_at is null.
	w.ktime("completed_at", orNow(s.completedAt, c.now), c.loc)
	w.ktime("created_at", s.createdAt, c.loc)
	w.ktime("updated_at", s.updatedAt, c.loc)
	w.knull("deleted_at")
	w.key("human_status")
	if s.status >= 0 && s.status < len(scheduleStatusNames) {
		w.str(scheduleStatusNames[s.status])
	} else {
		w.null()
	}
	// components is validated but never stored by the API.
	w.key("components")
	w.arr()
	w.endArr()
	w.endObj()
}

func scheduleColumn(s *schedule, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(s.id), true
	case "name":
		return strCell(s.name), true
	case "status":
		return numCell(s.status), true
	case "scheduled_at":
		return strCell(s.scheduledAt.Format(dateTime)), true
	case "completed_at":
		return strCell(s.completedAt.Format(dateTime)), true
	case "created_at":
		return strCell(s.createdAt.Format(dateTime)), true
	case "updated_at":
		return strCell(s.updatedAt.Format(dateTime)), true
	}
	return cell{}, false
}

func (e *Emulator) listSchedules(c *call) resp {
	p, bad := list(c, e.st.schedules.rows, listSpec[schedule]{
		column:   scheduleColumn,
		sortable: []string{"id", "name", "status", "scheduled_at", "completed_at", "created_at", "updated_at"},
	})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, s *schedule) { c.writeSchedule(w, s) })
}

func (e *Emulator) getSchedule(c *call) resp {
	s, _ := e.st.schedules.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeSchedule(w, s) })
}

// carbonError is the message Carbon's createFromFormat gives for a date
// that does not match "Y-m-d H:i".
const carbonError = "Unexpected data found."

func (e *Emulator) createSchedule(c *call) resp {
	in := c.in
	if msgs := validate(
		has(in, "name", "required|string"),
		has(c.raw, "message", "nullable|string"),
		has(in, "status", "required|int|min:0|max:2"),
		has(in, "scheduled_at", "required|string"),
		has(in, "completed_at", "nullable|string"),
		has(in, "components", "nullable|array"),
		has(in, "notify", "nullable|bool"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	s := &schedule{
		name:      phpString(in["name"]),
		message:   phpString(c.raw["message"]),
		status:    phpInt(in["status"]),
		createdAt: c.now,
		updatedAt: c.now,
	}
	t, ok := parseMinute(in["scheduled_at"], c.loc)
	if !ok {
		return validationErr([]string{carbonError})
	}
	s.scheduledAt = t
	if v := phpString(in["completed_at"]); v != "" {
		t, ok := parseMinute(v, c.loc)
		if !ok {
			return validationErr([]string{carbonError})
		}
		s.completedAt = t
	}
	s.id = e.st.schedules.alloc()
	e.st.schedules.put(s.id, s)
	return dataResp(func(w *jw) { c.writeSchedule(w, s) })
}

func (e *Emulator) updateSchedule(c *call) resp {
	s, _ := e.st.schedules.get(c.ids[0])
	in := c.in
	if msgs := validate(
		has(in, "name", "nullable|string"),
		has(in, "message", "nullable|string"),
		has(in, "status", "nullable|int|min:0|max:2"),
		has(in, "scheduled_at", "nullable|string"),
		has(in, "completed_at", "nullable|string"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	next := *s
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["message"]; ok && v != nil {
		next.message = phpString(v)
	}
	if v, ok := in["status"]; ok && v != nil {
		next.status = phpInt(v)
	}
	for key, dst := range map[string]*time.Time{"scheduled_at": &next.scheduledAt, "completed_at": &next.completedAt} {
		if v := phpString(in[key]); v != "" {
			t, ok := parseMinute(v, c.loc)
			if !ok {
				return errResp(http.StatusInternalServerError, "") // uncaught on PUT
			}
			*dst = t
		}
	}
	next.updatedAt = c.now
	*s = next
	return dataResp(func(w *jw) { c.writeSchedule(w, s) })
}

func (e *Emulator) deleteSchedule(c *call) resp {
	e.st.schedules.remove(c.ids[0])
	return resp{status: http.StatusNoContent}
}

package cachettest

import (
	"net/http"
	"time"
)

var scheduleStatusNames = []string{"Upcoming", "In Progress", "Complete"}

// writeSchedule writes a schedule as SchedulePresenter::toArray does
// (app/Presenters/SchedulePresenter.php:251-260, 2.4). A POST answer holds
// only the attributes the model was given: no deleted_at, no components
// (eager-loaded only by queries, app/Models/Schedule.php:134), and no
// message when none was sent (CreateScheduleCommandHandler.php:101-103
// drops null and "" before the insert).
func (c *call) writeSchedule(w *jw, s *schedule, created bool) {
	w.obj()
	w.kint("id", s.id)
	w.kstr("name", s.name)
	switch {
	case !s.messageNull:
		w.kstr("message", s.message)
	case !created:
		w.knull("message") // the string cast keeps null
	}
	w.kint("status", s.status)
	w.ktime("scheduled_at", s.scheduledAt, c.loc)
	// Cachet's presenter shows now when completed_at is null.
	w.ktime("completed_at", orNow(s.completedAt, c.now), c.loc)
	w.ktime("created_at", s.createdAt, c.loc)
	w.ktime("updated_at", s.updatedAt, c.loc)
	if !created {
		w.knull("deleted_at")
	}
	w.key("human_status")
	if s.status >= 0 && s.status < len(scheduleStatusNames) {
		w.str(scheduleStatusNames[s.status])
	} else {
		w.null()
	}
	if !created {
		// components is validated but never stored by the API.
		w.key("components")
		w.arr()
		w.endArr()
	}
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
	return writeList(c, p, func(w *jw, s *schedule) { c.writeSchedule(w, s, false) })
}

func (e *Emulator) getSchedule(c *call) resp {
	s, _ := e.st.schedules.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeSchedule(w, s, false) })
}

// createSchedule is ScheduleController::store (app/Http/Controllers/Api/
// ScheduleController.php:67-84, 2.4) and CreateScheduleCommandHandler
// (:65-106): a date Carbon cannot read becomes a validation error whose one
// detail is Carbon's message (:70-72); message is read raw.
func (e *Emulator) createSchedule(c *call) resp {
	in := c.in
	message, hasMessage := c.raw["message"]
	if msgs := validate(
		has(in, "name", "required|string"),
		field{name: "message", value: message, present: hasMessage, rules: "nullable|string"},
		has(in, "status", "required|int|min:0|max:2"),
		has(in, "scheduled_at", "required|string"),
		has(in, "completed_at", "nullable|string"),
		has(in, "components", "nullable|array"),
		has(in, "notify", "nullable|bool"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	s := &schedule{
		name:        phpString(in["name"]),
		message:     phpString(message),
		messageNull: message == nil || phpString(message) == "",
		status:      phpInt(in["status"]),
		createdAt:   c.now,
		updatedAt:   c.now,
	}
	t, msg := parseMinute(in["scheduled_at"], c.loc)
	if msg != "" {
		return validationErr([]string{msg})
	}
	s.scheduledAt = t
	if v := in["completed_at"]; phpBool(v) {
		t, msg := parseMinute(v, c.loc)
		if msg != "" {
			return validationErr([]string{msg})
		}
		s.completedAt = t
	}
	s.id = e.st.schedules.alloc()
	e.st.schedules.put(s.id, s)
	return dataResp(func(w *jw) { c.writeSchedule(w, s, true) })
}

// updateSchedule is UpdateScheduleCommandHandler (:62-101): null values are
// kept, dates are parsed outside any try (a bad one is a 500), then
// Schedule::$rules (app/Models/Schedule.php:97-101) on save; updated_at
// moves only when a column changed.
func (e *Emulator) updateSchedule(c *call) resp {
	s, _ := e.st.schedules.get(c.ids[0])
	in := c.in
	if badArrayArg(in, "components") { // UpdateScheduleCommand.php:100: array $components
		return errResp(http.StatusInternalServerError, "")
	}
	if msgs := validate(
		has(in, "name", "nullable|string"),
		has(in, "message", "nullable|string"),
		has(in, "status", "nullable|int|min:0|max:2"),
		has(in, "scheduled_at", "nullable|string"),
		has(in, "completed_at", "nullable|string"),
		has(in, "components", "nullable|array"),
	); len(msgs) > 0 {
		return validationErr(msgs)
	}
	next := *s
	if v, ok := in["name"]; ok && v != nil {
		next.name = phpString(v)
	}
	if v, ok := in["message"]; ok && v != nil {
		next.message, next.messageNull = phpString(v), false
	}
	if v, ok := in["status"]; ok && v != nil {
		next.status = phpInt(v)
	}
	for _, d := range []struct {
		key string
		dst *time.Time
	}{{"scheduled_at", &next.scheduledAt}, {"completed_at", &next.completedAt}} {
		if v := in[d.key]; phpBool(v) {
			t, msg := parseMinute(v, c.loc)
			if msg != "" {
				return errResp(http.StatusInternalServerError, "") // uncaught on PUT
			}
			*d.dst = t
		}
	}
	if msgs := validate(val("name", next.name, "required|string")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if next != *s {
		next.updatedAt = c.now
	}
	*s = next
	return dataResp(func(w *jw) { c.writeSchedule(w, s, false) })
}

func (e *Emulator) deleteSchedule(c *call) resp {
	e.st.schedules.remove(c.ids[0])
	return resp{status: http.StatusNoContent}
}

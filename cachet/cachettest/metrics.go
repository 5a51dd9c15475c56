package cachettest

import (
	"net/http"
	"slices"
	"time"
)

var metricViewNames = []string{"Last Hour", "Today", "Week", "Month"}

func (c *call) writeMetric(w *jw, m *metric) {
	w.obj()
	w.kint("id", m.id)
	w.kstr("name", m.name)
	w.kstr("suffix", m.suffix)
	w.kstr("description", m.description)
	w.kint("default_value", m.defaultValue)
	w.kint("calc_type", m.calcType)
	w.kbool("display_chart", m.displayChart)
	w.kint("places", m.places)
	w.kint("default_view", m.defaultView)
	w.kint("threshold", m.threshold)
	w.kint("order", m.order)
	w.kint("visible", m.visible)
	w.ktime("created_at", m.createdAt, c.loc)
	w.ktime("updated_at", m.updatedAt, c.loc)
	w.key("default_view_name")
	if m.defaultView >= 0 && m.defaultView < len(metricViewNames) {
		w.str(metricViewNames[m.defaultView])
	} else {
		w.null()
	}
	w.endObj()
}

func metricColumn(m *metric, key string) (cell, bool) {
	switch key {
	case "id":
		return numCell(m.id), true
	case "name":
		return strCell(m.name), true
	case "display_chart":
		return boolCell(m.displayChart), true
	case "default_value":
		return numCell(m.defaultValue), true
	case "calc_type":
		return numCell(m.calcType), true
	case "order":
		return numCell(m.order), true
	case "visible":
		return numCell(m.visible), true
	}
	return cell{}, false
}

func (e *Emulator) listMetrics(c *call) resp {
	p, bad := list(c, e.st.metrics.rows, listSpec[metric]{
		column:   metricColumn,
		sortable: []string{"id", "name", "display_chart", "default_value", "calc_type", "order", "visible"},
	})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, m *metric) { c.writeMetric(w, m) })
}

func (e *Emulator) getMetric(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	return dataResp(func(w *jw) { c.writeMetric(w, m) })
}

// metricFields are the rules of the metric commands; def supplies the
// controller defaults (create) or nil (update: everything nullable).
func metricFields(in map[string]any, create bool) ([]field, map[string]any) {
	v := map[string]any{}
	get := func(k string, def any) {
		if create {
			v[k] = orDefault(in, k, def)
		} else {
			v[k] = in[k]
		}
	}
	get("name", nil)
	get("suffix", nil)
	get("description", nil)
	get("default_value", nil)
	get("calc_type", 0)
	get("display_chart", true)
	get("places", 2)
	get("default_view", orDefault(in, "view", 1))
	if !create && v["default_view"] == nil {
		v["default_view"] = in["view"]
	}
	get("threshold", 5)
	get("order", 0)
	get("visible", 1)
	req := "required|"
	if !create {
		req = "nullable|"
	}
	return []field{
		val("name", v["name"], req+"string"),
		val("suffix", v["suffix"], req+"string"),
		val("description", v["description"], "nullable|string"),
		val("default_value", v["default_value"], req+"int"),
		val("calc_type", v["calc_type"], req+"int"),
		val("display_chart", v["display_chart"], "nullable|int"),
		val("places", v["places"], "nullable|int|between:0,4"),
		val("default_view", v["default_view"], req+"int|between:0,3"),
		val("threshold", v["threshold"], "nullable|numeric"),
		val("order", v["order"], "nullable|int"),
		val("visible", v["visible"], req+"int|between:0,2"),
	}, v
}

func applyMetric(m *metric, v map[string]any) {
	set := func(k string, f func(any)) {
		if x := v[k]; x != nil {
			f(x)
		}
	}
	set("name", func(x any) { m.name = phpString(x) })
	set("suffix", func(x any) { m.suffix = phpString(x) })
	set("description", func(x any) { m.description = phpString(x) })
	set("default_value", func(x any) { m.defaultValue = phpInt(x) })
	set("calc_type", func(x any) { m.calcType = phpInt(x) })
	set("display_chart", func(x any) { m.displayChart = phpBool(x) })
	set("places", func(x any) { m.places = phpInt(x) })
	set("default_view", func(x any) { m.defaultView = phpInt(x) })
	set("threshold", func(x any) { m.threshold = phpInt(x) })
	set("order", func(x any) { m.order = phpInt(x) })
	set("visible", func(x any) { m.visible = phpInt(x) })
}

// validThreshold is Metric::validate(): the threshold must divide 60.
func validThreshold(t int) bool { return t > 0 && 60%t == 0 }

func (e *Emulator) createMetric(c *call) resp {
	fields, v := metricFields(c.in, true)
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	m := &metric{createdAt: c.now, updatedAt: c.now}
	applyMetric(m, v)
	if !validThreshold(m.threshold) {
		return errResp(http.StatusBadRequest, "")
	}
	m.id = e.st.metrics.alloc()
	e.st.metrics.put(m.id, m)
	return dataResp(func(w *jw) { c.writeMetric(w, m) })
}

func (e *Emulator) updateMetric(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	fields, v := metricFields(c.in, false)
	if msgs := validate(fields...); len(msgs) > 0 {
		return validationErr(msgs)
	}
	next := *m
	applyMetric(&next, v)
	if !validThreshold(next.threshold) {
		return errResp(http.StatusBadRequest, "")
	}
	next.updatedAt = c.now
	*m = next
	return dataResp(func(w *jw) { c.writeMetric(w, m) })
}

func (e *Emulator) deleteMetric(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	for _, p := range m.points {
		e.st.points.remove(p.id)
	}
	e.st.metrics.remove(m.id)
	return resp{status: http.StatusNoContent}
}

// Metric points.

func (c *call) writePoint(w *jw, p *metricPoint) {
	w.obj()
	w.kint("id", p.id)
	w.kint("metric_id", p.metricID)
	w.key("value")
	w.float(p.value)
	w.kint("counter", p.counter)
	w.ktime("created_at", p.createdAt, c.loc)
	w.ktime("updated_at", p.updatedAt, c.loc)
	w.key("calculated_value")
	w.float(p.value * float64(p.counter))
	w.endObj()
}

// pointsLatestFirst orders points by created_at DESC (then id DESC).
func pointsLatestFirst(ps []*metricPoint) []*metricPoint {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b *metricPoint) int {
		if c := b.createdAt.Compare(a.createdAt); c != 0 {
			return c
		}
		return b.id - a.id
	})
	return out
}

func (e *Emulator) listPoints(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	p, bad := list(c, pointsLatestFirst(m.points), listSpec[metricPoint]{})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, pt *metricPoint) { c.writePoint(w, pt) })
}

// pointTime is the point's created_at: the Unix timestamp given (or now),
// rounded down to 30 seconds.
func pointTime(v any, now time.Time) time.Time {
	ts := now.Unix()
	if v != nil && phpString(v) != "" {
		ts = int64(phpInt(v))
	}
	return time.Unix(ts-ts%30, 0).UTC()
}

// createPoint stores a point. De-duplication is simplified from Cachet's: a
// point of the same metric with the same value whose created_at lies within
// threshold-1 minutes before the new point's time is incremented (counter+1)
// and returned instead of a new point.
func (e *Emulator) createPoint(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	in := c.in
	if msgs := validate(has(in, "value", "required|numeric"), has(in, "timestamp", "nullable|numeric")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	value := phpFloat(in["value"])
	at := pointTime(in["timestamp"], c.now)
	window := at.Add(-time.Duration(max(m.threshold-1, 0)) * time.Minute)
	for _, p := range m.points {
		if p.value == value && !p.createdAt.Before(window) && !p.createdAt.After(at) {
			p.counter++
			p.updatedAt = c.now
			return dataResp(func(w *jw) { c.writePoint(w, p) })
		}
	}
	p := &metricPoint{id: e.st.points.alloc(), metricID: m.id, value: value, counter: 1, createdAt: at, updatedAt: c.now}
	e.st.points.put(p.id, p)
	m.points = append(m.points, p)
	return dataResp(func(w *jw) { c.writePoint(w, p) })
}

func (e *Emulator) updatePoint(c *call) resp {
	p, _ := e.st.points.get(c.ids[1])
	in := c.in
	if msgs := validate(has(in, "value", "nullable|numeric"), has(in, "timestamp", "nullable|numeric")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	if v, ok := in["value"]; ok && v != nil {
		p.value = phpFloat(v)
	}
	if v, ok := in["timestamp"]; ok && v != nil {
		p.createdAt = pointTime(v, c.now)
	}
	p.updatedAt = c.now
	return dataResp(func(w *jw) { c.writePoint(w, p) })
}

func (e *Emulator) deletePoint(c *call) resp {
	p, _ := e.st.points.get(c.ids[1])
	e.st.points.remove(p.id)
	if m, ok := e.st.metrics.get(p.metricID); ok {
		m.points = slices.DeleteFunc(m.points, func(x *metricPoint) bool { return x == p })
	}
	return resp{status: http.StatusNoContent}
}

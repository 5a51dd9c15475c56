package cachettest

import (
	"math"
	"net/http"
	"slices"
	"time"
)

// metricViewNames are cachet.metrics.filter.* of MetricPresenter's
// default_view_name (app/Presenters/MetricPresenter.php:43-61,
// resources/lang/en/cachet.php:70-75).
var metricViewNames = []string{"Last Hour", "Last 12 Hours", "Week", "Month"}

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
	if !c.e.v23 { // app/Models/Metric.php (v2.3.18) has no visible column
		w.kint("visible", m.visible)
	}
	w.ktime("created_at", m.createdAt, c.loc)
	w.ktime("updated_at", m.updatedAt, c.loc)
	w.key("default_view_name")
	if m.defaultView >= 0 && m.defaultView < len(metricViewNames) {
		w.str(metricViewNames[m.defaultView])
	} else {
		w.str("cachet.metrics.filter.")
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

// metricKeys are the metric columns the API writes, in the commands' order.
var metricKeys = []string{"name", "suffix", "description", "default_value", "calc_type", "display_chart",
	"places", "default_view", "threshold", "order", "visible"}

// metricInput reads the command's values as MetricController does: on
// create with the controller's defaults (app/Http/Controllers/Api/
// MetricController.php:65-77, 2.4; v2.3.18 :79-90 has no visible), on update
// without (:95-108). A key sent as null stays null. default_view falls back
// to view.
func (e *Emulator) metricInput(in map[string]any, create bool) map[string]any {
	defaults := map[string]any{"calc_type": 0, "display_chart": true, "places": 2, "threshold": 5, "order": 0, "visible": 1}
	v := map[string]any{}
	for _, k := range metricKeys {
		if e.v23 && k == "visible" {
			continue
		}
		x, ok := in[k]
		if !ok && create {
			x = defaults[k]
		}
		v[k] = x
	}
	if _, ok := in["default_view"]; !ok {
		view, ok := in["view"]
		if !ok && create {
			view = 1
		}
		v["default_view"] = view
	}
	return v
}

// metricCommandRules are CreateMetricCommand::$rules
// (app/Bus/Commands/Metric/CreateMetricCommand.php:104-116, 2.4) and
// UpdateMetricCommand::$rules (UpdateMetricCommand.php:107-119).
func metricCommandRules(v map[string]any, create bool) []field {
	if create {
		return []field{
			val("name", v["name"], "required|string"),
			val("suffix", v["suffix"], "required|string"),
			val("description", v["description"], "nullable|string"),
			val("default_value", v["default_value"], "required|int"),
			val("calc_type", v["calc_type"], "required|int"),
			val("display_chart", v["display_chart"], "nullable|int"),
			val("places", v["places"], "nullable|int|between:0,4"),
			val("default_view", v["default_view"], "required|int|between:0,3"),
			val("threshold", v["threshold"], "required|int"),
			val("order", v["order"], "nullable|int"),
			val("visible", v["visible"], "required|int|between:0,2"),
		}
	}
	return []field{
		val("name", v["name"], "nullable|string"),
		val("suffix", v["suffix"], "nullable|string"),
		val("description", v["description"], "nullable|string"),
		val("default_value", v["default_value"], "nullable|numeric"),
		val("calc_type", v["calc_type"], "nullable|int|in:0,1"),
		val("display_chart", v["display_chart"], "nullable|int"),
		val("places", v["places"], "nullable|numeric|between:0,4"),
		val("default_view", v["default_view"], "nullable|numeric|between:0,4"),
		val("threshold", v["threshold"], "nullable|int"),
		val("order", v["order"], "nullable|int"),
		val("visible", v["visible"], "nullable|int|between:0,2"),
	}
}

// metricModelRules are Metric::$rules checked on save against the raw
// attributes: app/Models/Metric.php:123-131 (2.4); v2.3.18
// app/Models/Metric.php:94-103 has none of them required (Laravel 5.2 skips
// the other rules of an empty value) and threshold "int".
func (e *Emulator) metricModelRules(a map[string]any) []field {
	if e.v23 {
		return []field{
			val("name", a["name"], "required"),
			val("suffix", a["suffix"], "required"),
			val("display_chart", a["display_chart"], "nullable|bool"),
			val("default_value", a["default_value"], "nullable|numeric"),
			val("places", a["places"], "nullable|numeric|between:0,4"),
			val("default_view", a["default_view"], "nullable|numeric|between:0,3"),
			val("threshold", a["threshold"], "nullable|int"),
		}
	}
	return []field{
		val("name", a["name"], "required"),
		val("suffix", a["suffix"], "required"),
		val("display_chart", a["display_chart"], "required|bool"),
		val("default_value", a["default_value"], "required|numeric"),
		val("places", a["places"], "required|numeric|between:0,4"),
		val("default_view", a["default_view"], "required|numeric|between:0,3"),
		val("visible", a["visible"], "required|numeric|between:0,2"),
	}
}

// metricAttributes are a stored metric's raw attributes.
func metricAttributes(m *metric) map[string]any {
	return map[string]any{
		"name": m.name, "suffix": m.suffix, "description": m.description, "default_value": m.defaultValue,
		"calc_type": m.calcType, "display_chart": m.displayChart, "places": m.places, "default_view": m.defaultView,
		"threshold": m.threshold, "order": m.order, "visible": m.visible,
	}
}

// saveMetric runs the model's checks on save and stores the attributes in
// m: the $rules, then Metric::validate() (2.4, app/Models/Metric.php:214-225:
// the threshold must divide 60; a threshold of 0 is PHP's DivisionByZero,
// a 500), then the NOT NULL columns (a null reaching the INSERT is a
// QueryException, which the controller turns into a generic 400,
// MetricController.php:78-80).
func (e *Emulator) saveMetric(m *metric, attrs map[string]any) *resp {
	if msgs := validate(e.metricModelRules(attrs)...); len(msgs) > 0 {
		r := validationErr(msgs)
		return &r
	}
	threshold := phpInt(attrs["threshold"])
	if !e.v23 && attrs["threshold"] != nil {
		if threshold == 0 {
			r := errResp(http.StatusInternalServerError, "")
			return &r
		}
		if 60%threshold != 0 {
			r := validationErr([]string{"Threshold must divide by 60."})
			return &r
		}
	}
	for _, k := range metricKeys {
		if x, ok := attrs[k]; ok && x == nil {
			r := errResp(http.StatusBadRequest, "")
			return &r
		}
	}
	set := func(k string, f func(any)) {
		if x, ok := attrs[k]; ok {
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
	set("threshold", func(x any) { m.threshold = threshold })
	set("order", func(x any) { m.order = phpInt(x) })
	set("visible", func(x any) { m.visible = phpInt(x) })
	return nil
}

// createMetric is MetricController::store: the command's rules (2.4 only;
// 2.3 does not enforce command rules), then Metric::create with every
// column the command carries (CreateMetricCommandHandler.php:49-61).
func (e *Emulator) createMetric(c *call) resp {
	v := e.metricInput(c.in, true)
	if !e.v23 {
		if msgs := validate(metricCommandRules(v, true)...); len(msgs) > 0 {
			return validationErr(msgs)
		}
	}
	// Metric::$attributes defaults, then the command's values.
	m := &metric{displayChart: true, places: 2, defaultView: 1, threshold: 5, visible: 1, createdAt: c.now, updatedAt: c.now}
	if bad := e.saveMetric(m, v); bad != nil {
		return *bad
	}
	m.id = e.st.metrics.alloc()
	e.st.metrics.put(m.id, m)
	return dataResp(func(w *jw) { c.writeMetric(w, m) })
}

// updateMetric is MetricController::update: the command's rules (2.4), the
// non-null values filled in (UpdateMetricCommandHandler.php:65-84), the
// model's checks on save; updated_at moves only when a column changed.
func (e *Emulator) updateMetric(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	v := e.metricInput(c.in, false)
	if !e.v23 {
		if msgs := validate(metricCommandRules(v, false)...); len(msgs) > 0 {
			return validationErr(msgs)
		}
	}
	attrs := metricAttributes(m)
	for k, x := range v {
		if x != nil {
			attrs[k] = x
		}
	}
	next := *m
	if bad := e.saveMetric(&next, attrs); bad != nil {
		return *bad
	}
	if !metricColumnsEqual(m, &next) {
		next.updatedAt = c.now
	}
	*m = next
	return dataResp(func(w *jw) { c.writeMetric(w, m) })
}

func metricColumnsEqual(a, b *metric) bool {
	return a.name == b.name && a.suffix == b.suffix && a.description == b.description && a.defaultValue == b.defaultValue &&
		a.calcType == b.calcType && a.displayChart == b.displayChart && a.places == b.places && a.defaultView == b.defaultView &&
		a.threshold == b.threshold && a.order == b.order && a.visible == b.visible
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

// writePoint writes a point as MetricPointPresenter does. shown is the value
// the in-memory model holds: on a POST or PUT answer the value as sent, not
// yet rounded by the decimal(15,3) column (2016_02_18_085210_
// AlterTableMetricPointsChangeValueColumn.php:26).
func (c *call) writePoint(w *jw, p *metricPoint, shown float64) {
	w.obj()
	w.kint("id", p.id)
	w.kint("metric_id", p.metricID)
	w.key("value")
	w.float(shown)
	w.kint("counter", p.counter)
	w.ktime("created_at", p.createdAt, c.loc)
	w.ktime("updated_at", p.updatedAt, c.loc)
	w.key("calculated_value")
	w.float(shown * float64(p.counter))
	w.endObj()
}

// pointsLatestFirst orders points by created_at DESC (then id DESC), the
// order of Metric::points() in 2.4 (app/Models/Metric.php:168-171).
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
	rows := m.points // v2.3.18 Metric::points() has no order: id ascending
	if !e.v23 {
		rows = pointsLatestFirst(m.points)
	}
	p, bad := list(c, rows, listSpec[metricPoint]{})
	if bad != nil {
		return *bad
	}
	return writeList(c, p, func(w *jw, pt *metricPoint) { c.writePoint(w, pt, pt.value) })
}

// decimal3 is a value as a decimal(15,3) column stores it.
func decimal3(f float64) float64 { return math.Round(f*1000) / 1000 }

// pointTime is a point's created_at: the Unix timestamp given (a falsy one
// means now), rounded to the nearest 30 seconds by MetricPoint's mutator in
// 2.4 (app/Models/MetricPoint.php:110-128; it also rounds the "now" Eloquent
// sets) and kept exactly in 2.3. ok is false when Carbon cannot read the
// timestamp (createFromFormat('U') throws: a 500).
func (e *Emulator) pointTime(v any, now time.Time) (time.Time, bool) {
	ts := now.Unix()
	if phpBool(v) {
		n, ok := parseUnix(v)
		if !ok {
			return time.Time{}, false
		}
		ts = n
	}
	if !e.v23 {
		ts = roundHalf30(ts)
	}
	return time.Unix(ts, 0).UTC(), true
}

// createPoint is CreateMetricPointCommandHandler::findOrCreatePoint
// (app/Bus/Handlers/Commands/Metric/CreateMetricPointCommandHandler.php:
// 80-99, 2.4): the first point of the metric with the same value created at
// or after the start of the minute threshold-1 minutes before now (2.3:
// threshold minutes before now, AddMetricPointCommandHandler.php:65) gets
// its counter incremented and is returned; otherwise a new point.
func (e *Emulator) createPoint(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	in := c.in
	if !e.v23 {
		// CreateMetricPointCommand.php:50-53: timestamp is the command's created_at.
		if msgs := validate(has(in, "value", "required|numeric"), val("created_at", in["timestamp"], "nullable|int")); len(msgs) > 0 {
			return validationErr(msgs)
		}
	}
	var window time.Time
	if e.v23 {
		window = c.now.Add(-time.Duration(m.threshold) * time.Minute)
	} else {
		window = c.now.Add(-time.Duration(m.threshold-1) * time.Minute).Truncate(time.Minute)
	}
	if isNumeric(in["value"]) {
		want := phpFloat(in["value"])
		for _, p := range m.points {
			if p.value == want && !p.createdAt.Before(window) {
				shown := p.updatedAt
				p.counter++
				p.updatedAt = c.now
				// increment() writes updated_at in SQL only: the answer
				// still shows the old one.
				return dataResp(func(w *jw) {
					saved := p.updatedAt
					p.updatedAt = shown
					c.writePoint(w, p, p.value)
					p.updatedAt = saved
				})
			}
		}
	}
	// MetricPoint::$rules (app/Models/MetricPoint.php:79-81).
	if msgs := validate(val("value", in["value"], "required|numeric")); len(msgs) > 0 {
		return validationErr(msgs)
	}
	at, ok := e.pointTime(in["timestamp"], c.now)
	if !ok {
		return errResp(http.StatusInternalServerError, "")
	}
	value := phpFloat(in["value"])
	p := &metricPoint{id: e.st.points.alloc(), metricID: m.id, value: decimal3(value), counter: 1, createdAt: at, updatedAt: c.now}
	e.st.points.put(p.id, p)
	m.points = append(m.points, p)
	return dataResp(func(w *jw) { c.writePoint(w, p, value) })
}

// updatePoint is UpdateMetricPointCommandHandler (2.4 :56-76, v2.3.18
// :46-66): value is (float) of the input, so an absent value is 0; the
// point moves to the metric in the URL; timestamp, when truthy, is read as
// Unix seconds (and rounded to 30 s in 2.4). 2.4's command requires the
// timestamp to be a string (UpdateMetricPointCommand.php:57-60).
func (e *Emulator) updatePoint(c *call) resp {
	m, _ := e.st.metrics.get(c.ids[0])
	p, _ := e.st.points.get(c.ids[1])
	in := c.in
	if !e.v23 {
		if msgs := validate(has(in, "value", "nullable|numeric"), val("created_at", in["timestamp"], "nullable|string")); len(msgs) > 0 {
			return validationErr(msgs)
		}
	}
	value := phpFloat(in["value"])
	next := *p
	next.value = decimal3(value)
	next.metricID = m.id
	if phpBool(in["timestamp"]) {
		at, ok := e.pointTime(in["timestamp"], c.now)
		if !ok {
			return errResp(http.StatusInternalServerError, "")
		}
		next.createdAt = at
	}
	if next != *p {
		next.updatedAt = c.now
	}
	if old, ok := e.st.metrics.get(p.metricID); ok && old != m {
		old.points = slices.DeleteFunc(old.points, func(x *metricPoint) bool { return x == p })
		*p = next
		m.points = append(m.points, p)
		slices.SortFunc(m.points, func(a, b *metricPoint) int { return a.id - b.id })
	} else {
		*p = next
	}
	return dataResp(func(w *jw) { c.writePoint(w, p, value) })
}

func (e *Emulator) deletePoint(c *call) resp {
	p, _ := e.st.points.get(c.ids[1])
	e.st.points.remove(p.id)
	if m, ok := e.st.metrics.get(p.metricID); ok {
		m.points = slices.DeleteFunc(m.points, func(x *metricPoint) bool { return x == p })
	}
	return resp{status: http.StatusNoContent}
}

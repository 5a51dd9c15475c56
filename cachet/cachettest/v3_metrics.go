package cachettest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

var metricSpec3 = spec3[metric3]{
	filters: []string{"name", "calc_type"},
	filter: map[string]filter3[metric3]{
		"name":      func(x *metric3, vs []any) bool { return anyPartial(x.name, vs) },
		"calc_type": func(x *metric3, vs []any) bool { return anyPartial(strconv.Itoa(x.calcType), vs) },
	},
	sorts: []string{"name", "order", "id"},
	sort: map[string]func(a, b *metric3) int{
		"name":       func(a, b *metric3) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"order":      func(a, b *metric3) int { return cmpInt(a.order, b.order) },
		"id":         func(a, b *metric3) int { return cmpInt(a.id, b.id) },
		"created_at": func(a, b *metric3) int { return a.createdAt.Compare(b.createdAt) },
	},
	defaultSort: "-created_at", // core:src/Http/Controllers/Api/MetricController.php:42-44
	includes:    []string{"points", "pointsCount", "pointsExists"},
}

func (c *c3) metricVisible3(m *metric3) bool {
	if c.authed() {
		return m.visible == 0 || m.visible == 1
	}
	return m.visible == 1
}

func (c *c3) listMetrics() r3 {
	return index3(c, where(c.e.v3.st.metrics.rows, c.metricVisible3), metricSpec3, c.metricRes)
}

func (c *c3) metricRes(w *jw, m *metric3, incl []string, inc *included3) {
	c.metricResOpts(w, m, incl, inc, false)
}

// metricResOpts writes a metric (core:src/Http/Resources/Metric.php:11-35);
// created writes the create response's nulls for default_view, visible, order.
func (c *c3) metricResOpts(w *jw, m *metric3, incl []string, inc *included3, created bool) {
	resource3(w, "metrics", m.id, func(w *jw) {
		w.kint("id", m.id)
		w.kstr("name", m.name)
		w.kstr("suffix", m.suffix)
		kstrOrNull(w, "description", m.description)
		w.key("default_value")
		w.value(m.defaultValue)
		w.kint("calc_type", m.calcType)
		w.kbool("display_chart", m.displayChart)
		w.kint("places", m.places)
		if created {
			w.knull("default_view")
		} else {
			w.kint("default_view", m.defaultView)
		}
		w.kint("threshold", m.threshold)
		if created {
			w.knull("order")
			w.knull("visible")
		} else {
			w.kint("order", m.order)
			w.kint("visible", m.visible)
		}
		w.ktime3("created", &m.createdAt, c.now)
		w.ktime3("updated", &m.updatedAt, c.now)
	}, func(w *jw) bool {
		if inc == nil || !includesAny(incl, "points") {
			return false
		}
		var ids []int
		for _, p := range c.e.v3.st.points.rows {
			if p.metric == m.id {
				ids = append(ids, p.id)
				inc.add("metricPoints", p.id, func(w *jw) { c.pointRes(w, p, nil, nil) })
			}
		}
		relMany(w, "points", "metricPoints", ids)
		return true
	})
}

func includesAny(incl []string, name string) bool {
	for _, s := range incl {
		if s == name {
			return true
		}
	}
	return false
}

func (c *c3) bindMetric() (*metric3, *r3) {
	return bind3(&c.e.v3.st.metrics, c.ids[0], c.keys[0], "Metric", nil)
}

func (c *c3) showMetric() r3 {
	m, nf := c.bindMetric()
	if nf != nil {
		return *nf
	}
	return show3(c, m, m.id, "Metric", metricSpec3, c.metricVisible3, c.metricRes)
}

// validateMetric is CreateMetricRequestData::rules (:24-36) and
// UpdateMetricRequestData::rules (:19-28).
func (c *c3) validateMetric(create bool) *r3 {
	v := c.validator()
	if create {
		v.field("name", "required", "string", "max:255")
		v.field("suffix", "required", "string", "max:255")
	} else {
		v.field("name", "string", "max:255")
		v.field("suffix", "string", "max:255")
	}
	if create { // calc_type precedes description in the constructor and in rules()
		v.field("calc_type", "nullable", "enum:0,1")
	}
	v.field("description", "string")
	v.field("default_value", "decimal")
	if create {
		v.field("display_chart", "nullable", "bool")
	}
	v.field("threshold", "int", "min:0", "max:60", "factor60")
	if create {
		v.field("places", "int", "min:0", "max:4")
	}
	return v.result()
}

func (c *c3) applyMetric(m *metric3, create bool) {
	if s, ok := c.in["name"].(string); ok {
		m.name = s
	}
	if s, ok := c.in["suffix"].(string); ok {
		m.suffix = s
	}
	if s, ok := c.in["description"].(string); ok {
		m.description = ptr(s)
	}
	if v := c.in["default_value"]; v != nil {
		m.defaultValue = v
	}
	if n, ok := enumInt(c.in["threshold"]); ok && c.in["threshold"] != nil {
		m.threshold = n
	}
	if create {
		if n, ok := enumInt(c.in["calc_type"]); ok && c.in["calc_type"] != nil {
			m.calcType = n
		}
		if v := c.in["display_chart"]; v != nil {
			m.displayChart = boolOf(v)
		}
		if n, ok := enumInt(c.in["places"]); ok && c.in["places"] != nil {
			m.places = n
		}
	}
}

func (c *c3) createMetric() r3 {
	if bad := c.validateMetric(true); bad != nil {
		return *bad
	}
	if denied := c.guard("metrics.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	// DB defaults.
	m := &metric3{id: st.metrics.alloc(), displayChart: true, places: 2, defaultView: 1, threshold: 5, visible: 1, createdAt: c.now, updatedAt: c.now}
	c.applyMetric(m, true)
	st.metrics.put(m.id, m)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.metricResOpts(w, m, nil, inc, true) })
}

func (c *c3) updateMetric() r3 {
	m, nf := c.bindMetric()
	if nf != nil {
		return *nf
	}
	if bad := c.validateMetric(false); bad != nil {
		return *bad
	}
	if denied := c.guard("metrics.manage"); denied != nil {
		return *denied
	}
	before := metricColumns(m)
	c.applyMetric(m, false)
	// UpdateMetric is $metric->update(...) (core:src/Actions/Metric/UpdateMetric.php):
	// Eloquent saves, and bumps updated_at, only a dirty model.
	if metricColumns(m) != before {
		m.updatedAt = c.now
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.metricRes(w, m, nil, inc) })
}

// metricColumnValues are the columns a metric update can make dirty.
type metricColumnValues struct {
	name, suffix, description string
	hasDescription            bool
	defaultValue              float64
	threshold                 int
}

func metricColumns(m *metric3) metricColumnValues {
	v := metricColumnValues{name: m.name, suffix: m.suffix, defaultValue: phpFloat(m.defaultValue), threshold: m.threshold}
	if m.description != nil {
		v.description, v.hasDescription = *m.description, true
	}
	return v
}

// deleteMetric deletes its points, then the metric (core:src/Actions/Metric/DeleteMetric.php:12-16).
func (c *c3) deleteMetric() r3 {
	m, nf := c.bindMetric()
	if r := c.guarded(nf, "metrics.delete"); r != nil {
		return *r
	}
	st := &c.e.v3.st
	for _, p := range append([]*point3(nil), st.points.rows...) {
		if p.metric == m.id {
			st.points.remove(p.id)
		}
	}
	st.metrics.remove(m.id)
	return r3{status: http.StatusNoContent}
}

var pointSpec3 = spec3[point3]{
	sorts: []string{"id", "value", "created_at"},
	sort: map[string]func(a, b *point3) int{
		"id":         func(a, b *point3) int { return cmpInt(a.id, b.id) },
		"value":      func(a, b *point3) int { return cmpFloat(a.value, b.value) },
		"created_at": func(a, b *point3) int { return a.createdAt.Compare(b.createdAt) },
	},
	includes: []string{"metric", "metricCount", "metricExists"},
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pointRes writes a point (core:src/Http/Resources/MetricPoint.php:11-28).
func (c *c3) pointRes(w *jw, p *point3, incl []string, inc *included3) {
	resource3(w, "metricPoints", p.id, func(w *jw) {
		w.kint("id", p.id)
		w.kint("metric_id", p.metric)
		w.key("calculated_value")
		w.float(p.value * float64(p.counter))
		w.key("value")
		w.float(p.value)
		w.kint("counter", p.counter)
		w.ktime3("created", &p.createdAt, c.now)
		w.ktime3("updated", &p.updatedAt, c.now)
	}, nil)
}

// parentMetric binds {metric}; reads 404 with an empty message when the
// metric is not visible (core:src/Http/Controllers/Api/MetricPointController.php:80-86).
func (c *c3) parentMetric(read bool) (*metric3, *r3) {
	m, nf := c.bindMetric()
	if nf != nil {
		return nil, nf
	}
	if read && !c.metricVisible3(m) {
		r := msg3(http.StatusNotFound, "")
		return nil, &r
	}
	return m, nil
}

func (c *c3) bindPoint(m *metric3) (*point3, *r3) {
	return bind3(&c.e.v3.st.points, c.ids[1], c.keys[1], "MetricPoint", func(p *point3) bool { return p.metric != m.id })
}

func (c *c3) listPoints() r3 {
	m, nf := c.parentMetric(true)
	if nf != nil {
		return *nf
	}
	return index3(c, where(c.e.v3.st.points.rows, func(p *point3) bool { return p.metric == m.id }), pointSpec3, c.pointRes)
}

func (c *c3) showPoint() r3 {
	m, nf := c.parentMetric(true)
	if nf != nil {
		return *nf
	}
	p, nf := c.bindPoint(m)
	if nf != nil {
		return *nf
	}
	return c.one3(http.StatusOK, func(w *jw, inc *included3) { c.pointRes(w, p, nil, inc) })
}

// createPoint is CreateMetricPoint (core:src/Actions/Metric/CreateMetricPoint.php:14-29):
// within threshold minutes of the newest point, that point's counter goes
// up and the value is discarded; new points are rounded to 30 s
// (core:src/Models/MetricPoint.php:61-79). Always 201.
func (c *c3) createPoint() r3 {
	m, nf := c.parentMetric(false)
	if nf != nil {
		return *nf
	}
	v := c.validator()
	v.field("value", "required", "numeric")
	v.field("timestamp", "nullable", "timestamp")
	if bad := v.result(); bad != nil {
		return *bad
	}
	if denied := c.guard("metric-points.manage"); denied != nil {
		return *denied
	}
	st := &c.e.v3.st
	at := c.now
	if t, ok := parseTimestamp3(c.in["timestamp"]); ok && c.in["timestamp"] != nil {
		at = t
	}
	var newest *point3
	for _, p := range st.points.rows {
		if p.metric == m.id && (newest == nil || p.createdAt.After(newest.createdAt)) {
			newest = p
		}
	}
	// withinThreshold compares whole minutes: both times cut to the start of
	// their minute (core:src/Models/MetricPoint.php:92-101).
	if newest != nil && math.Abs(at.Truncate(time.Minute).Sub(newest.createdAt.Truncate(time.Minute)).Minutes()) < float64(m.threshold) {
		newest.counter++
		newest.updatedAt = c.now
		return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.pointRes(w, newest, nil, inc) })
	}
	p := &point3{id: st.points.alloc(), metric: m.id, value: phpFloat(c.in["value"]), counter: 1, createdAt: at.Round(30 * time.Second), updatedAt: c.now}
	st.points.put(p.id, p)
	return c.one3(http.StatusCreated, func(w *jw, inc *included3) { c.pointRes(w, p, nil, inc) })
}

func (c *c3) deletePoint() r3 {
	m, nf := c.parentMetric(false)
	if nf != nil {
		return *nf
	}
	p, nf := c.bindPoint(m)
	if r := c.guarded(nf, "metric-points.delete"); r != nil {
		return *r
	}
	c.e.v3.st.points.remove(p.id)
	return r3{status: http.StatusNoContent}
}

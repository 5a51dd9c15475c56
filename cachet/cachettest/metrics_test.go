package cachettest

import (
	"testing"
)

func TestMetrics(t *testing.T) {
	a := newAPI(t)
	a.guest().post("/metrics", map[string]any{"name": "x"}).expect(t, 401)
	r := a.post("/metrics", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{
		"The name field is required.", "The suffix field is required.", "The default value field is required."}}})
	a.post("/metrics", map[string]any{"name": "x", "suffix": "s", "default_value": 1, "display_chart": false}).expect(t, 400)

	d := a.post("/metrics", map[string]any{"name": "Foo", "suffix": "foo's per second", "description": "Lorem ipsum dolor",
		"default_value": 1, "display_chart": 1, "places": 0, "view": 0, "threshold": 5, "order": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "default_value": 1, "display_chart": true, "places": 0,
		"default_view": 0, "default_view_name": "Last Hour", "threshold": 5, "order": 1, "visible": 1, "calc_type": 0})
	d = a.post("/metrics", map[string]any{"name": "Bar", "suffix": "s", "default_value": 0}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"places": 2, "default_view": 1, "threshold": 5, "display_chart": true})

	assertIDs(t, a.get("/metrics").expect(t, 200).ids(), 1, 2)
	assertIDs(t, a.get("/metrics?sort=id").ids(), 2, 1)
	a.get("/metrics/0").expect(t, 404)
	assertFields(t, a.get("/metrics/1").expect(t, 200).data(), map[string]any{"name": "Foo"})

	d = a.put("/metrics/1", map[string]any{"name": "Foo", "view": 2}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "default_view": 2, "places": 0})
	a.put("/metrics/1", map[string]any{"threshold": 7}).expect(t, 400)

	a.post("/metrics/1/points", map[string]any{"value": 1}).expect(t, 200)
	a.del("/metrics/1").expect(t, 204)
	a.get("/metrics/1").expect(t, 404)
	a.del("/metrics/1/points/1").expect(t, 404)
}

func TestMetricPoints(t *testing.T) {
	a := newAPI(t)
	a.post("/metrics", map[string]any{"name": "M", "suffix": "s", "default_value": 0}).expect(t, 200)
	a.guest().post("/metrics/1/points", map[string]any{"value": 1}).expect(t, 401)
	a.post("/metrics/1/points", map[string]any{}).expect(t, 400)

	d := a.post("/metrics/1/points", map[string]any{"value": 42}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"value": 42, "metric_id": 1, "counter": 1, "calculated_value": 42})

	// 1434369116 is 2015-06-15 11:51:56 UTC; stored rounded down to 30 s.
	d = a.post("/metrics/1/points", map[string]any{"value": 7, "timestamp": 1434369116}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"created_at": "2015-06-15 11:51:30"})
	r := a.do("POST", "/metrics/1/points", map[string]any{"value": 8, "timestamp": 1434369116}, "Time-Zone", "America/Mexico_City").expect(t, 200)
	assertFields(t, r.data(), map[string]any{"created_at": "2015-06-15 06:51:30"})

	// Ordered by created_at DESC: 16:00, 14:00, 13:00.
	a.post("/metrics", map[string]any{"name": "N", "suffix": "s", "default_value": 0}).expect(t, 200)
	for _, ts := range []int{1700056800, 1700053200, 1700064000} { // 14:00, 13:00, 16:00
		a.post("/metrics/2/points", map[string]any{"value": ts, "timestamp": ts}).expect(t, 200)
	}
	assertIDs(t, a.get("/metrics/2/points").expect(t, 200).ids(), 6, 4, 5)

	// The same value within the threshold increments the counter.
	d = a.post("/metrics/1/points", map[string]any{"value": 7, "timestamp": 1434369116 + 60}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 2, "counter": 2, "calculated_value": 14})

	d = a.put("/metrics/1/points/1", map[string]any{"value": 999}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"value": 999})
	a.del("/metrics/1/points/1").expect(t, 204)
	assertIDs(t, a.get("/metrics/1/points").ids(), 3, 2)
}

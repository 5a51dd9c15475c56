package cachettest

import (
	"testing"
	"time"
)

// fixedClock is a clock standing at t, movable by the test.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time      { return c.t }
func (c *fixedClock) add(d time.Duration) { c.t = c.t.Add(d) }
func clockAt(s string) *fixedClock        { t, _ := time.Parse(dateTime, s); return &fixedClock{t: t} }
func newMetric(a *api, extra map[string]any) result {
	body := map[string]any{"name": "M", "suffix": "s", "description": "d", "default_value": 0}
	for k, v := range extra {
		body[k] = v
	}
	return a.post("/metrics", body)
}

func TestMetrics(t *testing.T) {
	a := newAPI(t)
	a.guest().post("/metrics", map[string]any{"name": "x"}).expect(t, 401)
	r := a.post("/metrics", map[string]any{}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{
		"The name field is required.", "The suffix field is required.", "The default value field is required."}}})
	// display_chart has the rule int: JSON false fails it (CreateMetricCommand.php:110, 2.4).
	newMetric(a, map[string]any{"display_chart": false}).expect(t, 400)

	d := a.post("/metrics", map[string]any{"name": "Foo", "suffix": "foo's per second", "description": "Lorem ipsum dolor",
		"default_value": 1, "display_chart": 1, "places": 0, "view": 0, "threshold": 5, "order": 1}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"name": "Foo", "default_value": 1, "display_chart": true, "places": 0,
		"default_view": 0, "default_view_name": "Last Hour", "threshold": 5, "order": 1, "visible": 1, "calc_type": 0})
	d = a.post("/metrics", map[string]any{"name": "Bar", "suffix": "s", "description": "", "default_value": 0}).expect(t, 200).data()
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

// TestMetricCreateContract follows CreateMetricCommand::$rules
// (app/Bus/Commands/Metric/CreateMetricCommand.php:104-116, 2.4 d4666993),
// Metric::$rules and Metric::validate() (app/Models/Metric.php:123-131,
// 214-225) and MetricController::store's QueryException (:78-80).
func TestMetricCreateContract(t *testing.T) {
	generic := "The request cannot be fulfilled due to bad syntax."
	cases := []struct {
		name    string
		v23     bool
		body    map[string]any
		status  int
		details []string // nil: no meta at all
	}{
		// description is a NOT NULL text column (2015_01_05_202826_CreateMetricsTable.php:29): the null
		// insert is a QueryException, a 400 without details.
		{"no description", false, map[string]any{"description": nil}, 400, nil},
		{"no description 2.3", true, map[string]any{"description": nil}, 400, nil},
		{"order null", false, map[string]any{"order": nil}, 400, nil},
		// threshold required|int (CreateMetricCommand.php:113).
		{"threshold null", false, map[string]any{"threshold": nil}, 400, []string{"The threshold field is required."}},
		{"threshold 2.5", false, map[string]any{"threshold": 2.5}, 400, []string{"The threshold must be an integer."}},
		// Metric.php:218-219: 60 % threshold must be 0, a validation error with details.
		{"threshold 7", false, map[string]any{"threshold": 7}, 400, []string{"Threshold must divide by 60."}},
		{"threshold 120", false, map[string]any{"threshold": 120}, 400, []string{"Threshold must divide by 60."}},
		{"threshold 0", false, map[string]any{"threshold": 0}, 500, nil}, // 60 % 0: DivisionByZeroError
		{"threshold 7 on 2.3", true, map[string]any{"threshold": 7}, 200, nil},
		// Metric.php:126 display_chart required|bool on the raw attribute.
		{"display_chart 2", false, map[string]any{"display_chart": 2}, 400, []string{"The display chart field must be true or false."}},
		{"display_chart null", false, map[string]any{"display_chart": nil}, 400, []string{"The display chart field is required."}},
		{"default_view 4", false, map[string]any{"default_view": 4}, 400, []string{"The default view must be between 0 and 3."}},
		{"default_value 1.5", false, map[string]any{"default_value": 1.5}, 400, []string{"The default value must be an integer."}},
		// v2.3.18 enforces no command rule, only app/Models/Metric.php:94-103.
		{"2.3 default_value 1.5", true, map[string]any{"default_value": 1.5}, 200, nil},
		{"2.3 no name", true, map[string]any{"name": nil}, 400, []string{"The name field is required."}},
		{"2.3 places 9", true, map[string]any{"places": 9}, 400, []string{"The places must be between 0 and 4."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var a *api
			if tc.v23 {
				a = newAPI(t, WithVersion("2.3"))
			} else {
				a = newAPI(t)
			}
			r := newMetric(a, tc.body).expect(t, tc.status)
			if tc.status != 400 {
				return
			}
			e := r.errorOf()
			if _, ok := e["meta"]; ok != (tc.details != nil) {
				t.Fatalf("meta present = %v, want %v: %s", ok, tc.details != nil, r.body)
			}
			if tc.details == nil {
				assertFields(t, e, map[string]any{"detail": generic})
				return
			}
			assertFields(t, e, map[string]any{"meta": map[string]any{"details": tc.details}})
		})
	}
}

// TestMetricShape: the key set of a metric answer, and default_view_name
// (app/Presenters/MetricPresenter.php:43-61, resources/lang/en/cachet.php:70-75, 2.4).
func TestMetricShape(t *testing.T) {
	names := []string{"Last Hour", "Last 12 Hours", "Week", "Month"}
	for view, name := range names {
		a := newAPI(t)
		d := newMetric(a, map[string]any{"default_view": view}).expect(t, 200).data()
		assertFields(t, d, map[string]any{"default_view_name": name})
	}
	a := newAPI(t)
	post := newMetric(a, nil).expect(t, 200).data()
	get := a.get("/metrics/1").data()
	want := []string{"id", "name", "suffix", "description", "default_value", "calc_type", "display_chart", "places",
		"default_view", "threshold", "order", "visible", "created_at", "updated_at", "default_view_name"}
	for _, d := range []map[string]any{post, get} {
		if len(d) != len(want) {
			t.Errorf("keys = %v, want %v", d, want)
		}
		for _, k := range want {
			if _, ok := d[k]; !ok {
				t.Errorf("missing %s in %v", k, d)
			}
		}
	}
	// v2.3.18 metrics have no visible column.
	b := newAPI(t, WithVersion("2.3"))
	if _, ok := newMetric(b, nil).expect(t, 200).data()["visible"]; ok {
		t.Error("2.3 metric has visible")
	}
}

// TestMetricUpdateContract follows UpdateMetricCommand::$rules
// (app/Bus/Commands/Metric/UpdateMetricCommand.php:107-119, 2.4) and the
// model's rules on save.
func TestMetricUpdateContract(t *testing.T) {
	cases := []struct {
		name    string
		body    map[string]any
		status  int
		details []string
		want    map[string]any
	}{
		{"calc_type in:0,1", map[string]any{"calc_type": 2}, 400, []string{"The selected calc type is invalid."}, nil},
		{"calc_type 1", map[string]any{"calc_type": 1}, 200, nil, map[string]any{"calc_type": 1}},
		// default_value numeric; the int cast reads 1.5 back as 1 (Metric.php:90).
		{"default_value 1.5", map[string]any{"default_value": 1.5}, 200, nil, map[string]any{"default_value": 1}},
		{"default_value text", map[string]any{"default_value": "x"}, 400, []string{"The default value must be a number."}, nil},
		// The command allows default_view 4, the model does not.
		{"default_view 4", map[string]any{"default_view": 4}, 400, []string{"The default view must be between 0 and 3."}, nil},
		{"display_chart 2", map[string]any{"display_chart": 2}, 400, []string{"The display chart field must be true or false."}, nil},
		{"threshold 7", map[string]any{"threshold": 7}, 400, []string{"Threshold must divide by 60."}, nil},
		{"threshold text", map[string]any{"threshold": "x"}, 400, []string{"The threshold must be an integer."}, nil},
		{"empty name", map[string]any{"name": ""}, 400, []string{"The name field is required."}, nil},
		{"nulls are ignored", map[string]any{"name": nil, "description": nil}, 200, nil, map[string]any{"name": "M", "description": "d"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPI(t)
			newMetric(a, nil).expect(t, 200)
			r := a.put("/metrics/1", tc.body).expect(t, tc.status)
			if tc.details != nil {
				assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": tc.details}})
			}
			if tc.want != nil {
				assertFields(t, r.data(), tc.want)
			}
		})
	}
	// A PUT that changes nothing leaves updated_at (Eloquent saves only dirty models).
	clock := clockAt("2024-05-03 10:00:00")
	a := newAPI(t, WithClock(clock.now))
	newMetric(a, nil).expect(t, 200)
	clock.add(time.Hour)
	assertFields(t, a.put("/metrics/1", map[string]any{"name": "M"}).expect(t, 200).data(), map[string]any{"updated_at": "2024-05-03 10:00:00"})
	assertFields(t, a.put("/metrics/1", map[string]any{"name": "N"}).expect(t, 200).data(), map[string]any{"updated_at": "2024-05-03 11:00:00"})
}

func TestMetricPoints(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:10")
	a := newAPI(t, WithClock(clock.now))
	newMetric(a, nil).expect(t, 200)
	a.guest().post("/metrics/1/points", map[string]any{"value": 1}).expect(t, 401)
	a.post("/metrics/1/points", map[string]any{}).expect(t, 400)

	d := a.post("/metrics/1/points", map[string]any{"value": 42}).expect(t, 200).data()
	// Without a timestamp, Eloquent's created_at goes through the same mutator: 10:00:10 rounds to 10:00:00.
	assertFields(t, d, map[string]any{"value": 42, "metric_id": 1, "counter": 1, "calculated_value": 42,
		"created_at": "2024-05-03 10:00:00", "updated_at": "2024-05-03 10:00:10"})

	// 1434369116 is 2015-06-15 11:51:56 UTC; MetricPoint::setCreatedAtAttribute rounds to the
	// nearest 30 s (app/Models/MetricPoint.php:120-121, 2.4): 11:52:00.
	d = a.post("/metrics/1/points", map[string]any{"value": 7, "timestamp": 1434369116}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"created_at": "2015-06-15 11:52:00"})
	r := a.do("POST", "/metrics/1/points", map[string]any{"value": 8, "timestamp": 1434369104}, "Time-Zone", "America/Mexico_City").expect(t, 200)
	assertFields(t, r.data(), map[string]any{"created_at": "2015-06-15 06:51:30"})

	// Ordered by created_at DESC: 16:00, 14:00, 13:00.
	newMetric(a, map[string]any{"name": "N"}).expect(t, 200)
	for _, ts := range []int{1700056800, 1700053200, 1700064000} { // 14:00, 13:00, 16:00
		a.post("/metrics/2/points", map[string]any{"value": ts, "timestamp": ts}).expect(t, 200)
	}
	assertIDs(t, a.get("/metrics/2/points").expect(t, 200).ids(), 6, 4, 5)

	d = a.put("/metrics/1/points/1", map[string]any{"value": 999}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"value": 999})
	a.del("/metrics/1/points/1").expect(t, 204)
	assertIDs(t, a.get("/metrics/1/points").ids(), 2, 3)
}

// TestMetricPointRounding: 30 * round(ts / 30), halves away from zero
// (app/Models/MetricPoint.php:120-121, 2.4); v2.3.18 has no mutator.
func TestMetricPointRounding(t *testing.T) {
	cases := []struct {
		ts     int
		want24 string
		want23 string
	}{
		{1434369104, "2015-06-15 11:51:30", "2015-06-15 11:51:44"},
		{1434369105, "2015-06-15 11:52:00", "2015-06-15 11:51:45"}, // exactly half: up
		{1434369119, "2015-06-15 11:52:00", "2015-06-15 11:51:59"},
		{1434369120, "2015-06-15 11:52:00", "2015-06-15 11:52:00"},
	}
	for _, tc := range cases {
		for _, v23 := range []bool{false, true} {
			opts := []Option{}
			want := tc.want24
			if v23 {
				opts, want = append(opts, WithVersion("2.3")), tc.want23
			}
			a := newAPI(t, opts...)
			newMetric(a, nil).expect(t, 200)
			d := a.post("/metrics/1/points", map[string]any{"value": 1, "timestamp": tc.ts}).expect(t, 200).data()
			assertFields(t, d, map[string]any{"created_at": want})
		}
	}
}

// TestMetricPointDedup: CreateMetricPointCommandHandler::findOrCreatePoint
// (app/Bus/Handlers/Commands/Metric/CreateMetricPointCommandHandler.php:82-86, 2.4)
// looks back from now, to the start of the minute threshold-1 minutes ago, with
// no upper bound; v2.3.18 AddMetricPointCommandHandler.php:65 looks back
// threshold minutes from now.
func TestMetricPointDedup(t *testing.T) {
	clock := clockAt("2024-05-03 10:04:40")
	a := newAPI(t, WithClock(clock.now))
	newMetric(a, nil).expect(t, 200) // threshold 5: window starts 10:00:00
	// A point dated far in the past is outside the window even if just posted.
	a.post("/metrics/1/points", map[string]any{"value": 3, "timestamp": 1434369116}).expect(t, 200)
	d := a.post("/metrics/1/points", map[string]any{"value": 3}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"id": 2, "counter": 1})
	// A point dated in the future is inside the window (no upper bound).
	future := clock.t.Add(24 * time.Hour).Unix()
	a.post("/metrics/1/points", map[string]any{"value": 4, "timestamp": future}).expect(t, 200)
	clock.add(20 * time.Second)
	d = a.post("/metrics/1/points", map[string]any{"value": 4, "timestamp": 1}).expect(t, 200).data()
	// increment() writes updated_at in SQL only: the answer shows the old one.
	assertFields(t, d, map[string]any{"id": 3, "counter": 2, "calculated_value": 8, "updated_at": "2024-05-03 10:04:40"})
	assertFields(t, a.get("/metrics/1/points").list()[0], map[string]any{"id": 3, "updated_at": "2024-05-03 10:05:00"})
	// Point 2 (created 10:04:30) is found until the window start passes it:
	// at 10:09:59 the window starts at 10:05:00.
	clock.t = clock.t.Add(4*time.Minute + 29*time.Second) // 10:09:29: window 10:05:00
	d = a.post("/metrics/1/points", map[string]any{"value": 3}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"counter": 1, "id": 4})

	b := newAPI(t, WithVersion("2.3"), WithClock(clock.now))
	newMetric(b, nil).expect(t, 200)
	b.post("/metrics/1/points", map[string]any{"value": 3}).expect(t, 200)
	clock.add(5 * time.Minute)
	assertFields(t, b.post("/metrics/1/points", map[string]any{"value": 3}).expect(t, 200).data(), map[string]any{"id": 1, "counter": 2})
	clock.add(time.Second)
	assertFields(t, b.post("/metrics/1/points", map[string]any{"value": 3}).expect(t, 200).data(), map[string]any{"id": 2, "counter": 1})
}

// TestMetricPointValidation: CreateMetricPointCommand::$rules
// (CreateMetricPointCommand.php:50-53) and UpdateMetricPointCommand::$rules
// (UpdateMetricPointCommand.php:57-60): the timestamp is the command's
// created_at, an int on POST and a string on PUT.
func TestMetricPointValidation(t *testing.T) {
	a := newAPI(t)
	newMetric(a, nil).expect(t, 200)
	r := a.post("/metrics/1/points", map[string]any{"value": 1, "timestamp": "soon"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The created at must be an integer."}}})
	r = a.post("/metrics/1/points", map[string]any{"value": "x"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The value must be a number."}}})
	a.post("/metrics/1/points", map[string]any{"value": 1}).expect(t, 200)
	r = a.put("/metrics/1/points/1", map[string]any{"value": 2, "timestamp": 1434369116}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The created at must be a string."}}})
	// A string Carbon cannot read as Unix seconds is an uncaught InvalidArgumentException.
	a.put("/metrics/1/points/1", map[string]any{"value": 2, "timestamp": "2015-06-15"}).expect(t, 500)
	d := a.put("/metrics/1/points/1", map[string]any{"value": 2, "timestamp": "1434369116"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"created_at": "2015-06-15 11:52:00", "value": 2})
	// 2.3 enforces only MetricPoint::$rules (v2.3.18 app/Models/MetricPoint.php:61-63).
	b := newAPI(t, WithVersion("2.3"))
	newMetric(b, nil).expect(t, 200)
	b.post("/metrics/1/points", map[string]any{"value": 1, "timestamp": 1434369116}).expect(t, 200)
	d = b.put("/metrics/1/points/1", map[string]any{"value": 2, "timestamp": 1434369117}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"created_at": "2015-06-15 11:51:57"})
}

// TestMetricPointPut: UpdateMetricPointCommandHandler (2.4 :62-71):
// value is (float) of the input, so absent is 0, and metric_id is the
// metric in the URL, whichever metric the point belonged to.
func TestMetricPointPut(t *testing.T) {
	a := newAPI(t)
	newMetric(a, nil).expect(t, 200)
	newMetric(a, map[string]any{"name": "N"}).expect(t, 200)
	a.post("/metrics/1/points", map[string]any{"value": 5}).expect(t, 200)
	d := a.put("/metrics/2/points/1", map[string]any{}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"value": 0, "metric_id": 2})
	assertIDs(t, a.get("/metrics/1/points").ids())
	assertIDs(t, a.get("/metrics/2/points").ids(), 1)
}

// TestMetricPointDecimal: values are decimal(15,3)
// (2016_02_18_085210_AlterTableMetricPointsChangeValueColumn.php:26): the
// POST answer shows the value sent, a later read the stored one.
func TestMetricPointDecimal(t *testing.T) {
	a := newAPI(t)
	newMetric(a, nil).expect(t, 200)
	assertFields(t, a.post("/metrics/1/points", map[string]any{"value": 1.23456}).expect(t, 200).data(), map[string]any{"value": 1.23456})
	assertFields(t, a.get("/metrics/1/points").list()[0], map[string]any{"value": 1.235})
}

// TestMetricPoints2_3: v2.3.18's Metric::points() has no order (rows come
// by id, app/Models/Metric.php:124-127) and only MetricPoint::$rules apply
// (app/Models/MetricPoint.php:61-63).
func TestMetricPoints2_3(t *testing.T) {
	a := newAPI(t, WithVersion("2.3"))
	newMetric(a, nil).expect(t, 200)
	for _, ts := range []int{1700056800, 1700053200, 1700064000} {
		a.post("/metrics/1/points", map[string]any{"value": ts, "timestamp": ts}).expect(t, 200)
	}
	assertIDs(t, a.get("/metrics/1/points").ids(), 1, 2, 3)
	r := a.post("/metrics/1/points", map[string]any{"value": "x"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The value must be a number."}}})
}

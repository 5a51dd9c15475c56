package cachettest

import (
	"testing"
	"time"
)

// TestCreateFromFormat checks the port of timelib's parse_from_format
// (parse_date.re, timelib 2018.01, bundled with PHP 7.3). Results and
// messages were produced by PHP's DateTime::createFromFormat; where PHP
// 8.2's newer timelib words a message differently ("Not enough data
// available to satisfy format"), the 2018.01 text is used ("Data missing",
// parse_date.re:2368).
func TestCreateFromFormat(t *testing.T) {
	cases := []struct {
		format, in string
		want       string // Y-m-d H:i:s, or the error text
		fails      bool
	}{
		{"Y-m-d H:i", "2030-01-01 10:00", "2030-01-01 10:00:00", false},
		{"Y-m-d H:i", "2030-1-1 1:00", "2030-01-01 01:00:00", false},
		{"Y-m-d H:i", "2030-02-31 10:00", "2030-03-03 10:00:00", false}, // a warning only
		{"Y-m-d H:i", "2030-01-01 25:00", "2030-01-02 01:00:00", false},
		{"Y-m-d H:i", "2030-01-01  10:00", "2030-01-01 10:00:00", false}, // " " eats any run of spaces
		{"Y-m-d H:i", "2030-01-01", "Data missing", true},
		{"Y-m-d H:i", "2030-01-01 10:00:00", "Trailing data", true},
		{"Y-m-d H:i", "2030-01-01T10:00", "Unexpected data found.", true},
		{"Y-m-d H:i", " 2030-01-01 10:00", "Unexpected data found.", true},
		{"Y-m-d H:i", "2030-01-01 10:0", "A two digit minute could not be found", true},
		{"Y-m-d H:i", "abc", "A four digit year could not be found\nData missing", true},
		{"Y-m-d H:i", "01/02/2030 10:00", "Unexpected data found.\nUnexpected data found.\nUnexpected data found.\nTrailing data", true},
		{"d/m/Y H:i", "02/01/2024 09:30", "2024-01-02 09:30:00", false},
		{"d/m/Y H:i", "2024-01-02 09:30", "The separation symbol could not be found\nUnexpected data found.\nUnexpected data found.\nUnexpected data found.\nTrailing data", true},
	}
	for _, tc := range cases {
		got, msg := createFromFormat(tc.format, tc.in, time.UTC)
		if tc.fails {
			if msg != tc.want {
				t.Errorf("%q %q: error %q, want %q", tc.format, tc.in, msg, tc.want)
			}
			continue
		}
		if msg != "" || got.Format(dateTime) != tc.want {
			t.Errorf("%q %q = %s (%q), want %s", tc.format, tc.in, got.Format(dateTime), msg, tc.want)
		}
	}
}

// TestSchedulesContract follows ScheduleController (app/Http/Controllers/
// Api/ScheduleController.php:67-110, 2.4 d4666993), CreateScheduleCommand
// Handler (:65-106) and UpdateScheduleCommandHandler (:62-101).
func TestSchedulesContract(t *testing.T) {
	clock := clockAt("2024-05-03 10:00:37")
	a := newAPI(t, WithClock(clock.now))
	// A bad date is a validation error carrying Carbon's message (:70-72).
	r := a.post("/schedules", map[string]any{"name": "x", "status": 1, "scheduled_at": "2030-01-01"}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"Data missing"}}})
	// Without message the column stays null: absent from the POST answer, null on GET.
	d := a.post("/schedules", map[string]any{"name": "x", "status": 0, "scheduled_at": "2030-1-2 3:04"}).expect(t, 200).data()
	assertKeys(t, d, "id", "name", "status", "scheduled_at", "completed_at", "created_at", "updated_at", "human_status")
	assertFields(t, d, map[string]any{"scheduled_at": "2030-01-02 03:04:00", "completed_at": "2024-05-03 10:00:37"})
	g := a.get("/schedules/1").data()
	assertFields(t, g, map[string]any{"message": nil, "deleted_at": nil, "components": []any{}})
	// PUT: unchanged values keep updated_at; a bad date is uncaught (500).
	clock.add(time.Hour)
	assertFields(t, a.put("/schedules/1", map[string]any{"name": "x"}).expect(t, 200).data(), map[string]any{"updated_at": "2024-05-03 10:00:37"})
	assertFields(t, a.put("/schedules/1", map[string]any{"message": ""}).expect(t, 200).data(), map[string]any{"message": "", "updated_at": "2024-05-03 11:00:37"})
	a.put("/schedules/1", map[string]any{"scheduled_at": "soon"}).expect(t, 500)
	r = a.put("/schedules/1", map[string]any{"name": ""}).expect(t, 400)
	assertFields(t, r.errorOf(), map[string]any{"meta": map[string]any{"details": []string{"The name field is required."}}})
}

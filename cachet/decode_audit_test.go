package cachet

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Bodies in the shapes Cachet's source gives them, written by hand from
// the presenters and models cited.

// TestDecodeIncidentPost2_4: a POST answer holds the attributes the handler
// set (CreateIncidentCommandHandler.php:79-107, 2.4): no component_id when
// none was given, no deleted_at.
func TestDecodeIncidentPost2_4(t *testing.T) {
	body := []byte(`{"data":{"stickied":false,"notifications":false,"user_id":1,"name":"Down","status":1,"visible":1,` +
		`"message":"m","occurred_at":"2024-05-03 10:00:00","updated_at":"2024-05-03 10:00:00","created_at":"2024-05-03 10:00:00",` +
		`"id":7,"is_resolved":false,"updates":[],"human_status":"Investigating","latest_update_id":null,"latest_status":1,` +
		`"latest_human_status":"Investigating","latest_icon":"icon ion-flag oranges","permalink":"https:\/\/s.test\/incidents\/7",` +
		`"duration":0,"meta":[]}}`)
	var w wireIncident
	decodeData(t, body, &w, nil)
	want := Incident{ID: 7, UserID: 1, Name: "Down", Status: IncidentInvestigating, HumanStatus: "Investigating", Visible: true,
		Message: "m", Meta: Meta{}, LatestStatus: IncidentInvestigating, LatestHumanStatus: "Investigating",
		Permalink: "https://s.test/incidents/7", OccurredAt: utc("2024-05-03 10:00:00"),
		CreatedAt: utc("2024-05-03 10:00:00"), UpdatedAt: utc("2024-05-03 10:00:00")}
	if diff := cmp.Diff(want, w.model()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecodeIncident2_3: v2.3.18's incident (app/Presenters/
// IncidentPresenter.php:191-199): scheduled_at, no occurred_at, uncast
// status and component_id (strings on SQLite), and the notify attribute
// ReportIncidentCommandHandler.php:102 sets on a POST answer.
func TestDecodeIncident2_3(t *testing.T) {
	body := []byte(`{"data":{"name":"Maintenance","status":"0","visible":1,"message":"m","component_id":"3",` +
		`"updated_at":"2024-05-03 10:00:00","created_at":"2024-05-03 10:00:00","id":2,"notify":true,` +
		`"human_status":"Scheduled","scheduled_at":"2024-05-04 22:00:00"}}`)
	var w wireIncident
	decodeData(t, body, &w, nil)
	want := Incident{ID: 2, ComponentID: 3, Name: "Maintenance", Status: 0, HumanStatus: "Scheduled", Visible: true,
		Message: "m", Meta: Meta{}, ScheduledAt: utc("2024-05-04 22:00:00"),
		CreatedAt: utc("2024-05-03 10:00:00"), UpdatedAt: utc("2024-05-03 10:00:00")}
	if diff := cmp.Diff(want, w.model()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecodeScheduleNullMessage: schedules.message is nullable
// (2016_10_30_174400_CreateSchedulesTable.php) and a create without one
// leaves it null; the POST answer has no message, components or deleted_at
// (app/Models/Schedule.php:134, SchedulePresenter.php:251-260).
func TestDecodeScheduleNullMessage(t *testing.T) {
	for _, body := range []string{
		`{"data":{"id":1,"name":"S","message":null,"status":0,"scheduled_at":"2030-01-01 10:00:00","completed_at":"2024-05-03 10:00:00","created_at":"2024-05-03 10:00:00","updated_at":"2024-05-03 10:00:00","deleted_at":null,"human_status":"Upcoming","components":[]}}`,
		`{"data":{"status":0,"name":"S","scheduled_at":"2030-01-01 10:00:00","updated_at":"2024-05-03 10:00:00","created_at":"2024-05-03 10:00:00","id":1,"human_status":"Upcoming","completed_at":"2024-05-03 10:00:00"}}`,
	} {
		var w wireSchedule
		decodeData(t, []byte(body), &w, nil)
		if s := w.model(); s.ID != 1 || s.Message != "" || s.Name != "S" || !s.ScheduledAt.Equal(utc("2030-01-01 10:00:00")) {
			t.Errorf("decoded %+v", s)
		}
	}
}

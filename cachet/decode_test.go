package cachet

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) time.Time {
	t, err := time.ParseInLocation(layoutDateTime, s, time.UTC)
	if err != nil {
		panic(err)
	}
	return t
}

// decodeData decodes a success body's data (and meta) the way the client does.
func decodeData(t testing.TB, body []byte, out, meta any) {
	t.Helper()
	r := &request{method: http.MethodGet, path: "/x", out: out, meta: meta}
	if err := decodeEnvelope(r, "/api/v1/x", 200, body); err != nil {
		t.Fatal(err)
	}
}

var apiComponent = Component{
	ID: 1, Name: "API", Description: "Public REST API", Link: "https://api.example.com",
	Status: StatusOperational, StatusName: "Operational", Order: 0, GroupID: 1, Enabled: true,
	Meta:      Meta{"owner": "platform-team"},
	Tags:      Tags{"production": "Production", "eu-west": "EU West"},
	CreatedAt: utc("2024-05-01 10:15:30"), UpdatedAt: utc("2024-05-02 08:00:00"),
}

var websiteComponent = Component{
	ID: 2, Name: "Website", Status: StatusPartialOutage, StatusName: "Partial Outage", Order: 1, GroupID: 1,
	Enabled: true, Meta: Meta{}, Tags: Tags{},
	CreatedAt: utc("2024-05-01 10:16:02"), UpdatedAt: utc("2024-05-03 07:45:11"),
}

func TestDecodeComponentFixtures(t *testing.T) {
	var w wireComponent
	decodeData(t, readFixture(t, "component.json"), &w, nil)
	if diff := cmp.Diff(apiComponent, w.model()); diff != "" {
		t.Errorf("component.json (-want +got):\n%s", diff)
	}

	w = wireComponent{}
	decodeData(t, readFixture(t, "component_created.json"), &w, nil)
	want := Component{
		ID: 7, Name: "Checkout", Status: StatusOperational, StatusName: "Operational", GroupID: 1, Enabled: true,
		Meta: Meta{}, Tags: Tags{"production": "Production", "eu-west": "EU West"},
		CreatedAt: utc("2024-05-03 09:00:00"), UpdatedAt: utc("2024-05-03 09:00:00"),
	}
	if diff := cmp.Diff(want, w.model()); diff != "" {
		t.Errorf("component_created.json (-want +got):\n%s", diff)
	}

	var page []wireComponent
	var meta wireListMeta
	decodeData(t, readFixture(t, "components_page1.json"), &page, &meta)
	if len(page) != 2 {
		t.Fatalf("got %d components, want 2", len(page))
	}
	if diff := cmp.Diff(websiteComponent, page[1].model()); diff != "" {
		t.Errorf("components_page1.json[1] (-want +got):\n%s", diff)
	}
	wantPag := Pagination{Total: 3, Count: 2, PerPage: 2, CurrentPage: 1, TotalPages: 2,
		NextPage: "https://status.example.com/api/v1/components?per_page=2&page=2"}
	if diff := cmp.Diff(wantPag, meta.Pagination.model()); diff != "" {
		t.Errorf("pagination (-want +got):\n%s", diff)
	}
}

func TestDecodeGroupFixtures(t *testing.T) {
	var w wireGroup
	decodeData(t, readFixture(t, "component_group.json"), &w, nil)
	want := ComponentGroup{
		ID: 1, Name: "Customer facing", Order: 0, Collapsed: GroupCollapsedUnlessIncident,
		Visible: GroupPublic, HasVisibility: true,
		EnabledComponents:       []Component{apiComponent, websiteComponent},
		EnabledComponentsLowest: []Component{websiteComponent, apiComponent},
		LowestHumanStatus:       "Partial Outage",
		CreatedAt:               utc("2024-05-01 10:14:00"), UpdatedAt: utc("2024-05-01 10:14:00"),
	}
	got := w.model()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("component_group.json (-want +got):\n%s", diff)
	}
	if got.IsOperational() || !got.IsCollapsed() || got.IsOpen() {
		t.Errorf("helpers: operational=%v collapsed=%v open=%v", got.IsOperational(), got.IsCollapsed(), got.IsOpen())
	}

	w = wireGroup{}
	decodeData(t, readFixture(t, "component_group_created.json"), &w, nil)
	want = ComponentGroup{ID: 4, Name: "Internal tools", Order: 3, Collapsed: GroupCollapsedAlways,
		Visible: GroupPublic, HasVisibility: true,
		CreatedAt: utc("2024-05-03 09:05:00"), UpdatedAt: utc("2024-05-03 09:05:00")}
	got = w.model()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("component_group_created.json (-want +got):\n%s", diff)
	}
	if !got.IsOperational() {
		t.Error("a group without members should be operational")
	}
}

func TestDecodeSubscriberFixtures(t *testing.T) {
	subs := []Subscription{
		{ID: 31, SubscriberID: 12, ComponentID: 1, CreatedAt: utc("2024-05-03 09:10:00"), UpdatedAt: utc("2024-05-03 09:10:00")},
		{ID: 32, SubscriberID: 12, ComponentID: 3, CreatedAt: utc("2024-05-03 09:10:00"), UpdatedAt: utc("2024-05-03 09:10:00")},
	}
	want := Subscriber{
		ID: 12, Email: "oncall@example.com", VerifyCode: "q7Lw2XnB0sVe9TzR4yHkA1mCdP6uJfG3oN8iKbQx5W",
		Verified: true, VerifiedAt: utc("2024-05-03 00:00:00"), Global: true, Subscriptions: subs,
		CreatedAt: utc("2024-05-03 09:10:00"), UpdatedAt: utc("2024-05-03 09:10:00"),
	}
	var w wireSubscriber
	decodeData(t, readFixture(t, "subscriber_created.json"), &w, nil)
	if diff := cmp.Diff(want, w.model()); diff != "" {
		t.Errorf("subscriber_created.json (-want +got):\n%s", diff)
	}

	var page []wireSubscriber
	var meta wireListMeta
	decodeData(t, readFixture(t, "subscribers_page1.json"), &page, &meta)
	if len(page) != 1 {
		t.Fatalf("got %d subscribers", len(page))
	}
	if diff := cmp.Diff(want, page[0].model()); diff != "" {
		t.Errorf("subscribers_page1.json (-want +got):\n%s", diff)
	}
	if got := page[0].model().ComponentIDs(); !cmp.Equal(got, []int{1, 3}) {
		t.Errorf("ComponentIDs = %v", got)
	}
	if p := meta.Pagination.model(); p.Total != 1 || p.PerPage != 20 || p.NextPage != "" {
		t.Errorf("pagination = %+v", p)
	}
}

func TestDecodeIncidentFixture(t *testing.T) {
	var w wireIncident
	decodeData(t, readFixture(t, "incident.json"), &w, nil)
	want := Incident{
		ID: 1, UserID: 1, ComponentID: 2, Name: "Checkout errors", Status: IncidentIdentified, HumanStatus: "Identified",
		Visible: true, Message: "We are investigating elevated error rates on checkout.",
		Meta: Meta{"ticket": "OPS-42"},
		Updates: []IncidentUpdate{{
			ID: 4, IncidentID: 1, Status: IncidentIdentified, HumanStatus: "Identified", UserID: 1,
			Message:   "Root cause identified: a bad deploy of the payment gateway.",
			Permalink: "https://status.example.com/incidents/1#update-4",
			CreatedAt: utc("2024-05-03 09:20:00"), UpdatedAt: utc("2024-05-03 09:20:00"),
		}},
		LatestUpdateID: 4, LatestStatus: IncidentIdentified, LatestHumanStatus: "Identified",
		Permalink: "https://status.example.com/incidents/1", Duration: 4968,
		OccurredAt: utc("2024-05-03 08:55:00"), CreatedAt: utc("2024-05-03 08:57:12"), UpdatedAt: utc("2024-05-03 09:20:00"),
	}
	if diff := cmp.Diff(want, w.model()); diff != "" {
		t.Errorf("incident.json (-want +got):\n%s", diff)
	}
}

func TestDecodeErrorFixtures(t *testing.T) {
	tests := []struct {
		file   string
		status int
		want   APIError
	}{
		{"error_401.json", 401, APIError{StatusCode: 401, Title: "Unauthorized",
			Detail: "Authentication is required and has failed or has not yet been provided."}},
		{"error_404.json", 404, APIError{StatusCode: 404, Title: "Not Found",
			Detail: `No query results for model [CachetHQ\Cachet\Models\Component].`}},
		{"error_validation.json", 400, APIError{StatusCode: 400, Title: "Bad Request",
			Detail:  "The request cannot be fulfilled due to bad syntax.",
			Details: []string{"The name field is required."}}},
	}
	for _, tt := range tests {
		resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
		got := parseAPIError("POST", "/api/v1/components", resp, readFixture(t, tt.file))
		tt.want.Method, tt.want.Path = "POST", "/api/v1/components"
		if diff := cmp.Diff(&tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, diff)
		}
	}

	// A body that is not Cachet's (a proxy's HTML page) still gives an APIError.
	resp := &http.Response{StatusCode: 502, Header: http.Header{"Retry-After": {"3"}}}
	got := parseAPIError("GET", "/api/v1/ping", resp, []byte("<html>\n  <body>Bad   gateway</body></html>"))
	want := &APIError{StatusCode: 502, Title: "Bad Gateway", Detail: "<html> <body>Bad gateway</body></html>",
		Method: "GET", Path: "/api/v1/ping", RetryAfter: 3 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("non-JSON error (-want +got):\n%s", diff)
	}
}

// Cachet 2.3 on SQLite sends uncast columns as strings and has no meta or
// visible key; some fields arrive as null.
func TestDecodeCachet23Shapes(t *testing.T) {
	body := `{"data":{"id":3,"name":"DB","description":null,"link":null,"status":"2","order":"4",
		"group_id":"0","enabled":"1","created_at":"2019-05-14 10:00:00","updated_at":"2019-05-14 10:00:00",
		"status_name":"Performance Issues","tags":[]}}`
	var w wireComponent
	decodeData(t, []byte(body), &w, nil)
	got := w.model()
	want := Component{ID: 3, Name: "DB", Status: StatusPerformanceIssues, StatusName: "Performance Issues",
		Order: 4, Enabled: true, Tags: Tags{}, CreatedAt: utc("2019-05-14 10:00:00"), UpdatedAt: utc("2019-05-14 10:00:00")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("2.3 component (-want +got):\n%s", diff)
	}
	if got.Meta != nil {
		t.Errorf("absent meta should decode as nil, got %#v", got.Meta)
	}

	for _, meta := range []string{`null`, `[]`, `[ ]`} {
		var w wireComponent
		decodeData(t, []byte(`{"data":{"id":1,"meta":`+meta+`}}`), &w, nil)
		if m := w.model().Meta; m == nil || len(m) != 0 {
			t.Errorf("meta %s decoded as %#v, want empty non-nil map", meta, m)
		}
	}

	var g wireGroup
	decodeData(t, []byte(`{"data":{"id":"2","name":"G","order":"1","collapsed":"0","lowest_human_status":null}}`), &g, nil)
	if gm := g.model(); gm.HasVisibility || gm.Visible != GroupPublic || gm.ID != 2 || gm.Order != 1 {
		t.Errorf("2.3 group = %+v", gm)
	}

	var in wireIncident
	decodeData(t, []byte(`{"data":{"id":5,"status":"4","component_id":"0","visible":"1","user_id":null,"meta":[]}}`), &in, nil)
	if im := in.model(); im.Status != IncidentFixed || !im.Visible || im.UserID != 0 || im.Meta == nil {
		t.Errorf("2.3 incident = %+v", im)
	}
}

func TestFlexInt(t *testing.T) {
	for in, want := range map[string]int{`1`: 1, `"12"`: 12, `" 7 "`: 7, `null`: 0, `true`: 1, `false`: 0, `""`: 0, `3.0`: 3, `"4.0"`: 4} {
		var n flexInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || int(n) != want {
			t.Errorf("%s: got %d, %v; want %d", in, n, err, want)
		}
	}
	for _, in := range []string{`"abc"`, `1.5`, `{}`, `[]`, `1e300`} {
		var n flexInt
		if err := json.Unmarshal([]byte(in), &n); err == nil {
			t.Errorf("%s: want an error, got %d", in, n)
		}
	}
}

func TestFlexBoolAndTags(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `1`: true, `"1"`: true, `"true"`: true, `0`: false, `"0"`: false, `null`: false, `false`: false} {
		var b flexBool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("%s: got %v, %v", in, b, err)
		}
	}
	for in, want := range map[string]Tags{
		`[]`:                        {},
		`null`:                      {},
		`{"eu-west":"EU West"}`:     {"eu-west": "EU West"},
		`["EU West", "Production"]`: {"eu-west": "EU West", "production": "Production"},
	} {
		var tg wireTags
		if err := json.Unmarshal([]byte(in), &tg); err != nil || !cmp.Equal(Tags(tg), want) {
			t.Errorf("tags %s: got %v, %v", in, tg, err)
		}
	}
}

func TestHumanTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"Friday 3rd May 2024 00:00:00"`:       utc("2024-05-03 00:00:00"),
		`"Monday 21st October 2024 13:14:15"`:  utc("2024-10-21 13:14:15"),
		`"Tuesday 22nd October 2024 00:00:00"`: utc("2024-10-22 00:00:00"),
		`"2024-05-03 09:10:00"`:                utc("2024-05-03 09:10:00"),
		`"3 mai 2024"`:                         {},
		`null`:                                 {},
	} {
		var h humanTime
		if err := json.Unmarshal([]byte(in), &h); err != nil || !time.Time(h).Equal(want) {
			t.Errorf("%s: got %v, %v; want %v", in, time.Time(h), err, want)
		}
	}
}

func TestFlexTimeRejectsGarbage(t *testing.T) {
	var ft flexTime
	if err := json.Unmarshal([]byte(`"yesterday"`), &ft); err == nil {
		t.Error("want an error for an unreadable timestamp")
	}
	if err := json.Unmarshal([]byte(`null`), &ft); err != nil || !time.Time(ft).IsZero() {
		t.Errorf("null: %v %v", ft, err)
	}
}

func TestBackoffBounds(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	for attempt := 1; attempt < 10; attempt++ {
		ceil := min(p.MaxBackoff, p.MinBackoff<<(attempt-1))
		for range 50 {
			if d := p.backoff(attempt); d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", attempt, d, ceil)
			}
		}
	}
	if d := (RetryPolicy{MaxAttempts: 2}).backoff(3); d != 0 {
		t.Errorf("zero policy backoff = %v", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"2": 2 * time.Second, "": 0, "-1": 0, "soon": 0,
		now.Add(5 * time.Second).Format(http.TimeFormat): 5 * time.Second,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("%q: got %v, want %v", in, got, want)
		}
	}
}

// FuzzDecode feeds arbitrary bodies to every decoder the client uses: none
// may panic.
func FuzzDecode(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" {
			f.Add(readFixture(f, e.Name()))
		}
	}
	f.Add([]byte(`{"data":{"id":"1","status":"2","meta":[],"tags":[],"enabled":"0"}}`))
	f.Add([]byte(`{"data":{"verified_at":"Friday 3rd May 2024 00:00:00","global":null}}`))
	f.Add([]byte(`{"errors":[{"status":"400","meta":{"details":{"name":["x"]}}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		get := func(out, meta any) {
			_ = decodeEnvelope(&request{method: "GET", path: "/f", out: out, meta: meta}, "/api/v1/f", 200, body)
		}
		var c wireComponent
		get(&c, nil)
		_ = c.model()
		var cs []wireComponent
		var m wireListMeta
		get(&cs, &m)
		_ = m.Pagination.model()
		var g wireGroup
		get(&g, nil)
		_ = g.model()
		var s wireSubscriber
		get(&s, nil)
		_ = s.model()
		var ss []wireSubscriber
		get(&ss, &m)
		var in wireIncident
		get(&in, nil)
		_ = in.model()
		var sc wireSchedule
		get(&sc, nil)
		_ = sc.model()
		var mp wireMetricPoint
		get(&mp, nil)
		var mt wireMetric
		get(&mt, nil)
		var e APIError
		decodeAPIError(&e, body)
		_ = e.Error()
		_ = parseAPIError("GET", "/f", &http.Response{StatusCode: 500, Header: http.Header{}}, body).Error()
	})
}

func TestFastPathsAgreeWithGenericDecoding(t *testing.T) {
	for _, in := range []string{`"plain"`, `"with \"escape\""`, `"caf\u00e9"`, `"é"`, `""`, `null`, `12`, `-3`, `"7"`, `true`, `0`, `1`} {
		var s flexString
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Errorf("flexString %s: %v", in, err)
		}
		var want any
		_ = json.Unmarshal([]byte(in), &want)
		if str, ok := want.(string); ok && string(s) != str {
			t.Errorf("flexString %s = %q, want %q", in, s, str)
		}
	}
	for in, want := range map[string]int{`12`: 12, `-3`: -3, `"7"`: 7, `null`: 0, `true`: 1, `4.0`: 4} {
		var n flexInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || int(n) != want {
			t.Errorf("flexInt %s = %d, %v; want %d", in, n, err, want)
		}
	}
	for in, want := range map[string]bool{`true`: true, `false`: false, `1`: true, `0`: false, `"1"`: true, `null`: false} {
		var b flexBool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("flexBool %s = %v, %v; want %v", in, b, err, want)
		}
	}
}

package cachet

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// slowSubscriber is wireSubscriber decoded by encoding/json alone.
type slowSubscriber wireSubscriber

// fastSubscriberCases are subscriber objects of every shape the fast path
// meets or must refuse: Cachet's own, odd spellings, duplicates, nulls,
// escapes, wrong kinds and values its fields refuse.
var fastSubscriberCases = []string{
	`{"id":12,"email":"oncall@example.com","verify_code":"q7","verified_at":"Friday 3rd May 2024 00:00:00","phone_number":null,"slack_webhook_url":null,"created_at":"2024-05-03 09:10:00","updated_at":"2024-05-03 09:10:00","subscriptions":[{"id":31,"subscriber_id":12,"component_id":1,"created_at":"2024-05-03 09:10:00","updated_at":"2024-05-03 09:10:00"}]}`,
	` { "id" : "7" , "email" : "a\u0040b.test" , "global" : 0 , "subscriptions" : [ ] } `,
	`{"id":1,"global":null,"subscriptions":null}`,
	`{"id":1,"global":"true","subscriptions":[{"id":"2","component_id":"3","extra":{"x":[1,{"y":"}"}]}}]}`,
	`{"id":1,"Email":"x@y.test"}`,
	`{"id":1,"email":"a@b.test","email":"c@d.test"}`,
	`{"id":1,"subscriptions":[{"id":2},{"id":3,"id":4}]}`,
	`{"id":1,"subscriptions":[{"id":2,"Component_ID":9}]}`,
	`{"id":1,"subscriptions":{"a":1}}`,
	`{"id":1,"subscriptions":[null]}`,
	`{"id":1,"subscriptions":[1,2]}`,
	`{"id":1,"subscriptions":"x"}`,
	`{"id":0,"email":"x"}`,
	`{"id":1.5}`,
	`{"id":1,"global":"maybe"}`,
	`{"id":1,"created_at":"yesterday"}`,
	`{"id":1,"verified_at":"2024-05-03 00:00:00","email":12,"verify_code":true}`,
	`{"id":1,"\u0065mail":"x@y.test"}`,
	`{"id":1,"ſubscriptions":[{"id":2}]}`,
	`{"id":1,"unknown":{"email":"z"},"other":[1,"]",{}],"n":-1.5e3,"t":true}`,
	`{}`,
	`null`,
	`[]`,
	`"x"`,
	`{"id":1,"email":"é@x.test","slack_webhook_url":"https:\/\/x"}`,
}

// corpusBodies reads the FuzzDecode seed corpus.
func corpusBodies(t *testing.T) [][]byte {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if q, ok := strings.CutPrefix(line, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatalf("%s: %v", e.Name(), err)
				}
				out = append(out, []byte(s))
			}
		}
	}
	return out
}

// compareSubscriberDecoding decodes body as a subscriber and as a list of
// them, with the fast path and with encoding/json alone, and fails when one
// fails and the other does not, or when both succeed with different values
// (on an error the client drops what was decoded).
func compareSubscriberDecoding(t *testing.T, body []byte) {
	t.Helper()
	comparePages(t, body)
	if !json.Valid(body) {
		return
	}
	var fast wireSubscriber
	var slow slowSubscriber
	fe, se := json.Unmarshal(body, &fast), json.Unmarshal(body, &slow)
	if (fe == nil) != (se == nil) {
		t.Fatalf("%s: fast path error %v, encoding/json %v", body, fe, se)
	}
	if fe == nil && !reflect.DeepEqual(fast, wireSubscriber(slow)) {
		t.Fatalf("%s:\nfast path %+v\nencoding/json %+v", body, fast, slow)
	}
	var fastList []wireSubscriber
	var slowList []slowSubscriber
	fe, se = json.Unmarshal(body, &fastList), json.Unmarshal(body, &slowList)
	if (fe == nil) != (se == nil) {
		t.Fatalf("%s: list: fast path error %v, encoding/json %v", body, fe, se)
	}
	if fe != nil {
		return // an error's text names the types, and the values are dropped
	}
	if len(fastList) != len(slowList) {
		t.Fatalf("%s: list: %d vs %d subscribers", body, len(fastList), len(slowList))
	}
	for i := range fastList {
		if !reflect.DeepEqual(fastList[i], wireSubscriber(slowList[i])) {
			t.Fatalf("%s: list item %d:\nfast path %+v\nencoding/json %+v", body, i, fastList[i], slowList[i])
		}
	}
}

// comparePages decodes body as a page of subscribers the way the client
// does (decodeEnvelope, with decodeSubscriberPage) and with encoding/json
// alone, and fails when one fails and the other does not, or when both
// succeed with different items or pagination.
func comparePages(t *testing.T, body []byte) {
	t.Helper()
	var direct []wireSubscriber
	if _, ok := decodeSubscriberPage(body, &direct); ok && !json.Valid(body) {
		t.Fatalf("%q: the page fast path accepts invalid JSON", body)
	}
	var fast []wireSubscriber
	var slow []slowSubscriber
	var fastMeta, slowMeta wireListMeta
	fe := decodeEnvelope(&request{method: "GET", path: "/s", out: &fast, meta: &fastMeta}, "/api/v1/s", 200, body)
	se := decodeEnvelope(&request{method: "GET", path: "/s", out: &slow, meta: &slowMeta}, "/api/v1/s", 200, body)
	if (fe == nil) != (se == nil) {
		t.Fatalf("%s: page: fast path error %v, encoding/json %v", body, fe, se)
	}
	if fe != nil {
		return
	}
	if (fast == nil) != (slow == nil) || len(fast) != len(slow) || !reflect.DeepEqual(fastMeta, slowMeta) {
		t.Fatalf("%s: page: fast path %d items (nil %t), meta %+v; encoding/json %d items (nil %t), meta %+v",
			body, len(fast), fast == nil, fastMeta, len(slow), slow == nil, slowMeta)
	}
	for i := range fast {
		if !reflect.DeepEqual(fast[i], wireSubscriber(slow[i])) {
			t.Fatalf("%s: page item %d:\nfast path %+v\nencoding/json %+v", body, i, fast[i], slow[i])
		}
	}
}

// TestFastSubscriberDecoding: the subscriber fast path gives what
// encoding/json gives (values and errors) on the fixtures, the FuzzDecode
// corpus, their "data" members, the cases above and each case as a list
// member; and it is taken for Cachet's own subscriber objects.
func TestFastSubscriberDecoding(t *testing.T) {
	var bodies [][]byte
	for _, name := range []string{"subscribers_page1.json", "subscriber_created.json"} {
		bodies = append(bodies, readFixture(t, name))
	}
	bodies = append(bodies, corpusBodies(t)...)
	for _, c := range fastSubscriberCases {
		bodies = append(bodies, []byte(c), []byte("["+c+","+c+"]"),
			[]byte(`{"meta":{"pagination":{"total":2,"per_page":"5"}},"data":[`+c+","+c+"]}"))
	}
	for _, page := range []string{`{"data":[]}`, `{"data":null}`, `{"meta":[]}`, `{"data":[],"data":[]}`, `{"Data":[{"id":1}]}`, `{"data":[],"Data":[{"id":1}]}`, `{"data":[{"id":1}],"data":[]}`,
		`{"data":[{"id":1}],"meta":null}`, `{"data":[{"id":1}],"meta":{"pagination":{"links":{"next_page":"x"}}},"other":[1,{"a":"]"}]}`,
		`{"data":[{"id":1},null]}`, `{"data":{"id":1}}`, `{"data":[{"id":1}],"meta":{"pagination":"x"}}`, `{"data":[{"id":1}],"meta":1}`,
		` {"data" : [ {"id":1} , {"id":2} ] } `, `{"data":[{"id":1}],"Meta":{"pagination":{"total":1}}}`,
		// Invalid JSON, which the fast path must refuse.
		"{\"data\":[{\"id\":1,\"email\":\"a\x01\"}]}", `{"data":[{"id":01}]}`, `{"data":[{"id":1}]} x`, `{"data":[{"id":1,"x":{"a":}}]}`,
		`{"data":[{"id":1}],"meta":{"p":}}`, `{"data":[{"id":1,"email":"\q"}]}`, `{"data":[{"id":1.}]}`, `{"data":[{"id":-}]}`,
		`{"data":[{"id":tru}]}`, `{"data":[{"id":1}],}`, `{"data":[{"id":1},]}`, `{"data":[{"id":1,}]}`, `{"data":[{"id":1}]`,
		`{"data":[{"id":1,"subscriptions":[{"id":2}}]}]}`, `{"data":[{"id":1,"email":"\u12g4"}]}`, `{"data":[{"id":1e}]}`,
		"{\"data\":[{\"id\":1,\"k\x01\":2}]}", `{"data":[{"id":1,"verified_at":[1,]}]}`, `{"data":[{"id":1 2}]}`} {
		bodies = append(bodies, []byte(page))
	}
	for _, body := range bodies {
		compareSubscriberDecoding(t, body)
		var env struct{ Data json.RawMessage }
		if json.Unmarshal(body, &env) == nil && env.Data != nil {
			compareSubscriberDecoding(t, env.Data)
		}
	}
	var page struct{ Data []json.RawMessage }
	if err := json.Unmarshal(readFixture(t, "subscribers_page1.json"), &page); err != nil || len(page.Data) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	if _, ok := decodeSubscriberFast(page.Data[0]); !ok {
		t.Errorf("the fast path refuses Cachet's subscriber %s", page.Data[0])
	}
	if _, ok := decodeSubscriberFast([]byte(fastSubscriberCases[0])); !ok {
		t.Errorf("the fast path refuses %s", fastSubscriberCases[0])
	}
	var out []wireSubscriber
	if _, ok := decodeSubscriberPage(readFixture(t, "subscribers_page1.json"), &out); !ok || len(out) != 1 {
		t.Errorf("the page fast path refuses subscribers_page1.json")
	}
}

// TestFastSubscriberDecodingKeepsExisting: decoding into a subscriber that
// already holds subscriptions or a global flag goes through encoding/json,
// which reuses them; the result is the same as encoding/json's.
func TestFastSubscriberDecodingKeepsExisting(t *testing.T) {
	g := flexBool(true)
	body := []byte(`{"id":3,"subscriptions":[{"id":5}]}`)
	fast := wireSubscriber{Global: &g, Subscriptions: []wireSubscription{{ID: 1}, {ID: 2}}}
	slow := slowSubscriber{Global: &g, Subscriptions: []wireSubscription{{ID: 1}, {ID: 2}}}
	if err := json.Unmarshal(body, &fast); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &slow); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, wireSubscriber(slow)) {
		t.Errorf("fast path %+v\nencoding/json %+v", fast, slow)
	}
}

// FuzzSubscriberFastPath compares the subscriber fast path with
// encoding/json on any JSON text.
func FuzzSubscriberFastPath(f *testing.F) {
	for _, c := range fastSubscriberCases {
		f.Add([]byte(c))
		f.Add([]byte(`{"data":[` + c + `],"meta":{"pagination":{"total":1}}}`))
	}
	f.Fuzz(func(t *testing.T, body []byte) { compareSubscriberDecoding(t, body) })
}

// TestDateTimeLiteral: the hand-written reader of "YYYY-MM-DD hh:mm:ss"
// accepts only what time.ParseInLocation accepts, with the same time, on
// edge dates and on random texts of digits and separators.
func TestDateTimeLiteral(t *testing.T) {
	check := func(s string) bool {
		got, ok := dateTimeLiteral([]byte(strconv.Quote(s)))
		want, err := time.ParseInLocation(layoutDateTime, s, time.UTC)
		if ok && (err != nil || !got.Equal(want) || got.Location() != want.Location()) {
			t.Fatalf("dateTimeLiteral(%q) = %v; time.ParseInLocation %v, %v", s, got, want, err)
		}
		return ok
	}
	accepted := 0
	for _, s := range []string{"2024-05-03 09:10:00", "2024-02-29 23:59:59", "2023-02-29 00:00:00", "2024-04-31 00:00:00",
		"0000-01-01 00:00:00", "9999-12-31 23:59:59", "2024-13-01 00:00:00", "2024-00-10 00:00:00", "2024-01-00 00:00:00",
		"2024-01-01 24:00:00", "2024-01-01 00:60:00", "2024-01-01 00:00:60", "2024-01-01T00:00:00", "2024-1-01 00:00:000",
		"+024-01-01 00:00:00", "2024-01-01 0:00:000", " 2024-01-01 00:00:0"} {
		if check(s) {
			accepted++
		}
	}
	rng := rand.New(rand.NewPCG(7, 13))
	const pieces = "0123456789-: T+"
	for range 50000 {
		b := []byte("2024-05-03 09:10:00")
		for range 1 + rng.IntN(3) {
			b[rng.IntN(len(b))] = pieces[rng.IntN(len(pieces))]
		}
		if check(string(b)) {
			accepted++
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d texts accepted", accepted)
	}
}

// BenchmarkDecodeSubscriberPage decodes a page of 1,000 subscribers with
// three subscriptions each, as the client does.
func BenchmarkDecodeSubscriberPage(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"meta":{"pagination":{"total":1000,"count":1000,"per_page":1000,"current_page":1,"total_pages":1,"links":{"next_page":null,"previous_page":null}}},"data":[`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"email":"user%d@example.com","verify_code":"q7Lw2XnB0sVe9TzR4yHkA1mCdP6uJfG3oN8iKbQx5W","verified_at":"Friday 3rd May 2024 00:00:00","global":false,"phone_number":null,"slack_webhook_url":null,"created_at":"2024-05-03 09:10:00","updated_at":"2024-05-03 09:10:00","subscriptions":[`, i+1, i)
		for j := range 3 {
			if j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"id":%d,"subscriber_id":%d,"component_id":%d,"created_at":"2024-05-03 09:10:00","updated_at":"2024-05-03 09:10:00"}`, 3*i+j+1, i+1, j+1)
		}
		sb.WriteString("]}")
	}
	sb.WriteString("]}")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var page []wireSubscriber
		var meta wireListMeta
		if err := decodeEnvelope(&request{method: "GET", path: "/s", out: &page, meta: &meta}, "/api/v1/s", 200, body); err != nil || len(page) != 1000 {
			b.Fatal(err, len(page))
		}
	}
}

// TestHumanDateLiteral proves that the shortcut for verified_at reads what
// it accepts exactly as parseHumanTime does (the generic layouts), on
// Cachet's rendering of every day of a leap year and on 50,000 mutations of
// it, and that it accepts Cachet's default rendering.
func TestHumanDateLiteral(t *testing.T) {
	check := func(s string) bool {
		got, ok := humanDateLiteral([]byte(s))
		want := parseHumanTime(s)
		if ok && (!got.Equal(want) || got.Location() != want.Location()) {
			t.Fatalf("humanDateLiteral(%q) = %v; parseHumanTime %v", s, got, want)
		}
		return ok
	}
	ordinal := func(d int) string {
		switch {
		case d%10 == 1 && d != 11:
			return "st"
		case d%10 == 2 && d != 12:
			return "nd"
		case d%10 == 3 && d != 13:
			return "rd"
		}
		return "th"
	}
	var cachet []string
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2024; d = d.Add(25*time.Hour + 61*time.Second) {
		// Cachet's incident_date_format default, "l jS F Y H:i:s".
		s := fmt.Sprintf("%s %d%s %s %d %s", d.Weekday(), d.Day(), ordinal(d.Day()), d.Month(), d.Year(), d.Format("15:04:05"))
		if !check(s) {
			t.Fatalf("%q: the shortcut declined Cachet's default rendering", s)
		}
		cachet = append(cachet, s)
	}
	rng := rand.New(rand.NewPCG(7, 13))
	pieces := []string{"0", "1", "3", "9", " ", "  ", ":", "st", "th", "x", "Monday", "May", "Mai", "", ".5", "-", "+", "February 30", "31"}
	accepted := 0
	for range 50000 {
		s := cachet[rng.IntN(len(cachet))]
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(s) + 1)
			j := min(len(s), i+rng.IntN(3))
			s = s[:i] + pieces[rng.IntN(len(pieces))] + s[j:]
		}
		if check(s) {
			accepted++
		}
	}
	if accepted < 500 {
		t.Errorf("only %d texts accepted", accepted)
	}
}

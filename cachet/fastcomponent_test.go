package cachet

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// slowComponent and slowGroup are wireComponent and wireGroup decoded by
// encoding/json alone.
type slowComponent wireComponent

type slowGroup struct {
	ID                      wireID          `json:"id"`
	Name                    flexString      `json:"name"`
	Order                   flexInt         `json:"order"`
	Collapsed               flexInt         `json:"collapsed"`
	Visible                 *flexInt        `json:"visible"`
	EnabledComponents       []slowComponent `json:"enabled_components"`
	EnabledComponentsLowest []slowComponent `json:"enabled_components_lowest"`
	LowestHumanStatus       flexString      `json:"lowest_human_status"`
	CreatedAt               flexTime        `json:"created_at"`
	UpdatedAt               flexTime        `json:"updated_at"`
}

// sameAsSlow reports whether fast holds what slow does, field by field
// (slowGroup is its own type, so it is compared through JSON-free
// conversion of its components).
func sameGroups(fast []wireGroup, slow []slowGroup) bool {
	if len(fast) != len(slow) {
		return false
	}
	for i := range fast {
		f, s := fast[i], slow[i]
		conv := func(cs []slowComponent) []wireComponent {
			if cs == nil {
				return nil
			}
			out := make([]wireComponent, len(cs))
			for j, c := range cs {
				out[j] = wireComponent(c)
			}
			return out
		}
		want := wireGroup{ID: s.ID, Name: s.Name, Order: s.Order, Collapsed: s.Collapsed, Visible: s.Visible,
			EnabledComponents: conv(s.EnabledComponents), EnabledComponentsLowest: conv(s.EnabledComponentsLowest),
			LowestHumanStatus: s.LowestHumanStatus, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		if !reflect.DeepEqual(f, want) {
			return false
		}
	}
	return true
}

// compareComponentDecoding decodes body as a component, a list of them, a
// page of them and a page of groups, with the fast path and with
// encoding/json alone, and fails when one fails and the other does not, or
// when both succeed with different values (an error's text names the Go
// types, and on an error the client drops what was decoded).
func compareComponentDecoding(t *testing.T, body []byte) {
	t.Helper()
	sameErr := func(what string, fe, se error) bool {
		t.Helper()
		if (fe == nil) != (se == nil) {
			t.Fatalf("%s: %s: fast path error %v, encoding/json %v", body, what, fe, se)
		}
		return fe == nil
	}
	var fast wireComponent
	var slow slowComponent
	if sameErr("component", json.Unmarshal(body, &fast), json.Unmarshal(body, &slow)) && !reflect.DeepEqual(fast, wireComponent(slow)) {
		t.Fatalf("%s:\nfast path %+v\nencoding/json %+v", body, fast, slow)
	}
	var fastList []wireComponent
	var slowList []slowComponent
	fe := decodeEnvelope(&request{method: "GET", out: &fastList}, "/api/v1/components", 200, body)
	se := decodeEnvelope(&request{method: "GET", out: &slowList}, "/api/v1/components", 200, body)
	if sameErr("component page", fe, se) {
		if len(fastList) != len(slowList) || (fastList == nil) != (slowList == nil) {
			t.Fatalf("%s: page: %d vs %d components", body, len(fastList), len(slowList))
		}
		for i := range fastList {
			if !reflect.DeepEqual(fastList[i], wireComponent(slowList[i])) {
				t.Fatalf("%s: page item %d:\nfast path %+v\nencoding/json %+v", body, i, fastList[i], slowList[i])
			}
		}
	}
	var fastGroups []wireGroup
	var slowGroups []slowGroup
	fe = decodeEnvelope(&request{method: "GET", out: &fastGroups}, "/api/v1/components/groups", 200, body)
	se = decodeEnvelope(&request{method: "GET", out: &slowGroups}, "/api/v1/components/groups", 200, body)
	if sameErr("group page", fe, se) && !sameGroups(fastGroups, slowGroups) {
		t.Fatalf("%s: group page:\nfast path %+v\nencoding/json %+v", body, fastGroups, slowGroups)
	}
}

// fastComponentCases are component objects, Cachet's and odd ones.
var fastComponentCases = []string{
	`{"id":2,"name":"Service 00001","description":"Service number 1","link":"","status":2,"order":2,"group_id":1,"enabled":true,"meta":[],"created_at":"2026-11-30 05:08:12","updated_at":"2026-11-30 05:08:12","deleted_at":null,"status_name":"Performance Issues","tags":[]}`,
	`{"id":4,"name":"Service 00003","link":"https:\/\/status.example.com\/s\/3","status":"4","enabled":1,"meta":{"owner":"team-3"},"tags":{"eu-west":"eu-west","production":"production"}}`,
	`{"id":"7","name":null,"description":null,"link":null,"status":null,"order":null,"group_id":null,"enabled":null,"meta":null,"tags":null,"created_at":null,"updated_at":null}`,
	`{"id":1,"tags":"a,b"}`, `{"id":1,"tags":[{"name":"x"}]}`, `{"id":1,"tags":{"a":null,"b":1}}`, `{"id":1,"meta":"{\"a\":1}"}`, `{"id":1,"meta":[1,2]}`,
	`{"id":1,"Name":"x"}`, `{"id":1,"name":"x","name":"y"}`, `{"id":1,"NAME":"x","name":"y"}`, `{"id":1,"na\u006de":"x"}`, `{}`, `{"id":1,"x":{"y":[1,{"z":"]"}]}}`,
	`{"id":1,"enabled":"yes"}`, `{"id":1,"enabled":"0"}`, `{"id":1,"status":1.5}`, `{"id":1,"order":"x"}`, `{"id":1,"name":{}}`, `{"id":1,"meta":1}`, `{"id":1,"tags":1}`,
	`{"id":1,"created_at":"2024-02-30 00:00:00"}`, `{"id":1,"created_at":"2024-01-01T10:00:00Z"}`, `{"id":1,"created_at":5}`, `{"id":-1}`, `{"id":1e3}`, `{"id":1,"name":"caf\u00e9"}`,
	` { "id" : 1 , "name" : "x" } `, `{"id":1,"ſtatus":2}`, `{"id":1,"\u212aey":2}`, `null`, `[]`, `1`, `"x"`,
}

// fastGroupCases are group objects, odd ones among them.
var fastGroupCases = []string{
	`{"id":1,"name":"Group 000","order":1,"collapsed":0,"visible":1,"created_at":"2026-11-30 05:08:12","updated_at":"2026-11-30 05:08:12","enabled_components":[` + fastComponentCases[0] + `],"enabled_components_lowest":[],"lowest_human_status":"Operational"}`,
	`{"id":2,"visible":null,"enabled_components":null,"enabled_components_lowest":null}`, `{"id":3,"visible":"0","collapsed":"2"}`,
	`{"id":4,"visible":1,"Visible":0}`, `{"id":5,"visible":{}}`, `{"id":6,"enabled_components":{}}`, `{"id":7,"enabled_components":[],"enabled_components":[]}`,
	`{"id":8,"enabled_components":[null]}`, `{"id":9,"enabled_components":[1]}`, `{"id":10,"ENABLED_COMPONENTS":[]}`, `{"id":11,"enabled_components":[{"id":1,"name":"a","name":"b"}]}`,
	`{"id":12,"visible":true}`, `{"id":13,"name":"x","other":[{"a":1}],"enabled_components_lowest":[{"id":2,"tags":{"a":"A"}}]}`,
}

// TestFastComponentDecoding: the component fast path gives what
// encoding/json gives (values and errors) on the fixtures,
// the FuzzDecode corpus, the cases above as objects, lists, component
// pages and groups' component lists, and 20,000 mutations of them; and it
// is taken for Cachet's component objects.
func TestFastComponentDecoding(t *testing.T) {
	var bodies [][]byte
	for _, name := range []string{"component.json", "component_created.json", "component_group.json", "component_group_created.json", "components_page1.json"} {
		bodies = append(bodies, readFixture(t, name))
	}
	bodies = append(bodies, corpusBodies(t)...)
	for _, c := range fastComponentCases {
		bodies = append(bodies, []byte(c), []byte("["+c+","+c+"]"), []byte(`{"data":[`+c+`]}`),
			[]byte(`{"data":[{"id":1,"enabled_components":[`+c+`],"enabled_components_lowest":[`+c+","+c+`]}]}`))
	}
	for _, g := range fastGroupCases {
		bodies = append(bodies, []byte(g), []byte(`{"data":[`+g+`,`+g+`],"meta":{"pagination":{"total":2}}}`))
	}
	rng := rand.New(rand.NewPCG(13, 5))
	bits := []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, ` `, `null`, `1`, `"a"`, `true`, `\u00e9`, "\x01", `"id"`, `"Name"`}
	for range 20000 {
		c := fastComponentCases[rng.IntN(len(fastComponentCases))]
		i := rng.IntN(len(c) + 1)
		j := min(len(c), i+rng.IntN(3))
		c = c[:i] + bits[rng.IntN(len(bits))] + c[j:]
		bodies = append(bodies, []byte(c), []byte(`{"data":[{"id":1,"enabled_components":[`+c+`]}]}`))
		g := fastGroupCases[rng.IntN(len(fastGroupCases))]
		i = rng.IntN(len(g) + 1)
		j = min(len(g), i+rng.IntN(3))
		bodies = append(bodies, []byte(`{"data":[`+g[:i]+bits[rng.IntN(len(bits))]+g[j:]+`]}`))
	}
	taken := 0
	for _, body := range bodies {
		if _, ok := decodeComponentFast(body); ok {
			taken++
		}
		compareComponentDecoding(t, body)
		var env struct{ Data json.RawMessage }
		if json.Unmarshal(body, &env) == nil && env.Data != nil {
			compareComponentDecoding(t, env.Data)
		}
	}
	if taken < 2000 {
		t.Errorf("the fast path took only %d of %d bodies: the mutations no longer exercise it", taken, len(bodies))
	}
	for _, c := range fastComponentCases[:2] {
		if _, ok := decodeComponentFast([]byte(c)); !ok {
			t.Errorf("the fast path refuses %s", c)
		}
	}
	var page struct{ Data []json.RawMessage }
	if err := json.Unmarshal(readFixture(t, "components_page1.json"), &page); err != nil || len(page.Data) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	if _, ok := decodeComponentFast(page.Data[0]); !ok {
		t.Errorf("the fast path refuses Cachet's component %s", page.Data[0])
	}
	for _, fixture := range []string{"components_page1.json", "component_groups_page.json"} {
		if _, err := os.Stat(filepath.Join("testdata", fixture)); err != nil {
			continue
		}
		var comps []wireComponent
		var groups []wireGroup
		var ok bool
		if strings.Contains(fixture, "groups") {
			_, ok = decodePage(readFixture(t, fixture), &groups, decodeGroupAt)
		} else {
			_, ok = decodePage(readFixture(t, fixture), &comps, decodeComponentAt)
		}
		if !ok {
			t.Errorf("the page fast path refuses %s", fixture)
		}
	}
	var groups []wireGroup
	if _, ok := decodePage([]byte(`{"data":[`+fastGroupCases[0]+`],"meta":[]}`), &groups, decodeGroupAt); !ok {
		t.Errorf("the page fast path refuses a page of Cachet's groups")
	}
}

// TestFastComponentDecodingKeepsExisting: decoding into a component that
// already holds values (encoding/json reuses a slice's spare elements)
// goes through encoding/json, which keeps the fields the object leaves
// out; the result is the same as encoding/json's.
func TestFastComponentDecodingKeepsExisting(t *testing.T) {
	body := []byte(`[{"id":3,"tags":{"a":"A"}},{"id":4}]`)
	fast := make([]wireComponent, 2, 2)
	fast[0] = wireComponent{Name: "kept", Tags: wireTags{"b": "B"}}
	fast = fast[:0]
	slow := make([]slowComponent, 2, 2)
	slow[0] = slowComponent{Name: "kept", Tags: wireTags{"b": "B"}}
	slow = slow[:0]
	if err := json.Unmarshal(body, &fast); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &slow); err != nil {
		t.Fatal(err)
	}
	if len(fast) != 2 || !reflect.DeepEqual(fast[0], wireComponent(slow[0])) || fast[0].Name != "kept" {
		t.Errorf("fast path %+v\nencoding/json %+v", fast, slow)
	}
}

// FuzzComponentFastPath compares the component fast path with
// encoding/json on any JSON text.
func FuzzComponentFastPath(f *testing.F) {
	for _, c := range fastComponentCases {
		f.Add([]byte(c))
		f.Add([]byte(`{"data":[{"id":1,"enabled_components":[` + c + `]}]}`))
	}
	f.Fuzz(func(t *testing.T, body []byte) { compareComponentDecoding(t, body) })
}

// TestPlainTags: the tags shortcut gives what the generic reading gives,
// on Cachet's shapes, odd ones and 20,000 mutations of them, and is taken
// for Cachet's {"slug":"Name"}, [] and null.
func TestPlainTags(t *testing.T) {
	cases := []string{`[]`, `null`, `{"eu-west":"EU West","production":"Production"}`, `{}`, ` {"a" : "A" } `, `{"a":"A","a":"B"}`,
		`{"a":"caf\u00e9"}`, `{"a":null}`, `{"a":1}`, `{"A":"x","a":"y"}`, `["a","b"]`, `"a,b"`, `{"a":"\u0000"}`, `{"é":"x"}`, `[ ]`, `{"a":"A",}`}
	for _, c := range cases[:3] {
		if _, ok := plainTags([]byte(c)); !ok {
			t.Errorf("the shortcut refuses %s", c)
		}
	}
	rng := rand.New(rand.NewPCG(5, 8))
	bits := []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, ` `, `null`, `1`, `"a"`, "\x01", "é"}
	for i := range 20000 + len(cases) {
		c := cases[i%len(cases)]
		if i >= len(cases) {
			k := rng.IntN(len(c) + 1)
			c = c[:k] + bits[rng.IntN(len(bits))] + c[min(len(c), k+rng.IntN(3)):]
		}
		if !json.Valid([]byte(c)) {
			continue // the field's value was checked before it is read
		}
		fast, ok := plainTags([]byte(c))
		if !ok {
			continue
		}
		slow, err := genericTags([]byte(c))
		if err != nil || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s: shortcut %v; generic %v, %v", c, fast, slow, err)
		}
	}
}

package cachettest

import (
	"fmt"
	"testing"
)

func TestPagination(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for i := range 45 {
		seedComponent(e, fmt.Sprintf("c%02d", i), 1, 0)
	}
	tests := []struct {
		query                          string
		count, perPage, current, pages int
		first                          int
		next, prev                     string
	}{
		{"", 20, 20, 1, 3, 1, "/components?page=2", ""},
		{"per_page=0", 15, 15, 1, 3, 1, "/components?per_page=0&page=2", ""},
		{"per_page=1000", 45, 1000, 1, 1, 1, "", ""},
		{"per_page=20&page=3", 5, 20, 3, 3, 41, "", "/components?per_page=20&page=2"},
		{"page=0", 20, 20, 1, 3, 1, "/components?page=2", ""},
		{"page=abc", 20, 20, 1, 3, 1, "/components?page=2", ""},
		{"page=9", 0, 20, 9, 3, 0, "", "/components?page=8"},
		{"page=2&sort=id&per_page=10", 10, 10, 2, 5, 35, "/components?sort=id&per_page=10&page=3", "/components?sort=id&per_page=10&page=1"},
		{"per_page=5&x=a%20b&tags[]=p", 0, 5, 1, 1, 0, "", ""},
	}
	for _, tc := range tests {
		r := a.get("/components?"+tc.query).expect(t, 200)
		p := r.pagination()
		base := a.srv.URL
		link := func(s string) any {
			if s == "" {
				return nil
			}
			return base + s
		}
		assertFields(t, p, map[string]any{"total": map[bool]int{true: 45, false: 0}[tc.query != "per_page=5&x=a%20b&tags[]=p"],
			"count": tc.count, "per_page": tc.perPage, "current_page": tc.current, "total_pages": tc.pages,
			"links": map[string]any{"next_page": link(tc.next), "previous_page": link(tc.prev)}})
		if tc.first != 0 && (len(r.ids()) == 0 || r.ids()[0] != tc.first) {
			t.Errorf("%s: first id %v, want %d", tc.query, r.ids(), tc.first)
		}
	}
	a.get("/components?per_page=abc").expect(t, 500)
}

func TestPaginationLinksKeepParams(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for i := range 3 {
		e.SeedComponent(componentTagged(fmt.Sprint(i), "Foo"))
	}
	r := a.get("/components?per_page=1&tags[]=foo&x=a+b&page=2").expect(t, 200)
	want := a.srv.URL + "/components?per_page=1&tags%5B0%5D=foo&x=a%20b&page=3"
	if got := r.pagination()["links"].(map[string]any)["next_page"]; got != want {
		t.Errorf("next_page = %v, want %s", got, want)
	}
}

// TestPageParameterIsFilterValidateInt: Laravel keeps page only when
// filter_var($page, FILTER_VALIDATE_INT) accepts it and it is >= 1
// (Illuminate/Pagination/PaginationServiceProvider.php:40-48, 5.7.29), read
// raw from the request: a leading zero, a decimal point or a second sign make
// it page 1, surrounding whitespace and one sign do not.
func TestPageParameterIsFilterValidateInt(t *testing.T) {
	a := newAPI(t)
	for range 5 {
		a.post("/components", map[string]any{"name": "C", "status": 1}).expect(t, 200)
	}
	for q, want := range map[string]float64{
		"page=02": 1, "page=2.0": 1, "page=--2": 1, "page=%2B2": 2, "page=%202%20": 2,
		"page=3": 3, "page=0": 1, "page[]=2": 1, "page=2abc": 1,
	} {
		p := a.get("/components?per_page=2&"+q).expect(t, 200).pagination()
		if p["current_page"] != want {
			t.Errorf("%s: current_page = %v, want %v", q, p["current_page"], want)
		}
	}
}

// TestEmptyListPages: an empty list has total_pages 1 on 2.4 (Laravel 5.7.29
// LengthAwarePaginator.php:51, max(ceil(total / perPage), 1)) but 0 on 2.3
// (Laravel 5.2.39 LengthAwarePaginator.php:49, ceil(total / perPage)); there
// is no next page either way.
func TestEmptyListPages(t *testing.T) {
	for v, want := range map[string]float64{"2.4": 1, "2.3": 0} {
		a := newAPI(t, WithVersion(v))
		for _, path := range []string{"/components", "/components/groups", "/incidents", "/metrics", "/subscribers"} {
			assertFields(t, a.get(path).expect(t, 200).pagination(), map[string]any{"total": 0, "count": 0, "total_pages": want,
				"current_page": 1, "links": map[string]any{"next_page": nil, "previous_page": nil}})
		}
	}
}

package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPageOrders(t *testing.T) {
	r := func(order, id int) *rank { return &rank{order: order, id: id} }
	for _, tt := range []struct {
		name    string
		members []*rank
		want    []int
	}{
		{"API-made page: all order 0, ids ascending", []*rank{r(0, 1), r(0, 2), r(0, 3)}, []int{0, 0, 0}},
		{"already numbered", []*rank{r(1, 9), r(2, 3), r(5, 4)}, []int{1, 2, 5}},
		{"new members go after the last", []*rank{r(0, 1), r(0, 2), nil, nil}, []int{0, 0, 1, 2}},
		{"a new member first renumbers when there is no room", []*rank{nil, r(0, 1), r(0, 2)}, []int{1, 2, 3}},
		{"a new member first takes a free order", []*rank{nil, r(1, 1), r(2, 2)}, []int{0, 1, 2}},
		{"two new members in a gap", []*rank{r(1, 7), nil, nil, r(5, 2)}, []int{1, 2, 3, 5}},
		{"a gap too small renumbers", []*rank{r(1, 7), nil, nil, r(3, 2)}, []int{1, 2, 3, 4}},
		{"never below zero", []*rank{nil, nil, r(1, 1)}, []int{1, 2, 3}},
		{"a swap renumbers", []*rank{r(0, 2), r(0, 1)}, []int{1, 2}},
		{"order beats id", []*rank{r(1, 5), r(2, 1)}, []int{1, 2}},
		{"all new", []*rank{nil, nil}, []int{1, 2}},
	} {
		if got := pageOrders(tt.members); !cmp.Equal(got, tt.want) {
			t.Errorf("%s: pageOrders = %v, want %v", tt.name, got, tt.want)
		}
	}
}

package cachet

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// DefaultPerPage is the page size All uses when given perPage <= 0.
const DefaultPerPage = 100

// filteredPerPage is the page size of a filtered read: Cachet cannot page
// a filtered list (contract §1.5), so it is read as one large page.
const filteredPerPage = 100000

// ErrFilteredPaging is returned by List for Filters combined with Page > 1:
// Cachet answers such requests with 500 (contract §1.5).
var ErrFilteredPaging = errors.New("cachet: filters cannot be combined with a page number")

// wireModel is a wire struct that converts to its model type T and has an
// id (0 when the answer had none).
type wireModel[T any] interface {
	model() T
	key() int
}

func (w wireComponent) key() int        { return int(w.ID) }
func (w wireGroup) key() int            { return int(w.ID) }
func (w wireIncidentTemplate) key() int { return int(w.ID) }
func (w wireIncidentUpdate) key() int   { return int(w.ID) }
func (w wireIncident) key() int         { return int(w.ID) }
func (w wireMetricPoint) key() int      { return int(w.ID) }
func (w wireMetric) key() int           { return int(w.ID) }
func (w wireSchedule) key() int         { return int(w.ID) }
func (w wireSubscriber) key() int       { return int(w.ID) }
func (w wireSubscription) key() int     { return int(w.ID) }

// checkIDs refuses a page whose items do not each carry their own id: an
// item without a positive id, or an id twice, means the answer is not a
// list Cachet sent, and trusting it would miss, duplicate or misaim writes.
func checkIDs[T any, W wireModel[T]](method, path string, data []W) error {
	seen := make(map[int]bool, len(data))
	for i, w := range data {
		id := w.key()
		if id <= 0 {
			return fmt.Errorf("cachet: %s %s: item %d of the list has no id", method, path, i+1)
		}
		if seen[id] {
			return fmt.Errorf("cachet: %s %s: the list holds id %d twice", method, path, id)
		}
		seen[id] = true
	}
	return nil
}

// lister reads a paginated collection.
type lister struct {
	c        *Client
	path     string
	sortable bool // the endpoint accepts sort= (templates answer 500)
}

func (l lister) query(opts ListOptions) (url.Values, error) {
	q := url.Values{}
	if len(opts.Filters) > 0 {
		if opts.Page > 1 {
			return nil, fmt.Errorf("%w (GET %s page %d)", ErrFilteredPaging, l.path, opts.Page)
		}
		for k, v := range opts.Filters {
			switch k {
			case "page", "per_page", "sort", "order":
				return nil, fmt.Errorf("cachet: %q is not a filter", k)
			}
			q.Set(k, v)
		}
	} else if opts.Page > 0 {
		q.Set("page", strconv.Itoa(opts.Page))
	}
	if opts.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(opts.PerPage))
	}
	if l.sortable {
		sort := opts.Sort
		if sort == "" {
			sort = "id"
		}
		q.Set("sort", sort)
		if opts.Order != "" {
			q.Set("order", opts.Order)
		}
	}
	return q, nil
}

// list reads one page.
func list[T any, W wireModel[T]](ctx context.Context, l lister, opts ListOptions) (Page[T], error) {
	q, err := l.query(opts)
	if err != nil {
		return Page[T]{}, err
	}
	var data []W
	var meta wireListMeta
	if err := l.c.do(ctx, &request{method: http.MethodGet, path: l.path, query: q, out: &data, meta: &meta}); err != nil {
		return Page[T]{}, err
	}
	if data == nil {
		// encoding/json leaves the slice nil only when "data" is absent or
		// null; Cachet always sends a list, [] when empty.
		return Page[T]{}, fmt.Errorf("cachet: GET %s: the answer has no data list, so it is not a page of Cachet's", l.c.base.Path+l.path)
	}
	if err := checkIDs[T](http.MethodGet, l.c.base.Path+l.path, data); err != nil {
		return Page[T]{}, err
	}
	if opts.PerPage > 0 && len(opts.Filters) == 0 && len(data) > opts.PerPage {
		return Page[T]{}, fmt.Errorf("cachet: GET %s: the page holds %d items, more than the %d asked for", l.c.base.Path+l.path, len(data), opts.PerPage)
	}
	p := Page[T]{Items: make([]T, 0, len(data)), Pagination: meta.Pagination.model()}
	for _, w := range data {
		p.Items = append(p.Items, w.model())
	}
	return p, nil
}

// all iterates over every item of every page. With filters it reads a
// single large page and fails if that page does not hold every match.
func all[T any, W wireModel[T]](ctx context.Context, l lister, opts ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if len(opts.Filters) > 0 {
			opts.Page = 0
			if opts.PerPage < filteredPerPage {
				opts.PerPage = filteredPerPage
			}
			p, err := list[T, W](ctx, l, opts)
			if err == nil && p.Pagination.Total > len(p.Items) {
				err = fmt.Errorf("cachet: GET %s: filtered read got %d of %d items", l.path, len(p.Items), p.Pagination.Total)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			return
		}
		if opts.PerPage <= 0 {
			opts.PerPage = DefaultPerPage
		}
		for page := 1; ; page++ {
			opts.Page = page
			p, err := list[T, W](ctx, l, opts)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			if len(p.Items) == 0 || page >= p.Pagination.TotalPages {
				return
			}
		}
	}
}

// count returns meta.pagination.total of a one-item page.
func count[T any, W wireModel[T]](ctx context.Context, l lister) (int, error) {
	p, err := list[T, W](ctx, l, ListOptions{PerPage: 1})
	if err != nil {
		return 0, err
	}
	return p.Pagination.Total, nil
}

// collect gathers an iterator into a slice, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

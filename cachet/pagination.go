package cachet

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// DefaultPerPage is the page size All uses when ListOptions.PerPage is 0.
const DefaultPerPage = 100

// filteredPerPage is the page size of a filtered read: Cachet answers 500
// when a filter meets a page number (its search sends every query key but
// sort, order and per_page to the database as a column), so Find reads
// one large page instead.
const filteredPerPage = 100000

// Sort orders for ListOptions.Order.
const (
	OrderAsc  = "asc"
	OrderDesc = "desc"
)

// ListOptions select one page of a list (List) or where and how an
// iteration starts (All). Zero values use Cachet's defaults, except Sort,
// which defaults to "id" so that paging is deterministic.
type ListOptions struct {
	// Page is the page to read (List) or to start from (All); 0 means 1.
	Page int
	// PerPage is the page size: Cachet's 20 for List, DefaultPerPage for All.
	PerPage int
	// Sort is a column name, e.g. "name". Cachet ignores a column it does
	// not allow sorting on.
	Sort string
	// Order is OrderAsc, OrderDesc or "" (not sent). Cachet ignores it
	// everywhere but on 2.4 groups.
	Order string
}

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

func (l lister) query(opts ListOptions, filter url.Values) (url.Values, error) {
	if opts.Page < 0 || opts.PerPage < 0 {
		return nil, fmt.Errorf("cachet: GET %s: page and per_page must not be negative (page %d, per_page %d)", l.c.base.Path+l.path, opts.Page, opts.PerPage)
	}
	switch opts.Order {
	case "", OrderAsc, OrderDesc:
	default:
		return nil, fmt.Errorf("cachet: GET %s: order %q is neither %q nor %q", l.c.base.Path+l.path, opts.Order, OrderAsc, OrderDesc)
	}
	q := url.Values{}
	for k, v := range filter {
		q[k] = v
	}
	if opts.Page > 0 && len(filter) == 0 {
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
	return listFiltered[T, W](ctx, l, opts, nil)
}

func listFiltered[T any, W wireModel[T]](ctx context.Context, l lister, opts ListOptions, filter url.Values) (Page[T], error) {
	q, err := l.query(opts, filter)
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
	if opts.PerPage > 0 && len(filter) == 0 && len(data) > opts.PerPage {
		return Page[T]{}, fmt.Errorf("cachet: GET %s: the page holds %d items, more than the %d asked for", l.c.base.Path+l.path, len(data), opts.PerPage)
	}
	p := Page[T]{Items: make([]T, 0, len(data)), Pagination: meta.Pagination.model()}
	for _, w := range data {
		p.Items = append(p.Items, w.model())
	}
	if len(p.Items) > 0 {
		l.c.learnVersion(p.Items[0])
	}
	return p, nil
}

// all iterates over every item of every page from opts.Page on.
func all[T any, W wireModel[T]](ctx context.Context, l lister, opts ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if opts.PerPage == 0 {
			opts.PerPage = DefaultPerPage
		}
		last := 0 // the last page, fixed by the first page read
		for page := max(opts.Page, 1); ; page++ {
			opts.Page = page
			p, err := list[T, W](ctx, l, opts)
			if err == nil && last == 0 {
				last, err = lastPage(l, opts.PerPage, p.Pagination)
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
			// Later pages cannot extend the walk: a server announcing ever
			// more pages is read for as many as its first answer promised.
			if len(p.Items) == 0 || page >= last || page >= p.Pagination.TotalPages {
				return
			}
		}
	}
}

// lastPage checks a first page's pagination and returns its last page
// number: total_pages must be ceil(total / per_page) (at least 1), where
// per_page is the server's when smaller than asked, else the size asked.
// Cachet 2.3 (Laravel 5.2's LengthAwarePaginator, no "at least 1") reports
// 0 pages for an empty list.
func lastPage(l lister, asked int, p Pagination) (int, error) {
	per := asked
	if p.PerPage >= 1 && p.PerPage < per {
		per = p.PerPage
	}
	emptyOn23 := p.Total == 0 && p.TotalPages == 0 && p.PerPage >= 1
	if p.Total < 0 || per < 1 || (p.TotalPages != max((p.Total+per-1)/per, 1) && !emptyOn23) {
		return 0, fmt.Errorf("cachet: GET %s: the pagination is not Cachet's (total %d, total_pages %d, per_page %d)",
			l.c.base.Path+l.path, p.Total, p.TotalPages, p.PerPage)
	}
	return max(p.TotalPages, 1), nil
}

// find reads the items matching filter as one large page (Cachet cannot
// page a filtered list) and keeps those match accepts: the server's answer
// is checked, so an ignored condition never widens the result.
func find[T any, W wireModel[T]](ctx context.Context, l lister, filter url.Values, match func(T) bool) ([]T, error) {
	p, err := listFiltered[T, W](ctx, l, ListOptions{PerPage: filteredPerPage}, filter)
	if err != nil {
		return nil, err
	}
	if p.Pagination.Total > len(p.Items) {
		return nil, fmt.Errorf("cachet: GET %s: filtered read got %d of %d items", l.c.base.Path+l.path, len(p.Items), p.Pagination.Total)
	}
	out := make([]T, 0, len(p.Items))
	for _, it := range p.Items {
		if match(it) {
			out = append(out, it)
		}
	}
	return out, nil
}

// count returns meta.pagination.total of a one-item page.
func count[T any, W wireModel[T]](ctx context.Context, l lister) (int, error) {
	p, err := list[T, W](ctx, l, ListOptions{PerPage: 1})
	if err != nil {
		return 0, err
	}
	return p.Pagination.Total, nil
}

package cachet3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// PerPage is the page size All reads: the server's maximum.
const PerPage = 100

// maxReadAttempts bounds the restarts of All when a boundary check finds
// that the list changed.
const maxReadAttempts = 4

// ListOptions selects a list. The zero value lists everything the token
// may see, with the defaults of each service's All.
type ListOptions struct {
	// Filters are sent as filter[key]=value, e.g. {"name": "api"} or
	// {"meta][region": "eu"} for filter[meta][region]. A value with commas
	// is an OR of its parts.
	Filters map[string]string
	// Include names relationships to embed, e.g. "group" or "meta"; nil
	// takes the service's default for All.
	Include []string
	// Fields are sparse fieldsets, sent as fields[type]=a,b: resources of
	// that type (e.g. "subscribers", "components") come with only those
	// attributes, and the fields of the models left out read as zero. An
	// empty list asks for no attribute. Relationships are not affected.
	Fields map[string][]string
}

// ReadReport describes the work of one All call.
type ReadReport struct {
	Requests   int // HTTP requests sent: pages, speculative pages past the end, boundary checks, the highest id
	Pages      int // pages up to the end of the list, in the final attempt
	Checks     int // boundary checks sent in the final attempt (none where ids run on across a boundary)
	RoundTrips int // the longest chain of requests that waited one on another
	Attempts   int // 1, or more when a check found the list changed and the read restarted
}

// document is a JSON:API top-level document.
type document struct {
	Data     json.RawMessage `json:"data"`
	Included []resource      `json:"included"`
	Links    struct {
		Next *string `json:"next"`
	} `json:"links"`
}

// listDocument is a JSON:API document whose data is a list, decoded in
// one pass (a document would hold the list raw and decode it again).
type listDocument struct {
	Data     []resource `json:"data"`
	Included []resource `json:"included"`
	Links    struct {
		Next *string `json:"next"`
	} `json:"links"`
}

// resource is a JSON:API resource object.
type resource struct {
	ID            string                     `json:"id"`
	Type          string                     `json:"type"`
	Attributes    json.RawMessage            `json:"attributes"`
	Relationships map[string]json.RawMessage `json:"relationships"`
}

// decoder turns a resource of doc into a model.
type decoder[T any] func(res *resource, doc *document) (T, error)

// lister reads one collection.
type lister[T any] struct {
	c        *Client
	path     string
	ability  string // needed to read (subscribers)
	sortByID bool   // the endpoint allows sort=id
	// idsOnly names the types of included resources whose ids (in the
	// relationships) are all the decoder reads: they are asked for with an
	// empty sparse fieldset, fields[type]=, so the server sends them
	// without attributes. For subscribers this is most of a page.
	idsOnly []string
	id      func(T) int
	dec     decoder[T]
}

func (l lister[T]) query(opts ListOptions, defaultInclude []string, perPage, page int) url.Values {
	q := url.Values{}
	for k, v := range opts.Filters {
		q.Set("filter["+k+"]", v)
	}
	incl := opts.Include
	if incl == nil {
		incl = defaultInclude
	}
	if len(incl) > 0 {
		q.Set("include", strings.Join(incl, ","))
		for _, typ := range l.idsOnly {
			q.Set("fields["+typ+"]", "")
		}
	}
	for typ, fields := range opts.Fields {
		q.Set("fields["+typ+"]", strings.Join(fields, ","))
	}
	if l.sortByID {
		q.Set("sort", "id")
	}
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("page", strconv.Itoa(page))
	return q
}

// page reads page p (1-based) of size perPage: the items and whether
// links.next is present.
func (l lister[T]) page(ctx context.Context, q url.Values) ([]T, bool, error) {
	var list listDocument
	if _, err := l.c.do(ctx, &request{method: http.MethodGet, path: l.path, query: q, ability: l.ability, out: &list}); err != nil {
		return nil, false, err
	}
	doc := document{Included: list.Included, Links: list.Links}
	items := make([]T, 0, len(list.Data))
	for i := range list.Data {
		v, err := l.dec(&list.Data[i], &doc)
		if err != nil {
			return nil, false, fmt.Errorf("cachet3: GET %s: %w", l.path, err)
		}
		items = append(items, v)
	}
	return items, list.Links.Next != nil, nil
}

// all reads every item. It never follows links.next, which drops per_page
// and the filters (Cachet never appends the query to its links): it asks
// for page N+1 while page N had links.next, keeping up to readAhead
// requests in flight ahead of the pages already read, and stops at the
// first page without links.next. Where the list can be sorted by id, the
// first requests are page 1 and the row with the highest id (sort=-id,
// one row): no page past (highest id - page 1's first id + 1) rows is
// asked for unless a page up to there says another follows, so a list
// with dense ids is read with no request past its end, whatever the
// read-ahead.
//
// Paging by offset is torn by a concurrent delete: when an item before a
// page boundary is deleted between the reads of the two pages, the next
// page starts one item later and one item is missed. Rows are read in id
// order (new rows get higher ids and only ever land at the end), so the
// number of rows up to an id can only shrink. For each boundary k (the
// last id L of full page k), once page k+1 has been read, a one-item check
// reads the row at offset k*PerPage-1 again: if it is still L, no row
// before L vanished between the two page reads, and page k+1 continued
// exactly after L. If it is not, the read restarts. Where page k+1 starts
// with id L+1 no row can hide at the boundary and the check is skipped.
// Duplicates (a page
// read after a delete that an earlier-read next page did not see) are
// dropped by id. So every row that exists during the whole read is
// returned exactly once.
func (l lister[T]) all(ctx context.Context, opts ListOptions, defaultInclude []string) ([]T, ReadReport, error) {
	var rep ReadReport
	for attempt := 1; attempt <= maxReadAttempts; attempt++ {
		rep.Attempts = attempt
		items, ok, err := l.attempt(ctx, opts, defaultInclude, &rep)
		if err != nil || ok {
			return items, rep, err
		}
	}
	return nil, rep, fmt.Errorf("%w (GET %s, %d attempts)", ErrListChanged, l.path, maxReadAttempts)
}

type readResult[T any] struct {
	page  int  // > 0: a page
	check int  // > 0: the boundary after page check
	bound bool // the row with the highest id
	items []T
	next  bool
	depth int
	err   error
}

// attempt reads the list once; ok is false when a boundary check failed.
func (l lister[T]) attempt(ctx context.Context, opts ListOptions, defaultInclude []string, rep *ReadReport) (_ []T, ok bool, _ error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops speculative requests past the end
	window := l.c.readAhead
	results := make(chan readResult[T], window)
	pages := map[int]readResult[T]{}
	checked := map[int]bool{}
	checkSent := map[int]bool{}
	end := math.MaxInt // the first page without links.next
	nextPage, inflight, lastDepth := 1, 0, 0
	rep.Pages, rep.Checks = 0, 0
	// The highest id bounds the number of pages: ids are unique and rows
	// come in id order, so page 1's first id f and the highest id m leave
	// room for at most m-f+1 rows. Where ids are dense the bound is exact
	// and no page is asked for past the end.
	maxID, boundKnown := 0, !l.sortByID
	lastNext := 0 // the highest page read that had a next page

	// mayRead tells whether page p may be asked for now. Without the
	// bound, pages are read ahead blindly, up to the window; with it,
	// nothing past the bound, unless a page up to there had a next page
	// (rows were added meanwhile); until the bound and page 1 are in, only
	// page 1.
	mayRead := func(p int) bool {
		if !l.sortByID {
			return true
		}
		first, ok := pages[1]
		if !boundKnown || !ok {
			return p == 1
		}
		limit := 1
		if len(first.items) > 0 && maxID >= l.id(first.items[0]) {
			limit = (maxID - l.id(first.items[0]) + PerPage) / PerPage
		}
		return p <= max(limit, lastNext+1)
	}
	send := func(r readResult[T], q url.Values) {
		inflight++
		rep.Requests++
		rep.RoundTrips = max(rep.RoundTrips, r.depth)
		go func() {
			r.items, r.next, r.err = l.page(ctx, q)
			results <- r
		}()
	}
	// readyCheck returns a boundary whose two pages are in and not yet
	// checked. A boundary where page k+1 starts with the id right after
	// page k's last needs no check: no row can hide between them.
	readyCheck := func() (int, int) {
		for k, p := range pages {
			if k >= end || checkSent[k] {
				continue
			}
			q, ok := pages[k+1]
			if !ok {
				continue
			}
			if len(p.items) == PerPage && len(q.items) > 0 && l.id(q.items[0]) == l.id(p.items[PerPage-1])+1 {
				checkSent[k], checked[k] = true, true
				continue
			}
			return k, max(p.depth, q.depth)
		}
		return 0, 0
	}
	if l.sortByID {
		q := l.query(opts, nil, 1, 1)
		q.Set("sort", "-id")
		send(readResult[T]{bound: true, depth: 1}, q)
	}
	for {
		for inflight < window {
			if k, d := readyCheck(); k > 0 {
				checkSent[k] = true
				rep.Checks++
				send(readResult[T]{check: k, depth: d + 1}, l.query(opts, nil, 1, k*PerPage))
				continue
			}
			if nextPage <= end && mayRead(nextPage) {
				send(readResult[T]{page: nextPage, depth: lastDepth + 1}, l.query(opts, defaultInclude, PerPage, nextPage))
				nextPage++
				continue
			}
			break
		}
		if done(pages, checked, end) {
			break
		}
		r := <-results
		inflight--
		lastDepth = r.depth
		if r.bound {
			if r.err != nil {
				return nil, false, r.err
			}
			boundKnown = true
			if len(r.items) > 0 {
				maxID = l.id(r.items[0])
			}
			continue
		}
		if r.page > end || r.check > 0 && r.check >= end {
			continue // past the end: a speculative read, wasted
		}
		if r.err != nil {
			return nil, false, r.err
		}
		if r.page > 0 {
			pages[r.page] = r
			if r.next {
				lastNext = max(lastNext, r.page)
			}
			if !r.next && r.page < end {
				end = r.page
			} else if r.next && len(r.items) < PerPage {
				return nil, false, fmt.Errorf("cachet3: GET %s page %d: %d items and a next page; is per_page capped below %d?", l.path, r.page, len(r.items), PerPage)
			}
			continue
		}
		want := pages[r.check].items
		if len(want) != PerPage {
			return nil, false, fmt.Errorf("cachet3: GET %s: page %d has %d items and a next page", l.path, r.check, len(want))
		}
		if len(r.items) != 1 || l.id(r.items[0]) != l.id(want[PerPage-1]) {
			return nil, false, nil // a row before the boundary vanished: read again
		}
		checked[r.check] = true
	}
	var out []T
	seen := map[int]bool{}
	for p := 1; p <= end; p++ {
		for _, it := range pages[p].items {
			if id := l.id(it); !seen[id] {
				seen[id] = true
				out = append(out, it)
			}
		}
	}
	rep.Pages = end
	if out == nil {
		out = []T{}
	}
	return out, true, nil
}

// done reports whether pages 1..end are in and boundaries 1..end-1 checked.
func done[T any](pages map[int]readResult[T], checked map[int]bool, end int) bool {
	if end == math.MaxInt {
		return false
	}
	for p := 1; p <= end; p++ {
		if _, ok := pages[p]; !ok {
			return false
		}
		if p < end && !checked[p] {
			return false
		}
	}
	return true
}

// list reads one page of at most perPage (1..100) items: the items and
// whether a next page exists.
func (l lister[T]) list(ctx context.Context, opts ListOptions, page, perPage int) ([]T, bool, error) {
	if page < 1 || perPage < 1 || perPage > PerPage {
		return nil, false, errors.New("cachet3: page must be >= 1 and per_page within 1..100")
	}
	return l.page(ctx, l.query(opts, nil, perPage, page))
}

package cachetv1

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/plan"
)

// DefaultPageSize is the page size for reading live state. Cachet has no
// cap. Chosen with DefaultReadConcurrency by replaying ReadLive's schedule
// against a PHP-FPM server (cachettest.DefaultPHPModel: 5 workers, 10 ms a
// request, 40 µs a row) and against 10 ms of latency
// (TestDefaultReadSettingsNearBest): on the PHP server, 1,000 is within
// 1.2× of the best setting at 5,000, 20,000 and 100,000 subscribers, where
// larger pages leave workers idle behind one slow first page and smaller
// ones pay the fixed cost of a request more often; on pure latency it
// halves the round trips of 500.
const DefaultPageSize = 1000

// DefaultReadConcurrency bounds the pages of one kind read at once: 8
// keeps more requests queued than PHP-FPM's default 5 workers, so none of
// them idles while the subscribers are read.
const DefaultReadConcurrency = 8

// DefaultRowBudget bounds the database rows one page of subscribers asks
// Cachet to load: each subscriber brings its subscriptions, and one
// subscribed to every component of a large page brings thousands.
const DefaultRowBudget = 25000

// DefaultMaxObjects bounds the objects of one kind a read accepts: far
// above real status pages (a large one has thousands of subscribers), low
// enough that a server announcing more cannot exhaust memory.
const DefaultMaxObjects = 200000

// ReadOptions tune ReadLive.
type ReadOptions struct {
	PageSize    int // default DefaultPageSize
	Concurrency int // pages of one kind in flight at once; default DefaultReadConcurrency
	// Attempts is how often a list torn by concurrent edits is read again
	// before the read is reported incomplete; default 3.
	Attempts int
	// SkipSubscribers leaves subscribers unread (e.g. export --no-subscribers).
	SkipSubscribers bool
	// RowBudget: when the first page of subscribers shows that a page of
	// PageSize would load more rows (subscribers plus subscriptions) than
	// this, the other pages are read smaller; default DefaultRowBudget.
	RowBudget int
	// MaxObjects bounds the objects of each kind: a server reporting more
	// is refused before its pages are read; default DefaultMaxObjects.
	MaxObjects int
}

// IncompleteError is a list that could not be read whole: its items did
// not add up to the server's total on any attempt (the page was being
// edited, or the server is not answering like Cachet). Nothing is planned
// from such a read.
type IncompleteError struct {
	Kind    plan.Kind
	Problem string
}

// Error says which list and why.
func (e *IncompleteError) Error() string {
	return fmt.Sprintf("the live %ss could not be read completely (%s); nothing was planned: run again when the page is not being edited", e.Kind, e.Problem)
}

// ReadLive reads every group, component and subscriber of the page: the
// three kinds in parallel, each by its first page and then the remaining
// pages concurrently.
//
// A bad token on a public GET silently reads as a guest, so nothing read is
// used unless the token is known good. Cachet answers the subscriber list
// only to a valid token, so its first page is the token check, sent together
// with the other first pages; without subscribers, CheckToken runs first.
func ReadLive(ctx context.Context, c *cachet.Client, opts ReadOptions) (*plan.Live, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultReadConcurrency
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 3
	}
	if opts.RowBudget <= 0 {
		opts.RowBudget = DefaultRowBudget
	}
	if opts.MaxObjects <= 0 {
		opts.MaxObjects = DefaultMaxObjects
	}
	if opts.SkipSubscribers {
		if err := c.CheckToken(ctx); err != nil {
			return nil, tokenError(err)
		}
	}
	live := &plan.Live{Complete: true, SkippedSubscribers: opts.SkipSubscribers}
	var groupsTorn, compsTorn, subsTorn string
	g, gctx := errgroup.WithContext(ctx)
	if !opts.SkipSubscribers {
		g.Go(func() (err error) {
			subs, torn, err := readAll(gctx, c.Subscribers.List, func(x cachet.Subscriber) int { return x.ID },
				func(x cachet.Subscriber) int { return 1 + len(x.Subscriptions) }, opts)
			if errors.Is(err, cachet.ErrUnauthorized) {
				return tokenError(err)
			}
			live.Subscribers, subsTorn = liveSubscribers(subs), torn
			return wrap("subscribers", err)
		})
	}
	g.Go(func() (err error) {
		groups, torn, err := readAll(gctx, c.Groups.List, func(x cachet.ComponentGroup) int { return x.ID }, nil, opts)
		live.Groups, groupsTorn = liveGroups(groups), torn
		return wrap("component groups", err)
	})
	g.Go(func() (err error) {
		comps, torn, err := readAll(gctx, c.Components.List, func(x cachet.Component) int { return x.ID }, nil, opts)
		live.Components, compsTorn = liveComponents(comps), torn
		return wrap("components", err)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// A list that does not add up is never planned from: a missed object
	// would be created again, and "No changes" would hide it.
	for _, kind := range []plan.Kind{plan.KindGroup, plan.KindComponent, plan.KindSubscriber} {
		if problem := map[plan.Kind]string{plan.KindGroup: groupsTorn, plan.KindComponent: compsTorn, plan.KindSubscriber: subsTorn}[kind]; problem != "" {
			return nil, &IncompleteError{Kind: kind, Problem: problem}
		}
	}
	live.Version = detectVersion(live)
	if len(live.Components) == 0 && len(live.Groups) == 0 {
		// An empty page's payload shows nothing of its version; ask, so
		// that creates on a 2.3 server do not send 2.4 fields.
		v, err := c.ServerVersion(ctx)
		if err != nil {
			return nil, fmt.Errorf("telling Cachet 2.3 from 2.4: %w", err)
		}
		live.Version = v
	}
	caps := Capabilities(live.Version)
	live.Caps = &caps
	return live, nil
}

func tokenError(err error) error {
	return fmt.Errorf("checking the API token: %w (a bad token would read the page as a guest, so nothing was planned)", err)
}

func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

// detectVersion tells Cachet 2.3 from 2.4 by what the payload holds: 2.4
// components carry a meta key and 2.4 groups a visible key. This costs no
// request; only an empty page needs ServerVersion's probe.
func detectVersion(l *plan.Live) string {
	for _, c := range l.Components {
		if c.Meta == nil {
			return "2.3"
		}
	}
	for _, g := range l.Groups {
		if !g.HasVisibility {
			return "2.3"
		}
	}
	return "2.4"
}

// readAll reads every page of one list. It reads the first page, then the
// rest concurrently. If the server's total moves between pages, or the items
// do not add up to it, the list was edited while being read: it is read
// again, and after the last attempt returned with a description of the tear.
func readAll[T any](ctx context.Context, list func(context.Context, cachet.ListOptions) (cachet.Page[T], error), id, rows func(T) int, opts ReadOptions) ([]T, string, error) {
	var problem string
	for attempt := 0; attempt < opts.Attempts; attempt++ {
		items, p, err := readOnce(ctx, list, id, rows, opts)
		if err != nil {
			return nil, "", err
		}
		if p == "" {
			return items, "", nil
		}
		problem = p
		if attempt == opts.Attempts-1 {
			return items, problem, nil
		}
	}
	return nil, problem, nil
}

// readOnce reads one list: the first page, then the rest concurrently.
// rows, when given, weighs an item in database rows; if the first page
// shows that full pages would exceed opts.RowBudget, the rest is read in
// smaller pages (a divisor of the first page's size, so the pages line up).
func readOnce[T any](ctx context.Context, list func(context.Context, cachet.ListOptions) (cachet.Page[T], error), id, rows func(T) int, opts ReadOptions) ([]T, string, error) {
	first, err := list(ctx, cachet.ListOptions{Page: 1, PerPage: opts.PageSize, Sort: "id"})
	if err != nil {
		return nil, "", err
	}
	// The number of pages read is ours to bound: the total the server
	// reports must be within MaxObjects, the pages are ceil(total / the
	// page size), and the server's total_pages must agree. Its per_page is
	// honoured when smaller than asked (a server capping page sizes).
	total := first.Pagination.Total
	if total > opts.MaxObjects {
		return nil, "", fmt.Errorf("the server reports %d objects, more than the %d this tool reads (--max-objects)", total, opts.MaxObjects)
	}
	per := opts.PageSize
	if sp := first.Pagination.PerPage; sp >= 1 && sp < per {
		per = sp
	}
	pages := max((total+per-1)/per, 1)
	// Cachet 2.3 (Laravel 5.2) reports 0 pages for an empty list; a
	// per_page tells that answer from one without pagination meta.
	emptyOn23 := total == 0 && first.Pagination.TotalPages == 0 && first.Pagination.PerPage >= 1
	if total < 0 || (first.Pagination.TotalPages != pages && !emptyOn23) || len(first.Items) > per {
		return nil, "", fmt.Errorf("the list's pagination is not Cachet's (total %d, total_pages %d, per_page %d, %d items on page 1)",
			total, first.Pagination.TotalPages, first.Pagination.PerPage, len(first.Items))
	}
	size, from := per, 2 // the other pages: size per page, page numbers from..pages
	if rows != nil && len(first.Items) > 0 && per == opts.PageSize {
		weight := 0
		for _, it := range first.Items {
			weight += rows(it)
		}
		perItem := (weight + len(first.Items) - 1) / len(first.Items)
		if size*perItem > opts.RowBudget {
			size = pageSizeWithin(opts.PageSize, perItem, opts.RowBudget)
			from = opts.PageSize/size + 1
			pages = (total + size - 1) / size
		}
	}
	results := make([][]T, pages+1) // pages <= max(total, 1) <= MaxObjects
	results[1] = first.Items
	totals := make([]int, pages+1)
	totals[1] = total
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Concurrency)
	for page := from; page <= pages; page++ {
		g.Go(func() error {
			p, err := list(gctx, cachet.ListOptions{Page: page, PerPage: size, Sort: "id"})
			results[page], totals[page] = p.Items, p.Pagination.Total
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, "", err
	}
	seen := map[int]bool{}
	var items []T
	problem := ""
	for page := 1; page <= pages; page++ {
		if page > 1 && page < from {
			continue // covered by the first, larger page
		}
		if t := totals[page]; t != total {
			problem = fmt.Sprintf("the total changed from %d to %d while reading", total, t)
		}
		for _, it := range results[page] {
			k := id(it)
			if seen[k] {
				// Between pages this is a page edited while read; the
				// count below then cannot add up.
				continue
			}
			seen[k] = true
			items = append(items, it)
		}
	}
	if problem == "" && len(items) != total {
		problem = fmt.Sprintf("read %d objects but the server reported %d", len(items), total)
	}
	slices.SortFunc(items, func(a, b T) int { return id(a) - id(b) })
	return items, problem, nil
}

// pageSizeWithin returns the largest divisor of size whose pages of items
// weighing perItem rows stay within budget (at least 1).
func pageSizeWithin(size, perItem, budget int) int {
	for d := size; d > 1; d-- {
		if size%d == 0 && d*perItem <= budget {
			return d
		}
	}
	return 1
}

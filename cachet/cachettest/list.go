package cachettest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// cell is a column value as the database holds it.
type cell struct {
	num   float64
	str   string
	isNum bool
}

func numCell(n int) cell       { return cell{num: float64(n), isNum: true} }
func strCell(s string) cell    { return cell{str: s} }
func boolCell(b bool) cell     { return numCell(b2i(b)) }
func floatCell(f float64) cell { return cell{num: f, isNum: true} }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matches is MySQL's "=" between the column and a request value: numeric
// columns compare numerically (a non-numeric string reads as its numeric
// prefix, so "true" is 0), strings compare case-insensitively with trailing
// spaces ignored (utf8mb4_unicode_ci).
func (c cell) matches(v any) bool {
	if c.isNum {
		return c.num == phpFloat(v)
	}
	return strings.EqualFold(strings.TrimRight(c.str, " "), strings.TrimRight(phpString(v), " "))
}

func (c cell) compare(d cell) int {
	if c.isNum {
		return cmp.Compare(c.num, d.num)
	}
	return strings.Compare(strings.ToLower(c.str), strings.ToLower(d.str))
}

// listSpec describes how a resource's index filters and sorts.
type listSpec[T any] struct {
	searchable []string                      // keys that switch filtering on
	column     func(*T, string) (cell, bool) // every real column; false = unknown column
	sortable   []string                      // honoured sort columns
	id         func(*T) int
	dirParam   bool // the "order" parameter really sets the direction (2.4 groups)
}

// page is the result of selecting one page.
type page[T any] struct {
	items                 []*T
	total, perPage, index int
}

// list applies Cachet's search, sort and pagination to rows (id ascending).
func list[T any](c *call, rows []*T, spec listSpec[T]) (page[T], *resp) {
	perPage, pageNo, bad := c.paging()
	if bad != nil {
		return page[T]{}, bad
	}
	if spec.searchable != nil {
		var err *resp
		if rows, err = search(c, rows, spec); err != nil {
			return page[T]{}, err
		}
	}
	reverse := false
	if col := phpString(c.in["sort"]); col != "" && slices.Contains(spec.sortable, col) {
		desc := true
		if spec.dirParam {
			desc = strings.ToLower(phpString(orDefault(c.in, "order", "asc"))) != "asc"
		}
		if col == "id" {
			reverse = desc
		} else {
			sorted := slices.Clone(rows)
			slices.SortStableFunc(sorted, func(a, b *T) int {
				x, _ := spec.column(a, col)
				y, _ := spec.column(b, col)
				if desc {
					return y.compare(x)
				}
				return x.compare(y)
			})
			rows = sorted
		}
	}
	total := len(rows)
	from := min((pageNo-1)*perPage, total)
	to := min(from+perPage, total)
	var items []*T
	if reverse {
		items = make([]*T, 0, to-from)
		for i := from; i < to; i++ {
			items = append(items, rows[total-1-i])
		}
	} else {
		items = rows[from:to]
	}
	return page[T]{items: items, total: total, perPage: perPage, index: pageNo}, nil
}

// search is SearchableTrait::scopeSearch: when at least one input key is
// searchable, every input key except sort, order and per_page becomes an
// equality condition; a key that is not a column is a SQL error (500).
func search[T any](c *call, rows []*T, spec listSpec[T]) ([]*T, *resp) {
	type cond struct {
		key string
		val any
	}
	var conds []cond
	on := false
	for k, v := range c.in {
		if k == "sort" || k == "order" || k == "per_page" {
			continue
		}
		conds = append(conds, cond{k, v})
		if slices.Contains(spec.searchable, k) {
			on = true
		}
	}
	if !on {
		return rows, nil
	}
	var zero T
	for _, cd := range conds {
		if _, ok := spec.column(&zero, cd.key); !ok {
			r := errResp(http.StatusInternalServerError, "")
			return nil, &r
		}
		if _, isArr := cd.val.([]any); isArr {
			r := errResp(http.StatusInternalServerError, "")
			return nil, &r
		}
	}
	var out []*T
	for _, row := range rows {
		ok := true
		for _, cd := range conds {
			v, _ := spec.column(row, cd.key)
			if !v.matches(cd.val) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, row)
		}
	}
	return out, nil
}

func orDefault(in map[string]any, key string, def any) any {
	if v, ok := in[key]; ok {
		return v
	}
	return def
}

// paging reads per_page (default 20, falsy = 15, no cap) and page (not an
// int >= 1 = 1).
func (c *call) paging() (perPage, pageNo int, bad *resp) {
	perPage = 20
	if v, ok := c.in["per_page"]; ok {
		s := phpString(v)
		switch {
		case !isNumeric(v) && s != "" && s != "0":
			r := errResp(http.StatusInternalServerError, "")
			return 0, 0, &r
		case !phpBool(v) || phpFloat(v) == 0:
			perPage = 15
		default:
			perPage = phpInt(v)
			if perPage < 1 {
				r := errResp(http.StatusInternalServerError, "")
				return 0, 0, &r
			}
		}
	}
	// Laravel reads page raw (not through Binput) and keeps it only when
	// filter_var($page, FILTER_VALIDATE_INT) accepts it and it is >= 1
	// (Illuminate/Pagination/PaginationServiceProvider.php:40-48 in 5.7):
	// "05" and "2.0" are page 1.
	pageNo = 1
	if n, ok := filterValidateInt(c.raw["page"]); ok && n >= 1 {
		pageNo = n
	}
	return perPage, pageNo, nil
}

// filterValidateInt is PHP's filter_var($v, FILTER_VALIDATE_INT) without
// options (ext/filter/logical_filters.c php_filter_int): surrounding
// whitespace is ignored, an optional sign, then 0 or digits without a
// leading zero, within the range of a 64-bit int. Non-strings (arrays, null)
// fail; a JSON number is its string form.
func filterValidateInt(v any) (int, bool) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case json.Number:
		s = v.String()
	case bool:
		if !v {
			return 0, false
		}
		return 1, true
	default:
		return 0, false
	}
	s = strings.Trim(s, " \t\n\r\v\x00")
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return int(n), true
}

// writeList writes {"meta":{"pagination":...},"data":[...]}.
func writeList[T any](c *call, p page[T], item func(w *jw, v *T)) resp {
	c.cost.rows += len(p.items)
	w := &jw{b: getBuf()}
	w.obj()
	w.key("meta")
	w.obj()
	w.key("pagination")
	w.obj()
	// lastPage: max(ceil(total / perPage), 1) in Laravel 5.7
	// (Illuminate/Pagination/LengthAwarePaginator.php:51), plain
	// ceil(total / perPage) in 5.2 (:49), so Cachet 2.3 says 0 pages for an
	// empty list.
	last := (p.total + p.perPage - 1) / p.perPage
	if !c.e.v23 {
		last = max(last, 1)
	}
	w.kint("total", p.total)
	w.kint("count", len(p.items))
	w.kint("per_page", p.perPage)
	w.kint("current_page", p.index)
	w.kint("total_pages", last)
	w.key("links")
	w.obj()
	w.key("next_page")
	if last > p.index {
		w.str(c.pageURL(p.index + 1))
	} else {
		w.null()
	}
	w.key("previous_page")
	if p.index > 1 {
		w.str(c.pageURL(p.index - 1))
	} else {
		w.null()
	}
	w.endObj()
	w.endObj()
	w.endObj()
	w.key("data")
	w.arr()
	for _, v := range p.items {
		item(w, v)
	}
	w.endArr()
	w.endObj()
	return resp{status: http.StatusOK, body: w.b, pooled: true}
}

// pageURL is the paginator's link: the request URL without its query, then
// every original query parameter except page, then page
// (app/Http/Controllers/Api/AbstractApiController.php:142-146 and Laravel's
// AbstractPaginator::url), RFC 3986-encoded on 2.4 and RFC 1738 on 2.3.
func (c *call) pageURL(n int) string {
	params := make([]qparam, 0, len(c.query)+1)
	for _, p := range c.query {
		if p.key != "page" {
			params = append(params, p)
		}
	}
	params = append(params, qparam{"page", strconv.Itoa(n)})
	return c.base + c.path + "?" + buildQuery(params, c.e.v23)
}

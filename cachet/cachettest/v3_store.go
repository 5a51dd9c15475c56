package cachettest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// meta3 is a model's meta rows in id order (core:src/Concerns/HasMeta.php):
// keys are strings, values keep their JSON type.
type meta3 []kv3

type kv3 struct {
	key string
	val any // decoded JSON (json.Number for numbers)
}

// sync is HasMeta::syncMeta (core:src/Concerns/HasMeta.php:61-75): keys not
// given are deleted, given keys are updated in place or appended.
func (m meta3) sync(in map[string]any) meta3 {
	out := make(meta3, 0, len(in))
	for _, kv := range m {
		if v, ok := in[kv.key]; ok {
			out = append(out, kv3{kv.key, v})
		}
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		if !slices.ContainsFunc(out, func(kv kv3) bool { return kv.key == k }) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // PHP keeps the request's key order; Go's map has none
	for _, k := range keys {
		out = append(out, kv3{k, in[k]})
	}
	return out
}

func (m meta3) get(key string) (any, bool) {
	for _, kv := range m {
		if kv.key == key {
			return kv.val, true
		}
	}
	return nil, false
}

// write renders pluck('value','key'): an object, or [] when empty (an
// empty Collection).
func (m meta3) write(w *jw) {
	// pluck('value', 'key') is a PHP array: empty or keyed 0, 1, ... in
	// order, json_encode writes a list.
	list := true
	for i, kv := range m {
		list = list && kv.key == strconv.Itoa(i)
	}
	if list {
		w.arr()
		for _, kv := range m {
			w.value(kv.val)
		}
		w.endArr()
		return
	}
	w.obj()
	for _, kv := range m {
		w.key(kv.key)
		w.value(kv.val)
	}
	w.endObj()
}

type comp3 struct {
	id          int
	name        string
	description *string
	link        *string
	order       *int
	status      int
	enabled     bool
	groupID     int // 0 is null
	meta        meta3
	createdAt   time.Time
	updatedAt   time.Time
}

type group3 struct {
	id             int
	name           string
	order          int
	orderColumn    string // "" is null
	orderDirection string // "" is null
	collapsed      int
	visible        int
	meta           meta3
	createdAt      time.Time
	updatedAt      time.Time
}

type pivot3 struct{ component, status int }

type incident3 struct {
	id            int
	guid          string
	name          string
	message       string
	status        int
	visible       int
	stickied      bool
	notifications bool
	occurredAt    *time.Time
	publishedAt   *time.Time
	components    []pivot3
	meta          meta3
	createdAt     time.Time
	updatedAt     time.Time
}

type update3 struct {
	id        int
	kind      string // "incident" or "schedule"
	parent    int
	status    int
	message   string
	createdAt time.Time
	updatedAt time.Time
}

type metric3 struct {
	id           int
	name         string
	suffix       string
	description  *string
	defaultValue any
	calcType     int
	displayChart bool
	places       int
	defaultView  int
	threshold    int
	order        int
	visible      int
	createdAt    time.Time
	updatedAt    time.Time
}

type point3 struct {
	id        int
	metric    int
	value     float64
	counter   int
	createdAt time.Time
	updatedAt time.Time
}

type schedule3 struct {
	id          int
	name        string
	message     string
	scheduledAt time.Time
	completedAt *time.Time
	publishedAt *time.Time
	components  []pivot3
	meta        meta3
	createdAt   time.Time
	updatedAt   time.Time
}

type sub3 struct {
	id         int
	email      string
	global     bool
	verifiedAt *time.Time
	components []int // subscription rows in id order (duplicates possible)
	meta       meta3
	createdAt  time.Time
	updatedAt  time.Time
}

type v3store struct {
	components table[comp3]
	trashed    map[int]bool // soft-deleted component ids (still "exist" for validation)
	groups     table[group3]
	incidents  table[incident3]
	updates    table[update3]
	metrics    table[metric3]
	points     table[point3]
	schedules  table[schedule3]
	subs       table[sub3]
	templates  table[template3]
	byEmail    map[string]*sub3

	statusChanges int // ComponentStatusWasChanged events fired
}

func newV3Store() v3store {
	return v3store{
		components: newTable[comp3](),
		trashed:    map[int]bool{},
		groups:     newTable[group3](),
		incidents:  newTable[incident3](),
		updates:    newTable[update3](),
		metrics:    newTable[metric3](),
		points:     newTable[point3](),
		schedules:  newTable[schedule3](),
		subs:       newTable[sub3](),
		templates:  newTable[template3](),
		byEmail:    map[string]*sub3{},
	}
}

// notFound3 is ModelNotFoundException's message (lf:…/ModelNotFoundException.php:36-51).
func notFound3(model string, id int) r3 {
	return msg3(http.StatusNotFound, "No query results for model [Cachet\\Models\\"+model+"] "+strconv.Itoa(id))
}

// Status enums (core:src/Enums/*).
var (
	componentStatus3 = map[int]string{1: "Operational", 2: "Performance issues", 3: "Partial outage", 4: "Major outage", 5: "Unknown", 6: "Under maintenance"}
	incidentStatus3  = map[int]string{0: "Reported", 1: "Investigating", 2: "Identified", 3: "Watching", 4: "Fixed"}
	scheduleStatus3  = map[int]string{0: "Upcoming", 1: "In progress", 2: "Complete"}
	// severity ranks component statuses for "worst of" (ComponentStatusEnum.php:55-65).
	severity3 = map[int]int{4: 5, 3: 4, 2: 3, 6: 2, 5: 1, 1: 0}
)

// kenum writes {"human": label, "value": v}.
func (w *jw) kenum(k string, v int, labels map[int]string) {
	w.key(k)
	w.obj()
	w.kstr("human", labels[v])
	w.kint("value", v)
	w.endObj()
}

// ktime3 writes {"human": ..., "string": "Y-m-d H:i:s"} in UTC, nulls for nil.
func (w *jw) ktime3(k string, t *time.Time, now time.Time) {
	w.key(k)
	w.obj()
	if t == nil {
		w.knull("human")
		w.knull("string")
	} else {
		w.kstr("human", human3(now.Sub(*t)))
		w.kstr("string", t.UTC().Format(dateTime))
	}
	w.endObj()
}

// human3 approximates Carbon's diffForHumans (cosmetic: never compare it).
func human3(d time.Duration) string {
	suffix := "ago"
	if d < 0 {
		d, suffix = -d, "from now"
	}
	unit := func(n int, u string) string {
		if n != 1 {
			u += "s"
		}
		return strconv.Itoa(n) + " " + u + " " + suffix
	}
	switch {
	case d < time.Minute:
		return unit(int(d/time.Second), "second")
	case d < time.Hour:
		return unit(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return unit(int(d/time.Hour), "hour")
	default:
		return unit(int(d/(24*time.Hour)), "day")
	}
}

func ptr[T any](v T) *T { return &v }

func kstrOrNull(w *jw, k string, s *string) {
	w.key(k)
	if s == nil {
		w.null()
	} else {
		w.str(*s)
	}
}

func lowerContains(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// bind3 is route-model binding: the row of t with the route's id, or the
// 404 of ModelNotFoundException naming model when there is none or when
// rejects reports it bound elsewhere (a child row under another parent).
func bind3[T any](t *table[T], id int, key, model string, rejects func(*T) bool) (*T, *r3) {
	x, ok := t.get(id)
	if !ok || (rejects != nil && rejects(x)) {
		// ImplicitRouteBinding quotes the parameter as given
		// (lf:src/Illuminate/Routing/ImplicitRouteBinding.php:58-61 at 12.x).
		r := msg3(http.StatusNotFound, "No query results for model [Cachet\\Models\\"+model+"] "+key)
		return nil, &r
	}
	return x, nil
}

package cachettest

import (
	"slices"
	"strings"
	"time"
)

// table holds the live rows of one resource: a map for lookups and an
// id-ascending slice for listing, so a page is a sub-slice and never needs a
// sort. Ids are never reused, as with an auto-increment column.
type table[T any] struct {
	byID map[int]*T
	ids  []int // ascending
	rows []*T  // parallel to ids
	next int   // the next id to assign
}

func newTable[T any]() table[T] { return table[T]{byID: map[int]*T{}, next: 1} }

// alloc returns the next auto-increment id.
func (t *table[T]) alloc() int {
	id := t.next
	t.next++
	return id
}

// put stores v under id, replacing any row with that id.
func (t *table[T]) put(id int, v *T) {
	if id >= t.next {
		t.next = id + 1
	}
	if _, ok := t.byID[id]; ok {
		i, _ := slices.BinarySearch(t.ids, id)
		t.rows[i] = v
		t.byID[id] = v
		return
	}
	t.byID[id] = v
	if n := len(t.ids); n == 0 || t.ids[n-1] < id {
		t.ids = append(t.ids, id)
		t.rows = append(t.rows, v)
		return
	}
	i, _ := slices.BinarySearch(t.ids, id)
	t.ids = slices.Insert(t.ids, i, id)
	t.rows = slices.Insert(t.rows, i, v)
}

func (t *table[T]) get(id int) (*T, bool) {
	v, ok := t.byID[id]
	return v, ok
}

func (t *table[T]) remove(id int) {
	if _, ok := t.byID[id]; !ok {
		return
	}
	delete(t.byID, id)
	i, _ := slices.BinarySearch(t.ids, id)
	t.ids = slices.Delete(t.ids, i, i+1)
	t.rows = slices.Delete(t.rows, i, i+1)
}

func (t *table[T]) len() int { return len(t.rows) }

type component struct {
	id          int
	name        string
	description string
	link        string
	status      int
	order       int
	groupID     int
	enabled     bool
	meta        any      // decoded JSON; nil is null
	tags        []string // tag names in attach order
	createdAt   time.Time
	updatedAt   time.Time
}

type group struct {
	id        int
	name      string
	order     int
	collapsed int
	visible   int
	createdAt time.Time
	updatedAt time.Time
}

type incident struct {
	id            int
	userID        int // 0 is null
	componentID   int
	name          string
	status        int
	visible       int
	stickied      bool
	notifications bool
	message       string
	occurredAt    time.Time
	createdAt     time.Time
	updatedAt     time.Time
	meta          map[string]any
	metaKeys      []string          // insertion order of meta
	updates       []*incidentUpdate // id ascending
	scheduledAt   time.Time         // 2.3 only; zero is null
}

type incidentUpdate struct {
	id         int
	incidentID int
	status     int
	message    string
	userID     int
	createdAt  time.Time
	updatedAt  time.Time
}

type incidentTemplate struct {
	id        int
	name      string
	slug      string
	template  string
	createdAt time.Time
	updatedAt time.Time
}

type metric struct {
	id           int
	name         string
	suffix       string
	description  string
	defaultValue int
	calcType     int
	displayChart bool
	places       int
	defaultView  int
	threshold    int
	order        int
	visible      int
	createdAt    time.Time
	updatedAt    time.Time
	points       []*metricPoint // id ascending
}

type metricPoint struct {
	id        int
	metricID  int
	value     float64
	counter   int
	createdAt time.Time
	updatedAt time.Time
}

type schedule struct {
	id          int
	name        string
	message     string
	messageNull bool // the column is nullable and a create without message leaves it null
	status      int
	scheduledAt time.Time
	completedAt time.Time // zero is null
	createdAt   time.Time
	updatedAt   time.Time
}

// subscriber keeps its subscriptions compactly: subComp lists the component
// ids (ascending) and may be shared read-only between subscribers (every
// subscriber of "all components" shares one slice); subscription ids are
// subBase+i until one is deleted, after which subIDs holds them explicitly.
type subscriber struct {
	id         int
	email      string
	verifyCode string
	verifiedAt time.Time // zero is null
	global     bool
	createdAt  time.Time
	updatedAt  time.Time
	subComp    []int
	subIDs     []int
	subBase    int
}

func (s *subscriber) subID(i int) int {
	if s.subIDs != nil {
		return s.subIDs[i]
	}
	return s.subBase + i
}

// removeSub drops subscription i, copying the shared slices first.
func (s *subscriber) removeSub(i int) {
	ids := make([]int, 0, len(s.subComp)-1)
	comps := make([]int, 0, len(s.subComp)-1)
	for j, c := range s.subComp {
		if j == i {
			continue
		}
		ids = append(ids, s.subID(j))
		comps = append(comps, c)
	}
	s.subIDs, s.subComp = ids, comps
}

// subRange maps the first subscription id of a subscriber's creation to the
// subscriber, so a subscription id is found by binary search.
type subRange struct{ first, subscriber int }

type store struct {
	components  table[component]
	groups      table[group]
	incidents   table[incident]
	updates     table[incidentUpdate]
	templates   table[incidentTemplate]
	metrics     table[metric]
	points      table[metricPoint]
	schedules   table[schedule]
	subscribers table[subscriber]

	byEmail   map[string]*subscriber // lower-cased e-mail
	nextSubID int
	subRanges []subRange
	allComp   []int // cached ids of all live components; nil when stale

	tagNames []string // every tag ever created, id ascending (tags are shared)

	statusEvents int // component status-change events fired (2.4) or updates (2.3)
}

func newStore() store {
	return store{
		components:  newTable[component](),
		groups:      newTable[group](),
		incidents:   newTable[incident](),
		updates:     newTable[incidentUpdate](),
		templates:   newTable[incidentTemplate](),
		metrics:     newTable[metric](),
		points:      newTable[metricPoint](),
		schedules:   newTable[schedule](),
		subscribers: newTable[subscriber](),
		byEmail:     map[string]*subscriber{},
		nextSubID:   1,
	}
}

// allComponentIDs returns the shared, read-only list of live component ids.
func (s *store) allComponentIDs() []int {
	if s.allComp == nil {
		s.allComp = slices.Clone(s.components.ids)
		if s.allComp == nil {
			s.allComp = []int{}
		}
	}
	return s.allComp
}

// findSubscription returns the subscriber holding subscription id and its index.
func (s *store) findSubscription(id int) (*subscriber, int, bool) {
	i, found := slices.BinarySearchFunc(s.subRanges, id, func(r subRange, id int) int { return r.first - id })
	if !found {
		i--
	}
	if i < 0 {
		return nil, 0, false
	}
	sub, ok := s.subscribers.get(s.subRanges[i].subscriber)
	if !ok {
		return nil, 0, false
	}
	for j := range sub.subComp {
		if sub.subID(j) == id {
			return sub, j, true
		}
	}
	return nil, 0, false
}

// addSubscriber stores a new subscriber subscribed to comps (ascending).
func (s *store) addSubscriber(sub *subscriber, comps []int) {
	sub.subComp = comps
	sub.subBase = s.nextSubID
	if len(comps) > 0 {
		s.subRanges = append(s.subRanges, subRange{first: s.nextSubID, subscriber: sub.id})
		s.nextSubID += len(comps)
	}
	s.subscribers.put(sub.id, sub)
	s.byEmail[lower(sub.email)] = sub
}

// removeComponent soft-deletes a component and drops its subscriptions.
func (s *store) removeComponent(id int) {
	s.components.remove(id)
	s.allComp = nil
	for _, sub := range s.subscribers.rows {
		if i, ok := slices.BinarySearch(sub.subComp, id); ok {
			sub.removeSub(i)
		}
	}
}

// lower is the key of the e-mail index: MySQL's default collation compares
// e-mails case-insensitively.
func lower(s string) string { return strings.ToLower(s) }

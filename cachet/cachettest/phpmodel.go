package cachettest

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// PHPModel makes the emulator spend time the way a PHP-FPM server running
// Cachet does: every API request holds one of a bounded pool of workers
// for a fixed cost (booting Laravel, middleware, the token and settings
// queries) plus a cost per row it returns and per related row it loads (a
// subscriber's subscriptions, which Cachet eager-loads:
// app/Models/Subscriber.php:79 (2.4), $with = ['subscriptions']). Requests
// beyond the pool queue for a worker, as PHP-FPM's listen backlog does.
//
// The defaults (DefaultPHPModel) are estimates, not measurements of Cachet:
// see its comment for what they are based on.
type PHPModel struct {
	PerRequest time.Duration // fixed cost of every request
	PerRow     time.Duration // per row of a list returned (hydrated and presented)
	PerRelated time.Duration // per related row loaded (a listed subscriber's subscriptions)
	Workers    int           // PHP-FPM pm.max_children; at least 1
}

// DefaultPHPModel is a PHP server's cost as estimated from public figures;
// every number is an estimate:
//   - Workers 5: php-fpm's shipped www.conf sets pm = dynamic with
//     pm.max_children = 5, which a Cachet install left as packaged keeps.
//   - PerRequest 10ms: a Laravel 5 "hello world" costs 2-5 ms of CPU per
//     request with OPcache (kenjis/php-framework-benchmark; TechEmpower's
//     Laravel entries serve a few hundred requests per second per core);
//     a Cachet API request adds its middleware stack, a settings query, the
//     token's user lookup and the paginator's COUNT query.
//   - PerRow 40µs: Eloquent hydrates a model in roughly 10-20 µs (10,000
//     models in 0.1-0.2 s in published Eloquent benchmarks); Cachet then
//     runs each row through its presenter (several Carbon dates) and
//     json_encode, about as much again.
//   - PerRelated 15µs: a subscription is hydrated and converted with
//     toArray, without a presenter.
var DefaultPHPModel = PHPModel{PerRequest: 10 * time.Millisecond, PerRow: 40 * time.Microsecond, PerRelated: 15 * time.Microsecond, Workers: 5}

// Cost is the time one worker spends on a request that returned rows rows
// and loaded related related rows.
func (m PHPModel) Cost(rows, related int) time.Duration {
	return m.PerRequest + time.Duration(rows)*m.PerRow + time.Duration(related)*m.PerRelated
}

// WithPHPModel makes every API request cost time as m describes (see
// PHPModel). A model with fewer than 1 worker or a negative cost is refused.
func WithPHPModel(m PHPModel) Option {
	return func(o *options) {
		if m.Workers < 1 || m.PerRequest < 0 || m.PerRow < 0 || m.PerRelated < 0 {
			o.bad("WithPHPModel(%+v): want at least 1 worker and no negative cost", m)
		}
		o.php = &m
	}
}

// WithSleeper replaces the wait the PHP model's worker does for a request's
// cost (default: a timer, cut short when the client goes away). Tests
// inject one to see the costs, or to hold workers busy, without clocks.
func WithSleeper(sleep func(ctx context.Context, d time.Duration)) Option {
	return func(o *options) { o.sleep = sleep }
}

// PHPStats is what the PHP model has seen so far.
type PHPStats struct {
	Busy      int           // workers serving a request now
	Queued    int           // requests waiting for a worker now
	MaxQueued int           // the most requests ever waiting at once
	Work      time.Duration // total cost charged to workers
}

// phpPool is the PHP model's state: st.Busy workers serve requests, and
// waiting holds the queued requests in arrival order. A worker is taken and
// the counters change under one lock, so the counters are exact at every
// instant (a request is queued only when no worker was free).
type phpPool struct {
	model PHPModel

	mu      sync.Mutex
	st      PHPStats
	waiting []chan struct{} // closed when a worker is handed over
}

func newPHPPool(m PHPModel) *phpPool { return &phpPool{model: m} }

// acquire takes a worker, waiting in line for one; false when ctx ended
// first (no worker is held then).
func (p *phpPool) acquire(ctx context.Context) bool {
	p.mu.Lock()
	if p.st.Busy < p.model.Workers {
		p.st.Busy++
		p.mu.Unlock()
		return true
	}
	turn := make(chan struct{})
	p.waiting = append(p.waiting, turn)
	p.st.Queued++
	p.st.MaxQueued = max(p.st.MaxQueued, p.st.Queued)
	p.mu.Unlock()
	select {
	case <-turn:
		return true
	case <-ctx.Done():
	}
	p.mu.Lock()
	for i, w := range p.waiting {
		if w == turn { // still in line: leave it
			p.waiting = append(p.waiting[:i], p.waiting[i+1:]...)
			p.st.Queued--
			p.mu.Unlock()
			return false
		}
	}
	p.mu.Unlock()
	p.release() // handed a worker just as ctx ended: give it on
	return false
}

// release gives the worker to the first request in line, or frees it.
func (p *phpPool) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiting) == 0 {
		p.st.Busy--
		return
	}
	next := p.waiting[0]
	p.waiting = p.waiting[1:]
	p.st.Queued--
	close(next)
}

// PHPStats returns the PHP model's counters (zero without WithPHPModel).
func (e *Emulator) PHPStats() PHPStats {
	if e.php == nil {
		return PHPStats{}
	}
	e.php.mu.Lock()
	defer e.php.mu.Unlock()
	return e.php.st
}

// phpCost counts what one request returned; serveAPI's handlers add to it.
type phpCost struct{ rows, related int }

type phpCostKey struct{}

// costOf returns the request's cost counter, or a throwaway one.
func costOf(r *http.Request) *phpCost {
	if c, ok := r.Context().Value(phpCostKey{}).(*phpCost); ok {
		return c
	}
	return &phpCost{}
}

// servePHP serves r as one PHP-FPM worker: it waits for a free worker,
// computes the answer, holds the worker for the answer's cost and only
// then sends it (PHP sends its output when the script ends).
func (e *Emulator) servePHP(w http.ResponseWriter, r *http.Request, serve func(http.ResponseWriter, *http.Request)) {
	p := e.php
	if !p.acquire(r.Context()) {
		return
	}
	defer p.release()
	cost := &phpCost{}
	buf := &bufferedResponse{header: http.Header{}}
	serve(buf, r.WithContext(context.WithValue(r.Context(), phpCostKey{}, cost)))
	d := p.model.Cost(cost.rows, cost.related)
	p.mu.Lock()
	p.st.Work += d
	p.mu.Unlock()
	e.sleep(r.Context(), d)
	buf.sendTo(w)
}

// sleep waits d, or until ctx ends.
func (e *Emulator) sleep(ctx context.Context, d time.Duration) {
	if e.opts.sleep != nil {
		e.opts.sleep(ctx, d)
		return
	}
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// bufferedResponse holds an answer until the worker's time is spent.
type bufferedResponse struct {
	header http.Header
	status int
	body   []byte
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

func (b *bufferedResponse) sendTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	w.Write(b.body)
}

package cachet3_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
)

// BenchmarkSubscribersAll20k reads 20,000 subscribers (each with two
// component subscriptions and meta) through the 3.x emulator at 20 ms of
// latency per request. Sub-benchmarks vary the read-ahead; "sequential" is
// read-ahead 1 (one request after the other, the way links.next would be
// followed). "server-limit" keeps the server's 300 requests a minute and
// the client's matching limiter: a read of 20,000 subscribers takes 200
// pages and 199 boundary checks, more than one minute's budget.
// "sparse" gives the subscribers every other id (as after much churn), so
// that every page boundary needs its one-item check; with dense ids none
// does.
// Run with: go test ./cachet3 -run '^$' -bench SubscribersAll20k -benchtime 3x
func BenchmarkSubscribersAll20k(b *testing.B) {
	cases := []struct {
		name      string
		readAhead int
		limited   bool
		sparse    bool
	}{
		{"dense/sequential", 1, false, false},
		{"dense/readahead=8", 8, false, false},
		{"dense/readahead=16", 16, false, false},
		{"sparse/sequential", 1, false, true},
		{"sparse/readahead=8", 8, false, true},
		{"sparse/readahead=16", 16, false, true},
		{"dense/server-limit/readahead=8", 8, true, false},
		{"sparse/server-limit/readahead=8", 8, true, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if testing.Short() && (tc.readAhead == 1 || tc.limited) {
				// CI runs benchmarks once in short mode: the sequential and
				// rate-limited reads take 5-60 s each and prove nothing new there.
				b.Skip("slow case; run without -short")
			}
			srv := cachettest.Start(b, cachettest.WithVersion("3"), cachettest.WithLatency(benchLatency, 0))
			comps := srv.SeedComponents3(2)
			subs := make([]cachettest.Subscriber3, 20000)
			for i := range subs {
				subs[i] = cachettest.Subscriber3{Email: fmt.Sprintf("user%05d@example.com", i), Verified: true,
					Components: comps, Meta: map[string]any{"team": "ops"}}
				if tc.sparse {
					subs[i].ID = 2*i + 1
				}
			}
			srv.SeedSubscribers3(subs...)
			opts := []cachet3.Option{cachet3.WithReadAhead(tc.readAhead)}
			if !tc.limited {
				srv.SetRateLimit(0)
				opts = append(opts, cachet3.WithRateLimit(0, 0))
			}
			c, err := cachet3.New(srv.URL, srv.Token(), opts...)
			if err != nil {
				b.Fatal(err)
			}
			var rep cachet3.ReadReport
			if !tc.limited { // warm up connections (not under the server's limit: it would spend the budget)
				if _, _, err := c.Subscribers.All(context.Background(), cachet3.ListOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				var got []cachet3.Subscriber
				got, rep, err = c.Subscribers.All(context.Background(), cachet3.ListOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != 20000 {
					b.Fatalf("read %d subscribers", len(got))
				}
			}
			b.ReportMetric(float64(rep.Requests), "requests/op")
			b.ReportMetric(float64(rep.RoundTrips), "roundtrips/op")
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "wall-ms/op")
		})
	}
}

var benchLatency = 20 * time.Millisecond

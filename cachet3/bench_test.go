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
// Run with: go test ./cachet3 -run '^$' -bench SubscribersAll20k -benchtime 1x
func BenchmarkSubscribersAll20k(b *testing.B) {
	cases := []struct {
		name      string
		readAhead int
		limited   bool
	}{
		{"sequential", 1, false},
		{"readahead=8", 8, false},
		{"readahead=16", 16, false},
		{"server-limit/readahead=8", 8, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			srv := cachettest.Start(b, cachettest.WithVersion("3"), cachettest.WithLatency(benchLatency, 0))
			comps := srv.SeedComponents3(2)
			subs := make([]cachettest.Subscriber3, 20000)
			for i := range subs {
				subs[i] = cachettest.Subscriber3{Email: fmt.Sprintf("user%05d@example.com", i), Verified: true,
					Components: comps, Meta: map[string]any{"team": "ops"}}
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

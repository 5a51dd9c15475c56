package spec_test

import (
	"fmt"
	"testing"

	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/spec"
)

// BenchmarkParse parses and checks the file of BenchmarkPlanCLI's page
// (groups of components, subscribers of some of them) for 5,000 and
// 100,000 subscribers (only 5,000 in short mode), reporting CPU per
// subscriber as ns/subscriber.
func BenchmarkParse(b *testing.B) {
	sizes := []benchpage.Shape{
		{Groups: 50, PerGroup: 10, Subscribers: 5_000},
		{Groups: 250, PerGroup: 20, Subscribers: 100_000},
	}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, sh := range sizes {
		b.Run(fmt.Sprintf("subscribers=%d", sh.Subscribers), func(b *testing.B) {
			_, want := benchpage.Synth(sh)
			data := benchpage.YAML(want)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := spec.Parse("status.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(sh.Subscribers), "ns/subscriber")
		})
	}
}

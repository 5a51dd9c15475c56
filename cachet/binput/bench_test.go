package binput

import "testing"

func BenchmarkCleanPlain(b *testing.B) {
	for b.Loop() {
		Clean("Checkout API serving the EU storefront")
	}
}

func BenchmarkCleanMarkup(b *testing.B) {
	for b.Loop() {
		Clean(`p99 < 200ms, see <a href="https://x.test/?q=a%2Fb">status</a> & more`)
	}
}

package spec

import (
	"testing"
	"time"
	"os"
	"path/filepath"
)

func FuzzZZHang(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan bool)
		go func() { Parse("f.yaml", data); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.yaml", data, 0o644)
			t.Fatalf("hang: %q", data)
		}
	})
}

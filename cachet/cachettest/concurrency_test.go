package cachettest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
)

func TestConcurrentRequests(t *testing.T) {
	a := newAPI(t)
	e := a.srv.Emulator
	for i := range 50 {
		seedComponent(e, fmt.Sprint("c", i), 1, 0)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := range 8 {
		wg.Go(func() {
			for i := range 10 {
				body := fmt.Sprintf(`{"email":"u%d-%d@example.com","components":[1,2]}`, w, i)
				if s := rawStatus(a, "POST", "/subscribers", body); s != 200 {
					errs <- fmt.Errorf("POST subscriber: %d", s)
				}
				if s := rawStatus(a, "PUT", fmt.Sprintf("/components/%d", 1+(w*10+i)%50), `{"status":2}`); s != 200 {
					errs <- fmt.Errorf("PUT component: %d", s)
				}
				if s := rawStatus(a, "GET", "/subscribers?per_page=7&page=2", ""); s != 200 {
					errs <- fmt.Errorf("GET subscribers: %d", s)
				}
				e.SeedGroup(cachet.ComponentGroup{Name: "g"})
				_ = e.Components()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(e.Subscribers()); n != 80 {
		t.Errorf("%d subscribers, want 80", n)
	}
	if got := e.Stats().Requests; got["POST"] != 80 || got["PUT"] != 80 || got["GET"] != 80 {
		t.Errorf("stats %v", got)
	}
}

func rawStatus(a *api, method, path, body string) int {
	req, _ := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cachet-Token", a.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// seedLarge seeds 2,000 components and 20,000 subscribers, each subscribed
// to three components.
func seedLarge(e *Emulator) {
	for i := range 2000 {
		e.SeedComponent(cachet.Component{Name: fmt.Sprint("component ", i), Status: 1, Enabled: true})
	}
	for i := range 20000 {
		e.SeedSubscriber(fmt.Sprintf("user%05d@example.com", i), 1+i%2000, 1+(i+1)%2000, 1+(i+7)%2000)
	}
}

func TestLargeSubscriberList(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	seedLarge(srv.Emulator)
	seen := 0
	for page := 1; ; page++ {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/subscribers?per_page=1000&sort=id&page=%d", srv.URL, page), nil)
		req.Header.Set("X-Cachet-Token", srv.Token())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Meta struct {
				Pagination struct {
					Total      int
					Count      int
					TotalPages int `json:"total_pages"`
				}
			}
			Data []struct {
				ID            int
				Subscriptions []struct {
					ComponentID int `json:"component_id"`
				}
			}
		}
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if body.Meta.Pagination.Total != 20000 || len(body.Data) != body.Meta.Pagination.Count {
			t.Fatalf("page %d: %+v", page, body.Meta.Pagination)
		}
		// The subscriber index has no sort: sort=id is ignored, ids ascend.
		if len(body.Data) > 0 && body.Data[0].ID != (page-1)*1000+1 {
			t.Fatalf("page %d starts at %d", page, body.Data[0].ID)
		}
		seen += len(body.Data)
		if page >= body.Meta.Pagination.TotalPages {
			break
		}
	}
	if seen != 20000 {
		t.Errorf("read %d subscribers", seen)
	}
}

// BenchmarkListSubscribers lists 20,000 subscribers in pages of 1,000 from
// parallel clients.
func BenchmarkListSubscribers(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	seedLarge(srv.Emulator)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	start := time.Now()
	var page sync.Mutex
	next := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			page.Lock()
			p := next%20 + 1
			next++
			page.Unlock()
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/subscribers?per_page=1000&sort=id&page=%d", srv.URL, p), nil)
			req.Header.Set("X-Cachet-Token", srv.Token())
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.StopTimer()
	elapsed := time.Since(start)
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "requests/s")
}

package cachettest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// outcome is what one request saw: a status, or 0 for a dropped connection.
func outcomes(t *testing.T, opts ...Option) []int {
	t.Helper()
	srv := NewServer(opts...)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var out []int
	for range 60 {
		res, err := client.Get(srv.URL + "/ping")
		if err != nil {
			out = append(out, 0)
			continue
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		out = append(out, res.StatusCode)
	}
	return out
}

func TestFaultsReproducible(t *testing.T) {
	a := outcomes(t, WithSeed(42), WithFaults(0.5))
	b := outcomes(t, WithSeed(42), WithFaults(0.5))
	c := outcomes(t, WithSeed(43), WithFaults(0.5))
	if string(mustJSON(a)) != string(mustJSON(b)) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if string(mustJSON(a)) == string(mustJSON(c)) {
		t.Errorf("different seeds, same faults: %v", a)
	}
	seen := map[int]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range []int{200, 500, 502, 503, 429, 0} {
		if seen[s] == 0 {
			t.Errorf("no %d in %v", s, a)
		}
	}
	if off := outcomes(t, WithSeed(42)); strings.Count(string(mustJSON(off)), "200") != 60 {
		t.Errorf("faults without a rate: %v", off)
	}
}

func TestFaultResponses(t *testing.T) {
	a := newAPI(t, WithSeed(1), WithFaults(1), WithRetryAfter(0))
	kinds := map[int]bool{}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 40 {
		res, err := client.Get(a.srv.URL + "/ping")
		if err != nil {
			kinds[0] = true // dropped
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		kinds[res.StatusCode] = true
		switch res.StatusCode {
		case 429, 503:
			if got := res.Header.Get("Retry-After"); got != "0" {
				t.Errorf("%d: Retry-After = %q", res.StatusCode, got)
			}
		case 500:
			if !strings.Contains(string(body), `"errors"`) {
				t.Errorf("500 body %s", body)
			}
		case 200:
			t.Error("a request succeeded at fault rate 1")
		}
	}
	if !kinds[0] {
		t.Error("no dropped connection")
	}
	if got := a.srv.Stats().Requests["GET"]; got != 40 {
		t.Errorf("faulted requests counted %d, want 40", got)
	}
	// The stats endpoint is never faulted.
	res, err := client.Get(a.srv.BaseURL() + "/_emulator/stats")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stats: %v %v", res, err)
	}
	res.Body.Close()
	a.srv.SetFaults(0)
	a.get("/ping").expect(t, 200)
}

func TestFaultsBeforeAndAfterApply(t *testing.T) {
	a := newAPI(t, WithSeed(7), WithFaults(1))
	applied, notApplied := 0, 0
	for i := range 60 {
		before := len(a.srv.Components())
		f := a.srv.decide(uint64(i))
		res, err := http.DefaultClient.Do(newJSONRequest(t, a, `{"name":"x"}`))
		if err == nil {
			res.Body.Close()
		}
		grew := len(a.srv.Components()) > before
		if grew != f.afterApply {
			t.Fatalf("request %d (%+v): applied = %v", i, f, grew)
		}
		if grew {
			applied++
			if f.kind == fault429 {
				t.Errorf("applied with a 429, which promises the request was not handled")
			}
		} else {
			notApplied++
		}
	}
	if applied == 0 || notApplied == 0 {
		t.Errorf("applied %d, not applied %d", applied, notApplied)
	}
}

func newJSONRequest(t *testing.T, a *api, body string) *http.Request {
	req, err := http.NewRequest("POST", a.srv.URL+"/components", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cachet-Token", a.token)
	req.Close = true
	return req
}

func TestDroppedConnection(t *testing.T) {
	e := New(WithSeed(1), WithFaults(1))
	var n uint64
	for e.decide(n).kind != faultDrop {
		n++
	}
	srv := NewServer(WithSeed(1), WithFaults(1))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range n {
		res, err := client.Get(srv.URL + "/ping")
		if err == nil {
			res.Body.Close()
		}
	}
	_, err := client.Get(srv.URL + "/ping")
	if err == nil {
		t.Fatal("dropped request got a response")
	}
}

func TestLatency(t *testing.T) {
	e := New(WithSeed(3), WithLatency(10*time.Millisecond, 5*time.Millisecond))
	for n := range uint64(50) {
		d := e.decide(n).delay
		if d < 10*time.Millisecond || d >= 15*time.Millisecond {
			t.Fatalf("delay %v out of range", d)
		}
		if d != New(WithSeed(3), WithLatency(10*time.Millisecond, 5*time.Millisecond)).decide(n).delay {
			t.Fatal("latency not reproducible")
		}
	}
	srv := NewServer(WithLatency(time.Millisecond, 0))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/ping")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	res.Body.Close()
}

package phpfilter

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"
)

// TestValidEmailMatchesPHP compares ValidEmail with filter_var run by PHP
// (gen_email.go) on 6,000 addresses: the fixed cases below and generated
// ones (atoms, quoted local parts, IP literals, long labels and local
// parts, stray bytes).
func TestValidEmailMatchesPHP(t *testing.T) {
	data, err := os.ReadFile("testdata/php_email.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		PHP  string
		Rows []struct {
			S  string
			OK bool
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rows) < 6000 {
		t.Fatalf("%d rows", len(doc.Rows))
	}
	accepted := 0
	for _, r := range doc.Rows {
		b, err := base64.StdEncoding.DecodeString(r.S)
		if err != nil {
			t.Fatal(err)
		}
		if got := ValidEmail(string(b)); got != r.OK {
			t.Errorf("ValidEmail(%q) = %v, PHP %s says %v", b, got, doc.PHP, r.OK)
		}
		if r.OK {
			accepted++
		}
	}
	if accepted < 1000 || accepted > len(doc.Rows)-1000 {
		t.Errorf("%d of %d accepted: the cases do not cover both answers", accepted, len(doc.Rows))
	}
}

// TestValidEmailCases pins cases whose reason is in the pattern of
// ext/filter/logical_filters.c (php_filter_validate_email).
func TestValidEmailCases(t *testing.T) {
	for s, want := range map[string]bool{
		"oncall@example.com":               true,
		"a@localhost":                      false, // the host needs a dot
		`"a b"@x.io`:                       false, // a space in quotes must be escaped
		`"a\ b"@x.io`:                      true,
		"a@[1.2.3.4]":                      true,
		"a@[256.1.1.1]":                    false,
		"a@[IPv6:::1]":                     true,
		"x@-a.com":                         false,
		"x@a.1b":                           false, // the last label starts with a letter
		"x_y@a.com":                        true,
		"x@a_b.com":                        false,
		"a@x.io\n":                         false, // $ with the D flag
		"é@a.com":                          false, // no Unicode without FILTER_FLAG_EMAIL_UNICODE
		string(make([]byte, 64)) + "@x.io": false,
	} {
		if got := ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
	long := "x@" + repeat("a", 63) + ".io"
	if !ValidEmail(long) || ValidEmail("x@"+repeat("a", 64)+".io") {
		t.Error("labels: 63 bytes pass, 64 fail")
	}
	if !ValidEmail(repeat("a", 64)+"@x.io") || ValidEmail(repeat("a", 65)+"@x.io") {
		t.Error("local part: 64 bytes pass, 65 fail")
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// TestPlainEmailAgreesWithThePattern: the shortcut decides exactly as the
// whole pattern on the PHP corpus and on random strings of the bytes it
// decides for.
func TestPlainEmailAgreesWithThePattern(t *testing.T) {
	check := func(s string) {
		if valid, decided := plainEmail(s); decided && valid != patternEmail(s) {
			t.Errorf("plainEmail(%q) = %v, the pattern says %v", s, valid, !valid)
		}
	}
	data, err := os.ReadFile("testdata/php_email.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Rows []struct{ S string } }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Rows {
		b, _ := base64.StdEncoding.DecodeString(r.S)
		check(string(b))
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abzAZ09._%+-@-..."
	decided := 0
	for range 200000 {
		n := 1 + r.IntN(12)
		if r.IntN(50) == 0 {
			n = 60 + r.IntN(200)
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
		if _, d := plainEmail(string(b)); d {
			decided++
		}
	}
	if decided < 100000 {
		t.Errorf("only %d random strings decided by the shortcut", decided)
	}
}

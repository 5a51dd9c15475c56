package laravelurl

import "testing"

// TestValid: expected values from running Laravel's own patterns with PHP
// 8.2 (preg_match with /ixu): ValidatesAttributes.php:1570-1586 of 5.7.29,
// and Validator.php:1491-1505 of 5.2.39 (its "\\pS-\\." class read as the
// literal "-" the PCRE of its day saw).
func TestValid(t *testing.T) {
	for _, tc := range []struct {
		url      string
		l57, l52 bool
	}{
		{"https://example.com", true, true},
		{"http://exa_mple.com", false, false},
		{"http://example.123", false, false},
		{"http://localhost:8080/x", true, true},
		{"foo://example.com", false, false},
		{"s3://bucket.example", true, false},
		{"http://first.last@example.com", false, false},
		{"http://user:pw@example.com/", true, true},
		{"HTTPS://EXAMPLE.COM/A?b=c#d", true, true},
		{"http://1.2.3.4", true, true},
		{"http://[::1]:80/", true, true},
		{"http://[::g]/", false, false},
		{"http://example.com/a b", false, false},
		{"http://example.com/a\u00a0b", false, false},
		{"http://ex\u00e4mple.de", true, true},
		{"http://example.com?q", true, true},
		{"http://example.com#", true, true},
		{"http://example.com/", true, true},
		{"http://.", false, false},
		{"http://a-.com", true, true},
		{"ftp://ftp.example.org/file", true, true},
		{"mailto:a@b.c", false, false},
		{"javascript:alert(1)", false, false},
		{"http://example.com:", false, false},
		{"http://xn--bcher-kva.ch", true, true},
		{"http://example.com.", true, true},
		{"http://\u0663.\u0663.\u0663.\u0663", true, true},
		{"irisXbeep://x.y", true, true},
		{"http://example.com/\u2003", false, false},
	} {
		if got := Valid(tc.url, false); got != tc.l57 {
			t.Errorf("5.7 %q: %v, want %v", tc.url, got, tc.l57)
		}
		if got := Valid(tc.url, true); got != tc.l52 {
			t.Errorf("5.2 %q: %v, want %v", tc.url, got, tc.l52)
		}
	}
}

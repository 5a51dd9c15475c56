//go:build ignore

// gen_email writes testdata/php_email.json: candidate addresses and
// whether PHP's filter_var($s, FILTER_VALIDATE_EMAIL) accepts them,
// computed by the real PHP (php-cli 7.0 or later: the pattern has not
// changed since). Regenerate with: go run gen_email.go
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
)

func main() {
	r := rand.New(rand.NewPCG(7, 13))
	seen := map[string]bool{}
	var cands []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			cands = append(cands, s)
		}
	}
	for _, s := range fixed {
		add(s)
	}
	for len(cands) < 6000 {
		add(candidate(r))
	}
	script := `$in = json_decode(stream_get_contents(STDIN)); $out = [];
foreach ($in as $s) { $s = base64_decode($s); $out[] = ['s' => base64_encode($s), 'ok' => filter_var($s, FILTER_VALIDATE_EMAIL) !== false]; }
echo json_encode(['php' => PHP_VERSION, 'rows' => $out]);`
	enc := make([]string, len(cands))
	for i, c := range cands {
		enc[i] = b64(c)
	}
	in, _ := json.Marshal(enc)
	cmd := exec.Command("php", "-r", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	var res struct {
		PHP  string
		Rows []struct {
			S  string `json:"s"`
			OK bool   `json:"ok"`
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"php\": %q, \"rows\": [\n", res.PHP)
	for i, row := range res.Rows {
		sep := ","
		if i == len(res.Rows)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "  {\"s\": %q, \"ok\": %t}%s\n", row.S, row.OK, sep)
	}
	b.WriteString("]}\n")
	if err := os.WriteFile("testdata/php_email.json", b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func b64(s string) string {
	const t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var b strings.Builder
	for i := 0; i < len(s); i += 3 {
		var n uint32
		k := min(3, len(s)-i)
		for j := 0; j < 3; j++ {
			n <<= 8
			if j < k {
				n |= uint32(s[i+j])
			}
		}
		for j := 0; j < 4; j++ {
			if j <= k {
				b.WriteByte(t[(n>>(18-6*j))&63])
			} else {
				b.WriteByte('=')
			}
		}
	}
	return b.String()
}

var fixed = []string{
	"a@localhost", "A.B@Example.COM", `"a b"@x.io`, `"a\ b"@x.io`, `"a\"b"@x.io`, `""@x.io`, `"a@b"@x.io`,
	"a@[1.2.3.4]", "a@[256.1.1.1]", "a@[01.2.3.4]", "a@x.io\n", " a@x.io", "a@x.io ",
	"a@[IPv6:::1]", "a@[IPv6:1:2:3:4:5:6:7:8]", "a@[IPv6:1:2:3:4:5:6:7::]", "a@[IPv6:1::2:3:4:5:6:7]",
	"a@[IPv6:1:2:3:4:5:6::1.2.3.4]", "a@[IPv6:1:2:3:4:5:6:1.2.3.4]", "a@[IPv6:1:2:3::1.2.3.4]", "a@[IPv6:1:2:3:4::1.2.3.4]",
	"a@[IPv6:::1.2.3.4]", "a@[ipv6:::1]", "a@[IPV6:FFFF::1]", "x@a-.com", "x@-a.com", "x@a--b.com", "x@a.b-c", "x@a.b-", "x@a.1b",
	"x@a.xn--p1ai", "x@xn--d1acufc.xn--p1ai", "x@a..b.com", "x@.a.com", "x@a.com.", ".x@a.com", "x.@a.com", "x..y@a.com",
	"x@a_b.com", "x_y@a.com", "x+tag@a.com", "x%y@a.com", "x@a.c", "x@a.co1", "x@1.com", "x@a.b.c.d.e.f",
	"x@@a.com", "@a.com", "x@", "x", "", "é@a.com", "x@é.com", "x\x00y@a.com", "x\ty@a.com",
	strings.Repeat("a", 64) + "@x.io", strings.Repeat("a", 65) + "@x.io", "x@" + strings.Repeat("a", 63) + ".io", "x@" + strings.Repeat("a", 64) + ".io",
	strings.Repeat("a", 60) + "@" + strings.Repeat("b.", 125) + "io", strings.Repeat("a", 64) + "@" + strings.Repeat("bcd.", 60) + "io",
	`"` + strings.Repeat("a", 64) + `"@x.io`, `"` + strings.Repeat("a", 63) + `"@x.io`, strings.Repeat(`\a`, 40) + "@x.io",
	`"` + strings.Repeat(`\a`, 40) + `"@x.io`, `"a"."b"@x.io`, `"a".b@x.io`, `a."b"@x.io`, `"a""b"@x.io`,
}

const atomChars = "abcxyzABCXYZ0189!#$%&'*+-/=?^_`{|}~"

func candidate(r *rand.Rand) string {
	pick := func(s string) byte { return s[r.IntN(len(s))] }
	var local, domain string
	switch r.IntN(6) {
	case 0, 1, 2:
		n := 1 + r.IntN(8)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(pick(atomChars))
			if r.IntN(5) == 0 {
				b.WriteByte('.')
			}
		}
		local = b.String()
	case 3:
		local = `"` + strings.Repeat(string(pick(`ab \"@.()[]\x`)), 1+r.IntN(4)) + `"`
	case 4:
		local = strings.Repeat("a", 55+r.IntN(15))
	default:
		var b strings.Builder
		for i := 0; i < 1+r.IntN(6); i++ {
			b.WriteByte(byte(r.IntN(128)))
		}
		local = b.String()
	}
	switch r.IntN(7) {
	case 0, 1, 2:
		labels := 1 + r.IntN(4)
		parts := make([]string, labels)
		for i := range parts {
			var b strings.Builder
			for j := 0; j < 1+r.IntN(6); j++ {
				b.WriteByte(pick("abcXYZ019-"))
			}
			parts[i] = b.String()
		}
		domain = strings.Join(parts, ".")
	case 3:
		domain = fmt.Sprintf("[%d.%d.%d.%d]", r.IntN(300), r.IntN(300), r.IntN(260), r.IntN(260))
	case 4:
		groups := make([]string, r.IntN(9))
		for i := range groups {
			if r.IntN(4) > 0 {
				groups[i] = fmt.Sprintf("%x", r.IntN(0x1ffff))
			}
		}
		tail := ""
		if r.IntN(3) == 0 {
			tail = fmt.Sprintf(":%d.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256))
		}
		domain = "[" + []string{"IPv6:", "ipv6:", ""}[r.IntN(3)] + strings.Join(groups, ":") + tail + "]"
	case 5:
		domain = strings.Repeat("a", 60+r.IntN(8)) + ".com"
	default:
		domain = "example.com"
	}
	s := local + "@" + domain
	if r.IntN(10) == 0 {
		s += string(pick(" \n.@-"))
	}
	return s
}

//go:build ignore

// gen_expected writes testdata/php_clean.json: a fixed corpus of strings
// built from tokens that exercise every step of Security::process, with what
// the real vendor PHP makes of each (2.4 and 2.3). TestMatchesPHP compares
// the Go port with it; CI needs no PHP.
//
// Regenerate (needs php-cli 8.x):
//
//	mkdir -p /tmp/vendor/v24 /tmp/vendor/v23
//	# github.com/GrahamCampbell/Security-Core at v1.0.3 (3b14e58d):
//	git show v1.0.3:src/Security.php > /tmp/vendor/v24/Security.php
//	git show v1.0.3:src/Utils.php > /tmp/vendor/v24/Utils.php
//	# github.com/GrahamCampbell/Laravel-Security at v3.7.0 (48d92c56):
//	git show v3.7.0:src/Security.php > /tmp/vendor/v23/Security.php
//	go run gen_expected.go -vendor /tmp/vendor
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
)

// tokens are pieces of text a user could write, and pieces of markup and
// escapes the filter reacts to.
var tokens = []string{
	"<", ">", "&", "%", "%2F", "%20", "%252F", "%3C", "%3c", "%0a", "%0A", "%0b", "%1f", "%%", "% 2 F",
	`"`, "'", "`", `\`, "=", " ", "  ", "\t", "\n", "a", "b", "x", "p99", "200ms", "<b>", "</b>",
	`<a href="`, "javascript:", "java script:", "onload=", `onclick="x"`, `style="a"`, "&amp;", "&lt;",
	"&gt;", "&quot;", "&#39;", "&#x41;", "&#65", "&#x3c", "&eacute", "&nbsp;", "&copy", "é", "日本", "😀",
	"Ä", "\u00a0", "(", ")", "alert(1)", "file (x)", "system(", "eval", "e val ", "<script>", "</script>",
	"<img src=x>", "<?php", "?>", "<!--", "-->", "<%", "document.cookie", "window.location",
	"Redirect 301", "data:", "base64,", "vbs:", "<br/>", `<p class="x">`, "<div onmouseover=x>",
	"<iframe>", "<xss>", "a=b", `x="1"`, "y='2'", `<b title="&lt;x&gt;">`, `<A HREF="x">`, "<abc",
	"< b >", "<=", "<-", "<3", "http://x.test/?q=a%2Fb", "https://e.x/a b", "\u212a", "\u017f",
	"\x01", "\x7f", "\x0c", "-", "_", "@", ";", ":", "/", ".", ",", "#", "0", "1", "ff", "FA", "deg",
	"\xff", "\xc3",
}

func main() {
	vendor := flag.String("vendor", "", "directory with the vendor PHP files (see the file comment)")
	flag.Parse()
	r := rand.New(rand.NewPCG(9, 2026))
	var inputs []string
	for i := 0; i < 2000; i++ {
		n := 1 + r.IntN(8)
		if i%10 == 0 {
			n = 1 + r.IntN(25)
		}
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteString(tokens[r.IntN(len(tokens))])
		}
		inputs = append(inputs, b.String())
	}
	enc := make([]string, len(inputs))
	for i, s := range inputs {
		enc[i] = base64.StdEncoding.EncodeToString([]byte(s))
	}
	in, _ := json.Marshal(enc)
	cmd := exec.Command("php", "testdata/php/clean.php", *vendor)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	var res [][2]string
	if err := json.Unmarshal(out, &res); err != nil {
		log.Fatal(err)
	}
	type row struct {
		In  string `json:"in"`
		V24 string `json:"v24"`
		V23 string `json:"v23"`
	}
	rows := make([]row, len(res))
	for i, r := range res {
		rows[i] = row{In: enc[i], V24: r[0], V23: r[1]}
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, r := range rows {
		line, _ := json.Marshal(r)
		b.Write(line)
		if i < len(rows)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	if err := os.WriteFile("testdata/php_clean.json", b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

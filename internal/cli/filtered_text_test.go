package cli_test

import (
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// filteredFile holds text Cachet's input filter changes (package binput):
// "<", "&", "%2F", quotes, emoji, call-like words.
const filteredFile = `groups:
  - name: "R&D <core> 😀"
    components:
      - name: "Mail system (SMTP)"
        description: "p99 < 200ms & \"quoted\" 😀"
        link: "https://x.test/?q=a%2Fb"
        tags: ["a<b", "Café", "it's"]
        meta: {owner: "x<y", note: null}
components:
  - name: "A&B 'quoted' <3"
    description: "A --> B, 100% up"
    link: "https://x.test/a&b"
`

// TestFilteredTextConverges: a file whose names, descriptions and links
// Cachet stores otherwise plans (saying how each is stored), applies, and
// plans again as "No changes." on 2.4 and on 2.3.
func TestFilteredTextConverges(t *testing.T) {
	for _, version := range []string{"2.4", "2.3"} {
		t.Run(version, func(t *testing.T) {
			srv := cachettest.NewServer(cachettest.WithVersion(version))
			defer srv.Close()
			file := writeFile(t, "status.yaml", []byte(filteredFile))

			r := run(t, srv.URL, srv.Token(), "plan", "-f", file)
			if r.code != 0 {
				t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, note := range []string{
				`name will be stored as "Mail system &#40;SMTP&#41;" (Cachet escapes "(" and ")" after "system")`,
				`description will be stored as "p99 &lt; 200ms & \"quoted\" 😀" (Cachet escapes "<")`,
				`link will be stored as "https://x.test/?q=a/b" (Cachet decodes %-escapes such as "%2F")`,
				`tags will be stored as ["a&lt;b", "Café", "it's"]`,
				`name will be stored as "A&B 'quoted' &lt;3" (Cachet escapes "<")`,
				`description will be stored as "A --&gt; B, 100% up" (Cachet escapes "-->")`,
			} {
				if !strings.Contains(r.stdout, note) {
					t.Errorf("plan lacks %q:\n%s", note, r.stdout)
				}
			}
			if writes(srv.Emulator) != 0 {
				t.Fatal("plan wrote")
			}
			r = run(t, srv.URL, srv.Token(), "apply", "-f", file, "--auto-approve")
			if r.code != 0 || !strings.Contains(r.stdout, "0 failed, 0 not attempted.") {
				t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, srv.URL, srv.Token(), "plan", "-f", file, "--detailed-exitcode")
			if r.code != 0 || !strings.Contains(r.stdout, "No changes.") {
				t.Fatalf("plan after apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			names := map[string]bool{}
			for _, c := range srv.Components() {
				names[c.Name] = true
			}
			if !names["Mail system &#40;SMTP&#41;"] || !names["A&B 'quoted' &lt;3"] || len(names) != 2 {
				t.Errorf("stored names = %v", names)
			}
		})
	}
}

// TestLinkCachetWouldRejectIsRefused: a link whose %20 Cachet decodes to a
// space (then fails its url rule with a 400 in the middle of an apply) is
// refused with its position, before any request.
func TestLinkCachetWouldRejectIsRefused(t *testing.T) {
	file := writeFile(t, "status.yaml", []byte("components:\n  - name: API\n  - name: Web\n    link: https://x.test/a%20b\n"))
	for _, cmd := range []string{"plan", "apply"} {
		args := []string{cmd, "-f", file}
		if cmd == "apply" {
			args = append(args, "--auto-approve")
		}
		// A server of its own per command: plan's cancelled reads may
		// still reach a shared server after plan returned, and would be
		// counted against apply.
		srv := cachettest.Start(t)
		r := run(t, srv.URL, srv.Token(), args...)
		want := `status.yaml:4:11: link "https://x.test/a%20b" would be rejected by Cachet: it decodes %-escapes such as "%20" before checking links, and "https://x.test/a b" is not a valid URL`
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, want the error %q\n%s%s", cmd, r.code, want, r.stdout, r.stderr)
		}
		// plan reads the page while parsing (cancelled GETs); neither
		// command writes, and apply sends nothing at all.
		n := 0
		for m, c := range srv.Stats().Requests {
			if cmd == "apply" || m != "GET" {
				n += c
			}
		}
		if n != 0 {
			t.Errorf("%s: %d requests were made: %v", cmd, n, srv.Stats().Requests)
		}
	}
}

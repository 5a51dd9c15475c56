package spec

import "testing"

// Values Cachet's input filter (package binput) cannot store are refused
// with their position, before any request.
func TestUnstorableValues(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"link with %20", "components:\n  - name: A\n    link: https://x.test/a%20b\n",
			`t.yaml:3:11: link "https://x.test/a%20b" would be rejected by Cachet: it decodes %-escapes such as "%20" before checking links, and "https://x.test/a b" is not a valid URL`},
		{"link with %2520", "components:\n  - name: A\n    link: \"https://x.test/%2520\"\n",
			`t.yaml:3:11: link "https://x.test/%2520" would be rejected by Cachet: it decodes %-escapes such as "%25" before checking links, and "https://x.test/ " is not a valid URL`},
		{"name decoded to a space", "groups:\n  - name: \"%20\"\n",
			`t.yaml:2:11: group name "%20" would be stored empty: Cachet decodes %-escapes such as "%20"`},
		{"name of encoded control characters", "components:\n  - name: \"%0b%0c\"\n",
			`t.yaml:2:11: component name "%0b%0c" would be stored empty: Cachet removes control characters`},
		{"percent before hex letters", "components:\n  - name: A\n    description: 50% faster\n",
			`t.yaml:3:18: description "50% faster" cannot be stored: Cachet decodes %-escapes such as "% fa", which leaves bytes that are not text; reword it (a %-escape is "%" and two hex digits, spaces allowed, so write "percent" or avoid "%" before letters a–f and digits)`},
		{"tag decoded to a space", "components:\n  - name: A\n    tags: [ok, \"%20\"]\n",
			`t.yaml:3:16: tag "%20" would be stored empty: Cachet decodes %-escapes such as "%20"`},
		{"names stored alike", "components:\n  - name: \"a<b\"\n  - name: \"a&lt;b\"\n",
			`t.yaml:3:5: component "a&lt;b" is stored by Cachet as "a&lt;b", like component "a<b" (declared at t.yaml:2:5): rename one of them`},
		{"email decoded to an invalid one", "subscribers:\n  - email: \"a%20b@x.test\"\n",
			`t.yaml:2:12: email "a%20b@x.test" would be rejected by Cachet: it decodes %-escapes such as "%20", and "a b@x.test" is not a valid address`},
		{"meta value", "components:\n  - name: A\n    meta: {speed: \"10% decrease\"}\n",
			`t.yaml:3:19: meta value "10% decrease" cannot be stored: Cachet decodes %-escapes such as "% dec", which leaves bytes that are not text; reword it (a %-escape is "%" and two hex digits, spaces allowed, so write "percent" or avoid "%" before letters a–f and digits)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse:\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
	// What Cachet stores differently but can store is accepted.
	ok := "groups:\n  - name: \"R&D <core>\"\n    components:\n      - name: \"a<b\"\n        description: \"p99 < 200ms, 100% up\"\n        link: \"https://x.test/?q=a%2Fb\"\n        tags: [\"a<b\", Café, \"😀 ok\"]\n"
	if _, err := Parse("t.yaml", []byte(ok)); err != nil {
		t.Errorf("Parse: %v", err)
	}
}

// storable remembers only what it accepted: an unstorable tag written twice
// is reported at both places, and a string accepted where it may be
// stored empty (a description) is still refused as a name.
func TestStorableRemembersOnlyAcceptedStrings(t *testing.T) {
	src := "components:\n  - name: A\n    description: \"%20\"\n    tags: [\"%20\"]\n  - name: B\n    tags: [\"%20\"]\n"
	_, err := Parse("t.yaml", []byte(src))
	want := "t.yaml:4:12: tag \"%20\" would be stored empty: Cachet decodes %-escapes such as \"%20\"\n" +
		"t.yaml:6:12: tag \"%20\" would be stored empty: Cachet decodes %-escapes such as \"%20\""
	if err == nil || err.Error() != want {
		t.Errorf("Parse:\n%v\nwant\n%s", err, want)
	}
}

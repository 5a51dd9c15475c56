package spec

import (
	"strconv"
	"strings"
	"testing"
)

// TestRules checks each validation rule with the exact diagnostics it gives.
func TestRules(t *testing.T) {
	long := strings.Repeat("n", 256)
	// A meta of 20 keys: past 16 keys a mapping's keys are looked up
	// through an index rather than in place.
	var keys20 []string
	for i := range 20 {
		keys20 = append(keys20, "k"+strings.Repeat("x", i)+": 1")
	}
	meta20 := strings.Join(keys20, ", ")
	for _, tc := range []struct {
		name, src string
		want      []string // "" when the source is valid
	}{
		// Syntax.
		{"malformed", "groups:\n  - name: a: b\n",
			[]string{"t.yaml:2:12: invalid YAML: mapping values are not allowed in this context: a value that holds ': ' must be quoted, or this line is indented too far"}},
		{"malformed first line", "a: b: c\n",
			[]string{"t.yaml:1:5: invalid YAML: mapping values are not allowed in this context: a value that holds ': ' must be quoted, or this line is indented too far"}},
		{"tab indentation", "groups:\n  - name: a\n\t  visible: true\n",
			[]string{"t.yaml:3:1: invalid YAML: found a tab character; YAML indents with spaces only"}},
		{"tab inside a quoted description is fine", "components:\n  - name: \"a b\"\n    description: \"x\ty\"\n", nil},
		{"unknown anchor", "components:\n  - name: *nope\n",
			[]string{`t.yaml:2:11: unknown anchor "nope": an alias *nope needs an anchor &nope earlier in the file`}},
		{"two documents", "groups: []\n---\ngroups: []\n",
			[]string{"t.yaml:2:1: a file holds one YAML document; put each document in a file of its own and load the directory"}},
		{"top level scalar", "hello\n",
			[]string{"t.yaml:1:1: the file must be a mapping with the keys groups, components, subscribers and prune, not a scalar"}},
		{"duplicate key", "groups: []\ngroups: []\n",
			[]string{`t.yaml:2:1: duplicate key "groups" (first at t.yaml:1:1)`}},
		{"non-string key", "components:\n  - name: A\n    [x]: y\n",
			[]string{"t.yaml:3:5: a key must be a string, not a list"}},

		// Unknown keys.
		{"unknown top-level key", "version: 2\n",
			[]string{`t.yaml:1:1: unknown key "version" in the file (valid keys: groups, components, subscribers, prune)`}},
		{"x- keys are ignored", "x-anything: {whatever: [1]}\n", nil},
		{"unknown group key suggests", "groups:\n  - name: A\n    visibel: true\n",
			[]string{`t.yaml:3:5: unknown key "visibel" in group (did you mean "visible"?)`}},
		{"unknown component key", "components:\n  - name: A\n    owner: me\n",
			[]string{`t.yaml:3:5: unknown key "owner" in component (valid keys: name, previously, id, description, link, enabled, tags, status, meta)`}},
		{"unknown subscriber key", "subscribers:\n  - email: a@example.com\n    Email: b@example.com\n",
			[]string{`t.yaml:3:5: unknown key "Email" in subscriber (did you mean "email"?)`}},
		{"unknown prune key", "prune:\n  group: true\n",
			[]string{`t.yaml:2:3: unknown key "group" in prune (did you mean "groups"?)`}},

		// Wrong types.
		{"groups not a list", "groups: {name: A}\n", []string{"t.yaml:1:9: groups must be a list"}},
		{"components not a list", "components: A\n", []string{"t.yaml:1:13: components must be a list"}},
		{"subscribers not a list", "subscribers: a@example.com\n", []string{"t.yaml:1:14: subscribers must be a list"}},
		{"group not a mapping", "groups:\n  - A\n", []string{"t.yaml:2:5: a group must be a mapping with at least a name, not a scalar"}},
		{"component not a mapping", "components:\n  - [A]\n", []string{"t.yaml:2:5: a component must be a mapping with at least a name, not a list"}},
		{"subscriber not a mapping", "subscribers:\n  - ~\n", []string{"t.yaml:2:5: a subscriber must be a mapping with at least an email, not a null"}},
		{"enabled not a bool", "components:\n  - name: A\n    enabled: yes\n", []string{"t.yaml:3:14: enabled must be true or false"}},
		{"visible not a bool", "groups:\n  - name: A\n    visible: 1\n", []string{"t.yaml:3:14: visible must be true or false"}},
		{"id zero", "groups:\n  - name: A\n    id: 0\n", []string{"t.yaml:3:9: id must be a positive integer"}},
		{"id negative", "components:\n  - name: A\n    id: -1\n", []string{"t.yaml:3:9: id must be a positive integer"}},
		{"id string", "components:\n  - name: A\n    id: \"3\"\n", []string{"t.yaml:3:9: id must be a positive integer"}},
		{"id float", "components:\n  - name: A\n    id: 3.0\n", []string{"t.yaml:3:9: id must be a positive integer"}},
		{"meta not a mapping", "components:\n  - name: A\n    meta: [a]\n", []string{"t.yaml:3:11: meta must be a mapping, such as {owner: platform}"}},
		{"description null", "components:\n  - name: A\n    description:\n", []string{`t.yaml:3:17: description must be a string (use "" for an empty one)`}},
		{"description bool", "components:\n  - name: A\n    description: false\n", []string{`t.yaml:3:18: description must be a string (quote it: "false")`}},
		{"numbers are strings verbatim", "components:\n  - name: 2024\n    description: 1.10\n", nil},
		{"previously not a list", "groups:\n  - name: A\n    previously: B\n", []string{"t.yaml:3:17: previously must be a list of earlier names, such as [Old name]"}},
		{"prune not a mapping", "prune: true\n", []string{"t.yaml:1:8: prune must be a mapping such as {groups: true, components: true, subscribers: false}"}},
		{"prune value not a bool", "prune:\n  groups: on\n", []string{"t.yaml:2:11: prune.groups must be true or false"}},
		{"subscriber components not a list", "components:\n  - name: A\nsubscribers:\n  - email: a@example.com\n    components: A\n",
			[]string{"t.yaml:5:17: components must be a list of component names (omit it to subscribe to all components)"}},
		{"subscriber components empty", "subscribers:\n  - email: a@example.com\n    components: []\n",
			[]string{"t.yaml:3:17: components must not be empty (omit it to subscribe to all components)"}},

		// Names.
		{"missing group name", "groups:\n  - visible: true\n", []string{`t.yaml:2:5: group has no "name"`}},
		{"missing component name", "components:\n  - enabled: true\n", []string{`t.yaml:2:5: component has no "name"`}},
		{"missing email", "subscribers:\n  - components: [A]\ncomponents:\n  - name: A\n", []string{`t.yaml:2:5: subscriber has no "email"`}},
		{"blank group name", "groups:\n  - name: \"  \"\n", []string{"t.yaml:2:11: group name must not be blank"}},
		{"null component name", "components:\n  - name:\n", []string{"t.yaml:2:10: component name must not be blank"}},
		{"blank previously name", "components:\n  - name: A\n    previously: [\"\"]\n", []string{"t.yaml:3:18: previously name must not be blank"}},
		{"long group name", "groups:\n  - name: " + long + "\n", []string{"t.yaml:2:11: group name is 256 characters long; the maximum is 255"}},
		{"long component name", "components:\n  - name: " + long + "\n", []string{"t.yaml:2:11: component name is 256 characters long; the maximum is 255"}},
		{"255 characters are fine", "components:\n  - name: " + strings.Repeat("ü", 255) + "\n", nil},

		// Duplicates.
		{"duplicate group", "groups:\n  - name: A\n  - name: \" A \"\n",
			[]string{`t.yaml:3:5: duplicate group "A" (first declared at t.yaml:2:5)`}},
		{"names are case-sensitive", "groups:\n  - name: A\n  - name: a\n", nil},
		{"duplicate component grouped and ungrouped", "groups:\n  - name: G\n    components:\n      - name: API\ncomponents:\n  - name: API\n",
			[]string{`t.yaml:6:5: duplicate component "API" (first declared at t.yaml:4:9)`}},
		{"duplicate component in two groups", "groups:\n  - name: G\n    components: [{name: API}]\n  - name: H\n    components: [{name: API}]\n",
			[]string{`t.yaml:5:18: duplicate component "API" (first declared at t.yaml:3:18)`}},
		{"group and component may share a name", "groups:\n  - name: API\n    components: [{name: API}]\n", nil},
		{"previously is another component's name", "components:\n  - name: A\n    previously: [B]\n  - name: B\n",
			[]string{`t.yaml:3:18: previously name "B" is the name of another component (declared at t.yaml:4:5)`}},
		{"previously listed by two components", "components:\n  - name: A\n    previously: [Old]\n  - name: B\n    previously: [Old]\n",
			[]string{`t.yaml:5:18: previously name "Old" is already listed for component "A" (at t.yaml:3:18)`}},
		{"previously listed twice", "groups:\n  - name: A\n    previously: [Old, Old]\n",
			[]string{`t.yaml:3:23: previously name "Old" is already listed for group "A" (at t.yaml:3:18)`}},
		{"previously is the own name", "groups:\n  - name: A\n    previously: [A]\n",
			[]string{`t.yaml:3:18: previously name "A" is the group's current name`}},
		{"duplicate group id", "groups:\n  - name: A\n    id: 2\n  - name: B\n    id: 2\n",
			[]string{`t.yaml:5:9: id 2 is already pinned by group "A" (declared at t.yaml:2:5)`}},
		{"duplicate component id", "components:\n  - name: A\n    id: 2\n  - name: B\n    id: 2\n",
			[]string{`t.yaml:5:9: id 2 is already pinned by component "A" (declared at t.yaml:2:5)`}},
		{"group and component ids are separate", "groups:\n  - name: A\n    id: 2\ncomponents:\n  - name: B\n    id: 2\n", nil},
		{"duplicate subscriber", "subscribers:\n  - email: a@example.com\n  - email: a@example.com\n",
			[]string{`t.yaml:3:5: duplicate subscriber "a@example.com" (first declared at t.yaml:2:5)`}},
		{"duplicate subscriber by case", "subscribers:\n  - email: a@example.com\n  - email: A@Example.com\n",
			[]string{`t.yaml:3:5: duplicate subscriber "A@Example.com" (first declared as "a@example.com" at t.yaml:2:5; e-mails are compared case-insensitively)`}},

		// URLs, e-mails, enums.
		{"link without scheme", "components:\n  - name: A\n    link: example.com\n",
			[]string{`t.yaml:3:11: link "example.com" is not an absolute http or https URL (use "" to clear the link)`}},
		{"link ftp", "components:\n  - name: A\n    link: ftp://example.com\n",
			[]string{`t.yaml:3:11: link "ftp://example.com" is not an absolute http or https URL (use "" to clear the link)`}},
		// Laravel's url rule, which Cachet applies (internal/laravelurl).
		{"link host with underscore", "components:\n  - name: A\n    link: http://exa_mple.com\n",
			[]string{`t.yaml:3:11: link "http://exa_mple.com" would be rejected by Cachet: Laravel's url rule refuses it (no "_" in a host name, a host must end in a letter or be an IP address)`}},
		{"link host ending in digits", "components:\n  - name: A\n    link: http://example.123\n",
			[]string{`t.yaml:3:11: link "http://example.123" would be rejected by Cachet: Laravel's url rule refuses it (no "_" in a host name, a host must end in a letter or be an IP address)`}},
		{"link empty clears", "components:\n  - name: A\n    link: \"\"\n", nil},
		{"email not an address", "subscribers:\n  - email: nobody\n",
			[]string{`t.yaml:2:12: invalid email "nobody": want a bare address such as oncall@example.com`}},
		{"email with display name", "subscribers:\n  - email: Ann <ann@example.com>\n",
			[]string{`t.yaml:2:12: invalid email "Ann <ann@example.com>": want a bare address such as oncall@example.com`}},
		// Cachet's email rule is PHP's filter_var (package phpfilter): it
		// wants a dot in the host, which net/mail does not.
		{"email host without a dot", "subscribers:\n  - email: oncall@localhost\n",
			[]string{`t.yaml:2:12: invalid email "oncall@localhost": want a bare address such as oncall@example.com`}},
		{"email quoted local part", "subscribers:\n  - email: '\"on call\"@example.com'\n",
			[]string{`t.yaml:2:12: invalid email "\"on call\"@example.com": want a bare address such as oncall@example.com`}},
		{"email blank", "subscribers:\n  - email: \" \"\n", []string{"t.yaml:2:12: email must not be blank"}},
		{"collapsed unknown", "groups:\n  - name: A\n    collapsed: shut\n",
			[]string{`t.yaml:3:16: unknown collapsed value "shut" (want one of open, collapsed, collapsed-unless-incident, or 0–2)`}},
		{"collapsed out of range", "groups:\n  - name: A\n    collapsed: 3\n",
			[]string{"t.yaml:3:16: collapsed value 3 is out of range 0–2"}},
		{"collapsed numbers", "groups:\n  - name: A\n    collapsed: 1\n  - name: B\n    collapsed: collapsed-unless-incident\n", nil},
		{"status unknown", "components:\n  - name: A\n    status: down\n",
			[]string{`t.yaml:3:13: unknown component status "down" (want one of unknown, operational, performance-issues, partial-outage, major-outage, or 0–4)`}},
		{"status out of range", "components:\n  - name: A\n    status: 9\n",
			[]string{"t.yaml:3:13: component status 9 is out of range 0–4"}},
		{"status not a scalar", "components:\n  - name: A\n    status: [1]\n",
			[]string{"t.yaml:3:13: status must be one of unknown, operational, performance-issues, partial-outage, major-outage, or 0–4"}},

		// Tags.
		{"tags not a list", "components:\n  - name: A\n    tags: a, b\n",
			[]string{"t.yaml:3:11: tags must be a list of strings, such as [production, eu-west]"}},
		{"tag not a string", "components:\n  - name: A\n    tags: [{a: b}]\n", []string{"t.yaml:3:12: tag must be a string, not a mapping"}},
		{"tag blank", "components:\n  - name: A\n    tags: [\"\"]\n", []string{"t.yaml:3:12: tag must not be blank"}},
		{"tag with comma", "components:\n  - name: A\n    tags: [\"a,b\"]\n",
			[]string{`t.yaml:3:12: tag "a,b" must not contain a comma (Cachet splits tags on commas)`}},
		{"tag without letters", "components:\n  - name: A\n    tags: [\"--\"]\n", []string{`t.yaml:3:12: tag "--" needs a letter or a digit`}},
		{"tag duplicate by slug", "components:\n  - name: A\n    tags: [EU West, eu-west]\n",
			[]string{`t.yaml:3:21: duplicate tag "eu-west": its slug "eu-west" is the same as tag "EU West" at t.yaml:3:12`}},
		{"tag too long", "components:\n  - name: A\n    tags: [" + long + "]\n",
			[]string{"t.yaml:3:12: tag is 256 characters long; the maximum is 255"}},

		// References.
		{"unknown reference", "components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n    components: [Billing]\n",
			[]string{`t.yaml:5:18: unknown component "Billing": the spec declares no component of that name`}},
		{"reference by old name", "components:\n  - name: API\n    previously: [Old]\nsubscribers:\n  - email: a@example.com\n    components: [Old]\n",
			[]string{`t.yaml:6:18: unknown component "Old": it was renamed to "API" (use the current name)`}},
		{"reference with wrong case", "components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n    components: [api]\n",
			[]string{`t.yaml:5:18: unknown component "api" (did you mean "API"?)`}},
		{"reference to a group", "groups:\n  - name: G\nsubscribers:\n  - email: a@example.com\n    components: [G]\n",
			[]string{`t.yaml:5:18: unknown component "G": that is a group; list its components instead`}},
		{"reference listed twice", "components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n    components: [API, \" API\"]\n",
			[]string{`t.yaml:5:23: component "API" is listed twice (first at t.yaml:5:18)`}},
		{"reference listed twice in a long list", "components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n    components: [API" + strings.Repeat(", API", 40) + "]\n",
			func() (want []string) {
				for i := range 40 {
					want = append(want, `t.yaml:5:`+strconv.Itoa(23+5*i)+`: component "API" is listed twice (first at t.yaml:5:18)`)
				}
				return want
			}()},
		{"reference trimmed", "components:\n  - name: API\nsubscribers:\n  - email: a@example.com\n    components: [\" API \"]\n", nil},

		// Meta.
		{"duplicate key in a long mapping", "components:\n  - name: A\n    meta: {" + meta20 + ", k: 2, kxxx: 3}\n",
			[]string{`t.yaml:3:322: duplicate key "k" (first at t.yaml:3:12)`, `t.yaml:3:328: duplicate key "kxxx" (first at t.yaml:3:33)`}},
		{"duplicate key early in a long mapping", "components:\n  - name: A\n    meta: {k: 0, k: 1, " + meta20 + "}\n",
			[]string{`t.yaml:3:18: duplicate key "k" (first at t.yaml:3:12)`, `t.yaml:3:24: duplicate key "k" (first at t.yaml:3:12)`}},
		{"meta big integer", "components:\n  - name: A\n    meta: {n: 18446744073709551616}\n",
			[]string{"t.yaml:3:15: meta number 18446744073709551616 is too large: JSON numbers are exact up to 2^53 (quote it to keep it as a string)"}},
		{"meta infinity", "components:\n  - name: A\n    meta: {n: .inf}\n",
			[]string{"t.yaml:3:15: meta number .inf is not valid in JSON (quote it to keep it as a string)"}},
		{"meta self reference", "components:\n  - name: A\n    meta: &m {a: [*m]}\n",
			[]string{"t.yaml:3:19: meta cannot contain itself through an alias"}},

		// Aliases and merge keys.
		{"alias item duplicates its anchor", "components:\n  - &a {name: A}\n  - *a\n",
			[]string{`t.yaml:3:5: duplicate component "A" (first declared at t.yaml:2:5)`}},
		{"merge key needs a mapping", "components:\n  - <<: 3\n    name: A\n",
			[]string{"t.yaml:2:9: a merge key (<<) needs a mapping, or a list of mappings, usually through an alias such as *defaults"}},
		{"merge key into itself", "components:\n  - &a\n    name: A\n    <<: *a\n",
			[]string{"t.yaml:2:5: a merge key (<<) makes this mapping include itself"}},
		{"errors inside an anchor are reported once", "components:\n  - &a {name: A, link: x}\n  - {<<: *a, name: B}\n  - {<<: *a, name: C}\n",
			[]string{`t.yaml:2:24: link "x" is not an absolute http or https URL (use "" to clear the link)`}},

		// Several problems are reported together, in position order.
		{"all problems at once", "subscribers:\n  - email: bad\n    components: [Nope]\ngroups:\n  - name: \"\"\n    colour: red\n",
			[]string{
				`t.yaml:2:12: invalid email "bad": want a bare address such as oncall@example.com`,
				`t.yaml:3:18: unknown component "Nope": the spec declares no component of that name`,
				"t.yaml:5:11: group name must not be blank",
				`t.yaml:6:5: unknown key "colour" in group (valid keys: name, previously, id, visible, collapsed, components)`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tc.src))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Parse:\n%s\nwant no error", err)
				}
				if s == nil {
					t.Fatal("Parse returned a nil spec and no error")
				}
				return
			}
			want := strings.Join(tc.want, "\n")
			if err == nil {
				t.Fatalf("Parse: no error, want\n%s", want)
			}
			if got := err.Error(); got != want {
				t.Errorf("Parse:\n%s\nwant\n%s", got, want)
			}
			if s != nil {
				t.Errorf("Parse returned a spec with its error")
			}
		})
	}
}

func TestNamesRejectControlCharacters(t *testing.T) {
	for _, name := range []string{`"tab\there"`, `"new\nline"`, `"bell\a"`} {
		_, err := Parse("c.yaml", []byte("components:\n  - name: "+name+"\n"))
		if err == nil || !strings.Contains(err.Error(), "c.yaml:2:11: component name") || !strings.Contains(err.Error(), "control character") {
			t.Errorf("name %s: err = %v", name, err)
		}
	}
}

// TestMergeIntoLongMapping: in a mapping of more than 16 keys (looked up
// through an index), its own keys win over merged ones and merged keys it
// lacks are added, as in a short one.
func TestMergeIntoLongMapping(t *testing.T) {
	var keys []string
	for i := range 20 {
		keys = append(keys, "k"+strconv.Itoa(i)+": own")
	}
	for _, own := range []string{strings.Join(keys, ", "), "k3: own"} {
		src := "x-m: &m {k3: merged, zz: merged}\ncomponents:\n  - name: A\n    meta: {<<: *m, " + own + "}\n"
		s, err := Parse("t.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		meta := s.AllComponents()[0].Meta
		if meta["k3"] != "own" || meta["zz"] != "merged" {
			t.Errorf("%d own keys: meta = %v", strings.Count(own, ":"), meta)
		}
	}
}

package spec

import (
	"testing"
)

// TestSyntaxErrorPositions: the common YAML mistakes are reported at the
// line and column of the mistake itself, not at the start of the enclosing
// block as yaml.v3 reports them, with a message that says what to do.
func TestSyntaxErrorPositions(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad indentation in a nested list",
			"groups:\n  - name: Public\n    components:\n      - name: API\n     description: x\n",
			"t.yaml:5:6: invalid YAML: bad indentation: this line does not line up with the keys or list items of the block it belongs to (the block that starts at line 1); indent it exactly as far as its siblings"},
		{"bad indentation, one space short",
			"components:\n  - name: API\n   description: x\n",
			"t.yaml:3:4: invalid YAML: bad indentation: this line does not line up with the keys or list items of the block it belongs to (the block that starts at line 1); indent it exactly as far as its siblings"},
		{"bad indentation, key back at the list's level",
			"components:\n  - name: API\n    description: x\n  enabled: true\n",
			"t.yaml:4:3: invalid YAML: bad indentation: this line does not line up with the keys or list items of the block it belongs to (the block that starts at line 1); indent it exactly as far as its siblings"},
		{"tab", "components:\n  - name: API\n\tdescription: x\n",
			"t.yaml:3:1: invalid YAML: found a tab character; YAML indents with spaces only"},
		{"unclosed double quote", "components:\n  - name: API\n    description: \"x\n  - name: Web\n",
			`t.yaml:3:18: invalid YAML: the quoted string that starts here is never closed; add the closing "`},
		{"unclosed single quote", "components:\n  - name: 'API\n    description: x\n",
			"t.yaml:2:11: invalid YAML: the quoted string that starts here is never closed; add the closing '"},
		{"missing colon after a list item's key", "components:\n  - name API\n    description: x\n",
			"t.yaml:3:16: invalid YAML: unexpected ':'; is a ':' missing at the end of the key on line 2 (- name API)?"},
		{"missing colon after a top-level key", "components\n  - name: API\n",
			"t.yaml:2:9: invalid YAML: unexpected ':'; is a ':' missing at the end of the key on line 1 (components)?"},
		{"missing colon before the value", "components:\n  - name: API\n    description x\n    link: y\n",
			"t.yaml:3:5: invalid YAML: could not find the ':' after this key; write key: value"},
		{"colon in an unquoted value", "groups:\n  - name: a: b\n",
			"t.yaml:2:12: invalid YAML: mapping values are not allowed in this context: a value that holds ': ' must be quoted, or this line is indented too far"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.src))
			diags, ok := err.(Diagnostics)
			if !ok || len(diags) != 1 {
				t.Fatalf("err = %v, want one diagnostic", err)
			}
			if got := diags[0].String(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

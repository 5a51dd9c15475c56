package spec_test

import (
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/spec"
)

// TestDescriptionControlCharactersAreRejected: validate refuses a
// description holding a control character, naming it and its line and
// column in the text; line breaks and tabs are text.
func TestDescriptionControlCharactersAreRejected(t *testing.T) {
	cases := map[string]string{
		`"first\nsecond \e[8mhidden"`: `t.yaml:3:18: description contains the control character \x1b at line 2, column 8 of its text`,
		`"title\e]0;owned\a"`:         `description contains the control character \x1b at line 1, column 6`,
		`"bell\a"`:                    `control character \x07 at line 1, column 5`,
		`"cr\rover"`:                  `control character \r at line 1, column 3`,
		`"c1\u009b2J"`:                `control character \u009b at line 1, column 3`,
		`"bidi \u202eevil"`:           `control character \u202e at line 1, column 6`,
		`"del\x7f"`:                   `control character \x7f at line 1, column 4`,
	}
	for desc, want := range cases {
		_, err := spec.Parse("t.yaml", []byte("components:\n  - name: A\n    description: "+desc+"\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", desc, err, want)
		}
	}
	ok := "components:\n  - name: A\n    description: |\n      Line one\n      \tindented with a tab\n"
	if _, err := spec.Parse("t.yaml", []byte(ok)); err != nil {
		t.Errorf("line breaks and tabs were refused: %v", err)
	}
}

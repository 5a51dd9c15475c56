package plan

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cachetsync/cachetsync/internal/safetext"
)

// Title names an operation's object for people: kind, key and live id, with
// subscriber e-mails masked unless showEmails.
func (op Op) Title(showEmails bool) string {
	key := fmt.Sprintf("%q", op.Key)
	if op.Kind == KindSubscriber {
		key = op.Key
		if !showEmails {
			key = MaskEmail(op.Key)
		}
		key = safetext.Line(key)
	}
	s := string(op.Kind) + " " + key
	if op.ID != 0 {
		s += fmt.Sprintf(" (id %d)", op.ID)
	}
	return s
}

// MaskEmail hides the personal part of an address: oncall@example.com
// becomes o***@example.com.
func MaskEmail(email string) string {
	at := strings.LastIndex(email, "@")
	if at <= 0 {
		return "***"
	}
	_, first := utf8.DecodeRuneInString(email)
	return email[:first] + "***" + email[at:]
}

package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// SavedFormatVersion is the version of the saved plan file format.
const SavedFormatVersion = 1

// Saved is a plan stored by `plan --out`, with a fingerprint of every live
// object it was computed from.
type Saved struct {
	FormatVersion   int               `json:"format_version"`
	CreatedAt       time.Time         `json:"created_at"`
	ReadSubscribers bool              `json:"read_subscribers"`
	Fingerprints    map[string]string `json:"fingerprints"` // "component 12" -> hash
	Plan            *Plan             `json:"plan"`
}

// SaveFile writes the plan and the fingerprints of the live state to path.
func SaveFile(path string, p *Plan, live *Live) error {
	s := Saved{FormatVersion: SavedFormatVersion, CreatedAt: time.Now().UTC(), ReadSubscribers: !live.SkippedSubscribers,
		Fingerprints: Fingerprints(live), Plan: p}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// LoadFile reads a saved plan.
func LoadFile(path string) (*Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Saved
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s is not a saved plan: %w", path, err)
	}
	if s.FormatVersion != SavedFormatVersion || s.Plan == nil {
		return nil, fmt.Errorf("%s is not a saved plan of format version %d", path, SavedFormatVersion)
	}
	return &s, nil
}

// Verify compares the live state with the one the plan was made from and
// names every object that changed, appeared or disappeared since.
func (s *Saved) Verify(live *Live) error {
	now := Fingerprints(live)
	var diffs []string
	for key, old := range s.Fingerprints {
		switch cur, ok := now[key]; {
		case !ok:
			diffs = append(diffs, key+" was deleted")
		case cur != old:
			diffs = append(diffs, key+" changed")
		}
	}
	for key := range now {
		if _, ok := s.Fingerprints[key]; !ok {
			diffs = append(diffs, key+" was created")
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	return fmt.Errorf("the live page changed since the plan was saved, so it was not applied (nothing was written):\n  %s\nRun plan again", strings.Join(diffs, "\n  "))
}

// Fingerprints hashes every live object under a "kind id" key.
func Fingerprints(live *Live) map[string]string {
	fp := make(map[string]string, len(live.Groups)+len(live.Components)+len(live.Subscribers))
	for _, g := range live.Groups {
		fp[fmt.Sprintf("group %d (%s)", g.ID, g.Name)] = hash(g.Name, g.Order, g.Collapsed, g.Visible)
	}
	for _, c := range live.Components {
		fp[fmt.Sprintf("component %d (%s)", c.ID, c.Name)] = hash(c.Name, c.Description, c.Link, c.Status, c.Order, c.GroupID, c.Enabled, c.Tags, c.Meta)
	}
	for _, s := range live.Subscribers {
		fp[fmt.Sprintf("subscriber %d", s.ID)] = hash(strings.ToLower(s.Email), s.Subscriptions)
	}
	return fp
}

func hash(fields ...any) string {
	b, _ := json.Marshal(fields)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

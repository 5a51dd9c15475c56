// Package planfile saves a plan with `plan --out` and reads it back for
// `apply`: the JSON document of package render plus where and when the plan
// was made and fingerprints of the live objects it depends on, which apply
// verifies against the page before writing anything.
package planfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cachetsync/cachetsync/internal/atomicfile"
	"github.com/cachetsync/cachetsync/internal/regfile"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
)

// SavedInfo is what a plan saved by `plan --out` carries beside the
// document render.JSON writes: where and when it was made, and fingerprints
// of the live objects it depends on.
type SavedInfo struct {
	CreatedAt time.Time `json:"created_at"`
	// Endpoint is the API the plan was read from; apply refuses another.
	Endpoint string `json:"endpoint"`
	// Server is the server the plan was computed for, as its adapter
	// names it ("Cachet 2.4", "Cachet 3.x"): the payloads are that
	// server's, so apply refuses a page that now runs another. Empty in
	// plans saved before it was recorded.
	Server          string `json:"server,omitempty"`
	ReadSubscribers bool   `json:"read_subscribers"`
	// Depends lists what the plan depends on; Fingerprints hashes each of
	// them as it was read ("component 12 (API)" -> hash).
	Depends      []plan.Dependency `json:"depends"`
	Fingerprints map[string]string `json:"fingerprints"`
	// ExistingGroups and ExistingComponents: see Plan.
	ExistingGroups     []int `json:"existing_groups,omitempty"`
	ExistingComponents []int `json:"existing_components,omitempty"`
}

// document is a saved plan as written: the document of render.JSON with
// the "saved" member after its own.
type document struct {
	render.Document
	Saved *SavedInfo `json:"saved,omitempty"`
}

// Saved is a plan read back from a file written by SaveFile.
type Saved struct {
	SavedInfo
	Plan *plan.Plan
}

// SaveFile writes the plan, the endpoint it was read from and the
// fingerprints of what it depends on to path, atomically and readable by
// its owner only.
func SaveFile(path string, p *plan.Plan, live *plan.Live, endpoint string) error {
	info := &SavedInfo{CreatedAt: time.Now().UTC().Truncate(time.Second), Endpoint: NormalizeEndpoint(endpoint),
		Server: live.Capabilities().Server, ReadSubscribers: !live.SkippedSubscribers, Depends: p.Depends, Fingerprints: Fingerprints(live, p.Depends),
		ExistingGroups: p.ExistingGroups, ExistingComponents: p.ExistingComponents}
	return atomicfile.Write(path, func(w io.Writer) error {
		return render.EncodeJSON(w, document{Document: render.NewDocument(p), Saved: info})
	})
}

// LoadFile reads a saved plan.
func LoadFile(path string) (*Saved, error) {
	b, err := regfile.Read(path, 256<<20)
	if err != nil {
		return nil, err
	}
	var probe struct {
		FormatVersion json.RawMessage `json:"format_version"`
	}
	if json.Unmarshal(b, &probe) == nil && len(probe.FormatVersion) > 0 && probe.FormatVersion[0] != '"' {
		return nil, fmt.Errorf("%s was saved by an older cachetsync (format %s); plan again to save it in the current format", path, probe.FormatVersion)
	}
	var doc document
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s is not a saved plan: %w", path, err)
	}
	if doc.Saved == nil || !strings.HasPrefix(doc.FormatVersion, "1.") || doc.FormatVersion < "1.1" {
		return nil, fmt.Errorf("%s is not a plan saved by 'cachetsync plan --out' (format version 1.1 or later)", path)
	}
	p := &plan.Plan{Notes: doc.Notes, Warnings: doc.Warnings, Depends: doc.Saved.Depends,
		ExistingGroups: doc.Saved.ExistingGroups, ExistingComponents: doc.Saved.ExistingComponents}
	for _, jo := range doc.Operations {
		op := plan.Op{Step: plan.Step(jo.Step), Kind: plan.Kind(jo.Kind), Action: plan.Action(jo.Action), Key: jo.Key, Notes: jo.Notes, Warnings: jo.Warnings,
			Exposes: jo.Exposes, Group: jo.Group, Component: jo.Component, Subscriber: jo.Subscriber}
		if jo.ID != nil {
			op.ID = *jo.ID
		}
		if len(op.Notes) == 0 {
			op.Notes = nil
		}
		if len(op.Warnings) == 0 {
			op.Warnings = nil
		}
		for _, c := range jo.Changes {
			op.Changes = append(op.Changes, plan.Change(c))
		}
		hasPayload := map[plan.Kind]bool{plan.KindGroup: op.Group != nil, plan.KindComponent: op.Component != nil, plan.KindSubscriber: op.Subscriber != nil}
		if op.Action != plan.Delete && !hasPayload[op.Kind] {
			return nil, fmt.Errorf("%s: operation %s %s %q has no request payload; it is not a saved plan", path, op.Action, op.Kind, op.Key)
		}
		p.Ops = append(p.Ops, op)
	}
	return &Saved{SavedInfo: *doc.Saved, Plan: p}, nil
}

// NormalizeEndpoint is the form of an API endpoint that saved plans compare:
// without trailing slashes, scheme and host lower-cased.
func NormalizeEndpoint(endpoint string) string {
	e := strings.TrimRight(strings.TrimSpace(endpoint), "/")
	if i := strings.Index(e, "://"); i >= 0 {
		rest := e[i+3:]
		host, path, _ := strings.Cut(rest, "/")
		e = strings.ToLower(e[:i+3]+host) + strings.TrimSuffix("/"+path, "/")
	}
	return e
}

// CheckEndpoint refuses a plan saved for another API endpoint, in one line.
func (s *Saved) CheckEndpoint(endpoint string) error {
	if got := NormalizeEndpoint(endpoint); got != s.Endpoint {
		return fmt.Errorf("this plan was made for %s, not %s: plan again against this page", s.Endpoint, got)
	}
	return nil
}

// Verify compares what the plan depends on with the live page now and
// names every dependency that changed since the plan was saved. Changes to
// anything else (a public sign-up, a monitor moving the status of a
// component whose status the file does not manage) do not matter.
func (s *Saved) Verify(live *plan.Live) error {
	if now := live.Capabilities().Server; s.Server != "" && now != s.Server {
		return fmt.Errorf("this plan was made for %s and the page now runs %s, whose API takes other requests: plan again against this page", s.Server, now)
	}
	if s.ReadSubscribers && live.SkippedSubscribers {
		return fmt.Errorf("the plan depends on subscribers, which were not read")
	}
	now := Fingerprints(live, s.Depends)
	var diffs []string
	for key, old := range s.Fingerprints {
		switch cur := now[key]; {
		case cur == old:
		case old == absent:
			diffs = append(diffs, key+" was created")
		case cur == absent:
			diffs = append(diffs, key+" was deleted")
		default:
			diffs = append(diffs, key+" changed")
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	return fmt.Errorf("the live page changed since the plan was saved, so it was not applied (nothing was written):\n  %s\nRun plan again", strings.Join(diffs, "\n  "))
}

const absent = "absent"

// Fingerprints hashes each dependency as the live page has it now, under
// a key that names it for people ("component 12 (API)", "the set of
// component ids").
func Fingerprints(live *plan.Live, deps []plan.Dependency) map[string]string {
	groups := map[int]*plan.Group{}
	for i := range live.Groups {
		groups[live.Groups[i].ID] = &live.Groups[i]
	}
	comps := map[int]*plan.Component{}
	for i := range live.Components {
		comps[live.Components[i].ID] = &live.Components[i]
	}
	subsByID := map[int]*plan.Subscriber{}
	subsByEmail := map[string]*plan.Subscriber{}
	for i := range live.Subscribers {
		s := &live.Subscribers[i]
		subsByID[s.ID] = s
		subsByEmail[strings.ToLower(strings.TrimSpace(s.Email))] = s
	}
	fp := make(map[string]string, len(deps))
	for _, d := range deps {
		switch {
		case d.IDSet:
			var ids []int
			switch d.Kind {
			case plan.KindGroup:
				for _, g := range live.Groups {
					ids = append(ids, g.ID)
				}
			case plan.KindComponent:
				for _, c := range live.Components {
					ids = append(ids, c.ID)
				}
			case plan.KindSubscriber:
				for _, s := range live.Subscribers {
					ids = append(ids, s.ID)
				}
			}
			slices.Sort(ids)
			fp[fmt.Sprintf("the set of %s ids (an object was created or deleted)", d.Kind)] = hash(ids)
		case d.Kind == plan.KindGroup:
			key := fmt.Sprintf("group %d", d.ID)
			g, ok := groups[d.ID]
			if !ok {
				fp[key] = absent
				continue
			}
			values := []any{}
			for _, f := range d.Fields {
				values = append(values, f, groupField(g, f))
			}
			fp[key] = hash(values)
		case d.Kind == plan.KindComponent:
			key := fmt.Sprintf("component %d", d.ID)
			c, ok := comps[d.ID]
			if !ok {
				fp[key] = absent
				continue
			}
			values := []any{}
			for _, f := range d.Fields {
				values = append(values, f, componentField(c, f))
			}
			fp[key] = hash(values)
		case d.Kind == plan.KindSubscriber:
			key := "subscriber " + d.Email
			s := subsByEmail[d.Email]
			if d.Email == "" {
				key, s = fmt.Sprintf("subscriber %d", d.ID), subsByID[d.ID]
			}
			if s == nil {
				fp[key] = absent
				continue
			}
			values := []any{s.ID}
			if slices.Contains(d.Fields, "components") {
				ids := s.ComponentIDs()
				slices.Sort(ids)
				values = append(values, ids)
			}
			if slices.Contains(d.Fields, "global") {
				values = append(values, s.Global)
			}
			fp[key] = hash(values)
		}
	}
	return fp
}

func groupField(g *plan.Group, field string) any {
	switch field {
	case "name":
		return g.Name
	case "order":
		return g.Order
	case "collapsed":
		return g.Collapsed
	case "visible":
		return g.Visible
	}
	return nil
}

func componentField(c *plan.Component, field string) any {
	switch field {
	case "name":
		return c.Name
	case "description":
		return c.Description
	case "link":
		return c.Link
	case "status":
		return c.Status
	case "order":
		return c.Order
	case "group":
		return c.GroupID
	case "enabled":
		return c.Enabled
	case "tags":
		names := slices.Clone(c.Tags)
		slices.Sort(names)
		return names
	case "meta":
		return plan.CanonicalJSON(c.Meta)
	}
	return nil
}

func hash(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/plan"
	"github.com/google/go-cmp/cmp"
)

func TestRenderJSONDocument(t *testing.T) {
	p := &plan.Plan{
		Ops: []plan.Op{
			{Step: plan.StepSubscribers, Kind: plan.KindSubscriber, Action: plan.Create, Key: "oncall@example.com",
				Changes:    []plan.Change{{Field: "email", After: plan.Text("OnCall@example.com")}, {Field: "components", After: plan.List([]string{"API"})}},
				Subscriber: &plan.SubscriberWrite{Email: "OnCall@example.com"}},
			{Step: plan.StepSubscribers, Kind: plan.KindSubscriber, Action: plan.Replace, Key: "x@example.com", ID: 4,
				Changes: []plan.Change{{Field: "components", Before: plan.List(nil), After: plan.Label(plan.LabelAll)}},
				Notes:   []string{"re-created"}},
			{Step: plan.StepGroupDeletes, Kind: plan.KindGroup, Action: plan.Delete, Key: "Old <b>", ID: 2,
				Changes: []plan.Change{{Field: "name", Before: plan.Text("Old <b>")}}, Warnings: []string{"w"}},
		},
		Notes: []string{"n"},
	}
	var buf bytes.Buffer
	if err := JSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	want := map[string]any{
		"format_version":  "1.1",
		"summary":         map[string]any{"create": 2.0, "update": 0.0, "delete": 2.0},
		"changes_present": true,
		"operations": []any{
			map[string]any{"step": 3.0, "kind": "subscriber", "action": "create", "key": "oncall@example.com", "id": nil,
				"changes": []any{
					map[string]any{"field": "email", "before": nil, "after": "OnCall@example.com"},
					map[string]any{"field": "components", "before": nil, "after": []any{"API"}},
				},
				"notes": []any{}, "warnings": []any{},
				"subscriber": map[string]any{"components": nil, "email": "OnCall@example.com"}},
			map[string]any{"step": 3.0, "kind": "subscriber", "action": "replace", "key": "x@example.com", "id": 4.0,
				"changes": []any{map[string]any{"field": "components", "before": []any{}, "after": "(all)"}},
				"notes":   []any{"re-created"}, "warnings": []any{}},
			map[string]any{"step": 5.0, "kind": "group", "action": "delete", "key": "Old <b>", "id": 2.0,
				"changes": []any{map[string]any{"field": "name", "before": "Old <b>", "after": nil}},
				"notes":   []any{}, "warnings": []any{"w"}},
		},
		"notes":    []any{"n"},
		"warnings": []any{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("document differs (-want +got):\n%s", diff)
	}
	// Not HTML-escaped; the request payloads are part of the document (a
	// saved plan is the same document).
	if !strings.Contains(buf.String(), `"Old <b>"`) {
		t.Errorf("unexpected encoding:\n%s", buf.String())
	}
}

func TestRenderJSONEmptyPlanHasArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, &plan.Plan{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"changes_present": false`, `"operations": []`, `"notes": []`, `"warnings": []`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("missing %s in:\n%s", want, buf.String())
		}
	}
}

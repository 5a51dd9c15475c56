package cachet

import "testing"

func TestTagsBySlug(t *testing.T) {
	var tags Tags
	tags.Add("Café Ops")
	if !tags.Has("cafe ops") || !tags.Has("CAFE-OPS") || !tags.Has("Cafe_Ops") {
		t.Errorf("Has does not match by Laravel slug: %v", tags)
	}
	if _, ok := tags["cafe-ops"]; !ok {
		t.Errorf("key is not the slug: %v", tags)
	}
	tags.Add("ops@eu")
	if _, ok := tags["ops-at-eu"]; !ok {
		t.Errorf("@ is not -at-: %v", tags)
	}
	tags.Remove("Cafe ops")
	if tags.Has("Café Ops") || len(tags) != 1 {
		t.Errorf("Remove: %v", tags)
	}
}

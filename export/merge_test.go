package export

import (
	"strings"
	"testing"
)

// TestMergeMatchesAsPlanningDoes: a live object known to the file by an
// earlier name, or declared in another group, is not added again; a file
// with no groups key gets one before prune.
func TestMergeMatchesAsPlanningDoes(t *testing.T) {
	file := "components:\n  - name: Renamed\n    previously: [Old]\n  - name: Moved # moved out of its group on purpose\nprune: {components: false}\n"
	exported := "groups:\n  - name: G\n    components:\n      - name: Moved\n      - name: New\ncomponents:\n  - name: Old\nprune: {groups: false}\n"
	out, added, err := Merge("status.yaml", []byte(file), []byte(exported))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(added, "; ") != `component "New" (in the new group "G"); group "G"` {
		t.Fatalf("added %q", added)
	}
	// In the layout of `cachetsync fmt` (spec.Format).
	want := "groups:\n  - name: G\n    components:\n      - name: New\n\ncomponents:\n  - name: Renamed\n    previously: [Old]\n  - name: Moved # moved out of its group on purpose\n\nprune: {components: false}\n"
	if string(out) != want {
		t.Fatalf("merged:\n%s\nwant:\n%s", out, want)
	}
}

// TestMergeRefusesABrokenFile: a file that does not load is not merged
// into (nothing would tell what it declares).
func TestMergeRefusesABrokenFile(t *testing.T) {
	if _, _, err := Merge("status.yaml", []byte("groups:\n  - nme: X\n"), []byte("prune: {}\n")); err == nil || !strings.Contains(err.Error(), "status.yaml:2:") {
		t.Fatalf("err = %v", err)
	}
}

package cachettest

import "testing"

// TestTagsAreSharedByName: tags are one table for every component, found by
// name with SQL "=" (case-insensitive, trailing spaces ignored):
// Tag::findOrCreate (app/Models/Tag.php:64-83, 2.4) and Tag::firstOrCreate
// (v2.3.18 app/Http/Controllers/Api/ComponentController.php:91-95). A second
// component naming "API" after "Api" exists gets the tag "Api", once.
func TestTagsAreSharedByName(t *testing.T) {
	for _, v := range []string{"2.4", "2.3"} {
		a := newAPI(t, WithVersion(v))
		a.post("/components", map[string]any{"name": "A", "status": 1, "tags": "Api"}).expect(t, 200)
		d := a.post("/components", map[string]any{"name": "B", "status": 1, "tags": "API, api"}).expect(t, 200).data()
		assertFields(t, d, map[string]any{"tags": map[string]any{"api": "Api"}})
		d = a.put("/components/1", map[string]any{"name": "A", "status": 1, "tags": "Web, WEB"}).expect(t, 200).data()
		assertFields(t, d, map[string]any{"tags": map[string]any{"web": "Web"}})
		// Deleting a component detaches its tags but keeps them (HasTags.php:46-50).
		a.del("/components/1").expect(t, 204)
		d = a.post("/components", map[string]any{"name": "C", "status": 1, "tags": "web"}).expect(t, 200).data()
		assertFields(t, d, map[string]any{"tags": map[string]any{"web": "Web"}})
	}
}

// TestTagsFalsyPieces: 2.4 filters the split pieces before trimming them
// (collect(preg_split(...))->filter()->map(trim), CreateComponentCommandHandler.
// php:58-60 and UpdateComponentCommandHandler.php:61-63), so a piece "0" adds
// no tag; v2.3.18 attaches every piece (ComponentController.php:88-95).
func TestTagsFalsyPieces(t *testing.T) {
	a := newAPI(t)
	d := a.post("/components", map[string]any{"name": "A", "status": 1, "tags": "x, 0"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"tags": map[string]any{"x": "x"}})
	d = a.put("/components/1", map[string]any{"tags": "0,y"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"tags": map[string]any{"y": "y"}})

	b := newAPI(t, WithVersion("2.3"))
	d = b.post("/components", map[string]any{"name": "A", "status": 1, "tags": "x, 0"}).expect(t, 200).data()
	assertFields(t, d, map[string]any{"tags": map[string]any{"x": "x", "0": "0"}})
}

// TestTagFilterBySlug: ?tags[]= names the oldest tag whose slug is the value
// under SQL "=" (Tag::where('slug', '=', $value)->first(),
// app/Models/Traits/HasTags.php:186-194, 2.4) and keeps components having one
// of those tags (scopeWithAnyTags, :102-111). So the filter is
// case-insensitive, and of two tags with one slug ("Foo Bar" and "Foo-bar",
// distinct names) only the older one is found.
func TestTagFilterBySlug(t *testing.T) {
	a := newAPI(t)
	a.post("/components", map[string]any{"name": "A", "status": 1, "tags": "Foo Bar"}).expect(t, 200)
	a.post("/components", map[string]any{"name": "B", "status": 1, "tags": "Foo-bar"}).expect(t, 200)
	a.post("/components", map[string]any{"name": "C", "status": 1, "tags": "Web"}).expect(t, 200)
	assertIDs(t, a.get("/components?tags[]=foo-bar").expect(t, 200).ids(), 1)
	assertIDs(t, a.get("/components?tags[]=WEB").expect(t, 200).ids(), 3)
	assertIDs(t, a.get("/components?tags=web").expect(t, 200).ids(), 3)
	assertIDs(t, a.get("/components?tags[]=nope").expect(t, 200).ids())
}

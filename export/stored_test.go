package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/render"
	"github.com/cachetsync/cachetsync/spec"
)

// Text made through the API is what Cachet's input filter stored
// ("a &lt; b" for "a < b"); exported as stored, it plans no change, because
// the filter leaves a stored text as it is.
func TestRoundTripOfFilteredText(t *testing.T) {
	srv := newServer(t, seededPage{seed: func(*cachettest.Emulator) {}})
	c, err := cachet.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.Groups.Create(ctx, cachet.GroupParams{Name: cachet.Ptr("R&D <core>")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []cachet.ComponentParams{
		{Name: cachet.Ptr("Mail system (SMTP)"), Description: cachet.Ptr("p99 < 200ms & \"quoted\" 😀"), Link: cachet.Ptr("https://x.test/?q=a%2Fb"),
			Tags: []string{"a<b", "Café"}, Meta: cachet.Meta{"owner": "x<y", "gone": nil}, GroupID: cachet.Ptr(g.ID)},
		{Name: cachet.Ptr("a <= b"), Description: cachet.Ptr("A --> B; 50 %")},
	} {
		if _, err := c.Components.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	live := readLive(t, srv, cachetv1.ReadOptions{})
	out := write(t, live, export.Options{})
	for _, stored := range []string{"R&D <core>", "Mail system &#40;SMTP&#41;", "p99 &lt; 200ms", "https://x.test/?q=a/b", "a&lt;b", "a &lt;= b", "A --&gt; B; 50 %"} {
		if !strings.Contains(out, stored) {
			t.Errorf("export lacks the stored text %q:\n%s", stored, out)
		}
	}
	if strings.Contains(out, "would store this") {
		t.Errorf("export comments on text Cachet keeps:\n%s", out)
	}
	s, err := spec.Parse("export.yaml", []byte(out))
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, out)
	}
	pl, err := plan.Compute(s, live, plan.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Empty() {
		var b strings.Builder
		_ = render.Text(&b, pl, render.Options{})
		t.Errorf("the export plans changes:\n%s\n%s", b.String(), out)
	}
}

// A live text the filter would still change (here one stored without the
// API) is exported with a comment saying what Cachet would make of it.
func TestExportNotesUnstableText(t *testing.T) {
	srv := newServer(t, seededPage{seed: func(e *cachettest.Emulator) {
		e.SeedComponent(comp(1, "x<y", 0, 1))
	}})
	out := write(t, readLive(t, srv, cachetv1.ReadOptions{}), export.Options{})
	if want := `name: x<y # Cachet would store this as "x&lt;y" if it were sent again: the first apply rewrites it`; !strings.Contains(out, want) {
		t.Errorf("export lacks %q:\n%s", want, out)
	}
}

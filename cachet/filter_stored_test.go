package cachet_test

import (
	"context"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// Cachet cleans a search value as it cleaned the stored one
// (ComponentController.php:43 Binput::except): Find with the name as
// written finds the component whose stored name is filtered.
func TestFindByFilteredName(t *testing.T) {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, err := cachet.New(srv.URL, srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created, err := c.Components.Create(ctx, cachet.ComponentParams{Name: cachet.Ptr("a<b (x)")})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "a&lt;b (x)" {
		t.Fatalf("stored name %q", created.Name)
	}
	found, err := c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("a<b (x)")})
	if err != nil || len(found) != 1 || found[0].ID != created.ID {
		t.Errorf("Find = %+v, %v", found, err)
	}
}

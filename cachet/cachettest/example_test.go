package cachettest_test

import (
	"context"
	"fmt"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// A test of your own code against an in-memory Cachet.
func ExampleNewServer() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})

	client, err := cachet.New(srv.URL, srv.Token())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	page, err := client.Components.List(ctx, cachet.ListOptions{})
	if err != nil {
		panic(err)
	}
	api := page.Items[0]
	if _, err := client.Components.Update(ctx, api.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage), Silent: cachet.Ptr(true)}); err != nil {
		panic(err)
	}
	fmt.Println(srv.Components()[0].Status.Human(), srv.Stats().Requests["PUT"])
	// Output: Major Outage 1
}

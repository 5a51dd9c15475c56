package cachettest_test

import (
	"context"
	"errors"
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

// Assert on the requests your code sent: method, path, query and body.
func ExampleEmulator_Requests() {
	srv := cachettest.NewServer()
	defer srv.Close()
	api := srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})
	c := srv.Client()

	// The code under test.
	_, _ = c.Components.Update(context.Background(), api.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusMajorOutage), Enabled: cachet.Ptr(true)})

	for _, r := range srv.Requests() {
		fmt.Println(r, string(r.Body))
	}
	// Output: PUT /api/v1/components/1 -> 200 {"enabled":true,"status":4}
}

// Make the first POST of an incident update fail, to test how your code
// copes; the other requests are answered normally.
func ExampleEmulator_AddFault() {
	srv := cachettest.NewServer()
	defer srv.Close()
	in := srv.SeedIncident(cachet.Incident{Name: "Outage", Status: cachet.IncidentInvestigating, Visible: true})
	srv.AddFault(cachettest.Fault{Method: "POST", Path: "/incidents/*/updates", Nth: 1, Status: 500})
	c := srv.Client()

	p := cachet.IncidentUpdateParams{Status: cachet.Ptr(cachet.IncidentFixed), Message: cachet.Ptr("Fixed")}
	_, err := c.IncidentUpdates.Create(context.Background(), in.ID, p)
	var apiErr *cachet.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("first:", apiErr.StatusCode, "ambiguous:", cachet.IsAmbiguous(err))
	}
	_, err = c.IncidentUpdates.Create(context.Background(), in.ID, p)
	fmt.Println("second:", err, len(srv.IncidentUpdates(in.ID)))
	// Output:
	// first: 500 ambiguous: true
	// second: <nil> 1
}

// Seed the objects your code reads, then inspect what it changed.
func ExampleEmulator_SeedMetric() {
	srv := cachettest.NewServer()
	defer srv.Close()
	m := srv.SeedMetric(cachet.Metric{Name: "Latency", Suffix: "ms", CalcType: cachet.MetricAverage})
	c := srv.Client()

	// The code under test pushes a point.
	_, _ = c.MetricPoints.Create(context.Background(), m.ID, cachet.MetricPointParams{Value: cachet.Ptr(42.0)})

	for _, p := range srv.MetricPoints(m.ID) {
		fmt.Println(p.MetricID, p.Value)
	}
	// Output: 1 42
}

package cachet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// Each example runs against an in-memory Cachet (package cachettest);
// against a real one, create the client with cachet.New(endpoint, token)
// or cachet.NewFromEnv().

// Connect, check the token and list the components.
func Example() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})

	ctx := context.Background()
	c, err := cachet.New(srv.URL, srv.Token(), cachet.WithTimeout(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	if err := c.CheckToken(ctx); err != nil {
		log.Fatal(err) // errors.Is(err, cachet.ErrUnauthorized) for a bad token
	}
	for comp, err := range c.Components.All(ctx, cachet.ListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(comp.ID, comp.Name, comp.Status.Human())
	}
	// Output: 1 API Operational
}

// Find a component by name and change its status without e-mailing the
// subscribers. Fields left nil keep their values.
func ExampleComponentsService_Find() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "Website", Status: cachet.StatusOperational, Enabled: true})
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()

	found, err := c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("API")})
	if err != nil {
		log.Fatal(err)
	}
	if len(found) != 1 {
		log.Fatalf("%d components named API", len(found))
	}
	api, err := c.Components.Update(ctx, found[0].ID, cachet.ComponentParams{
		Status: cachet.Ptr(cachet.StatusPartialOutage),
		Silent: cachet.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(api.Name, api.Status, api.Enabled)
	// Output: API partial-outage true
}

// A status bot: open an incident that marks a component down, then
// resolve it and bring the component back.
func ExampleIncidentsService_Create() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()

	found, err := c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("API")})
	if err != nil || len(found) != 1 {
		log.Fatal("no single component named API: ", err)
	}
	api := found[0]

	// Open: the incident and the component's status in one call.
	in, err := c.Incidents.Create(ctx, cachet.IncidentParams{
		Name:            cachet.Ptr("API errors"),
		Message:         cachet.Ptr("We are looking into it."),
		Status:          cachet.Ptr(cachet.IncidentInvestigating),
		Visible:         cachet.Ptr(true),
		ComponentID:     cachet.Ptr(api.ID),
		ComponentStatus: cachet.Ptr(cachet.StatusMajorOutage),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("opened:", in.Name, in.Status.Human())

	// Resolve: an update with status fixed, then the component.
	if _, err := c.IncidentUpdates.Create(ctx, in.ID, cachet.IncidentUpdateParams{
		Status:  cachet.Ptr(cachet.IncidentFixed),
		Message: cachet.Ptr("Fixed."),
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Components.Update(ctx, api.ID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusOperational)}); err != nil {
		log.Fatal(err)
	}
	in, err = c.Incidents.Get(ctx, in.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("resolved:", in.IsResolved, in.LatestHumanStatus, len(in.Updates), "update")
	// Output:
	// opened: API errors Investigating
	// resolved: true Fixed 1 update
}

// Change one field of an incident; Update keeps its visibility and pin.
func ExampleIncidentsService_Update() {
	srv := cachettest.NewServer()
	defer srv.Close()
	in := srv.SeedIncident(cachet.Incident{Name: "Slow", Status: cachet.IncidentIdentified, Message: "m", Stickied: true})
	c, _ := cachet.New(srv.URL, srv.Token())

	in, err := c.Incidents.Update(context.Background(), in.ID, cachet.IncidentParams{Status: cachet.Ptr(cachet.IncidentWatching)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Status, in.Visible, in.Stickied)
	// Output: watching false true
}

// Incident ids and update ids have distinct types: swapping them does not
// compile.
func ExampleIncidentUpdatesService_All() {
	srv := cachettest.NewServer()
	defer srv.Close()
	in := srv.SeedIncident(cachet.Incident{Name: "Outage", Status: cachet.IncidentInvestigating, Visible: true})
	srv.SeedIncidentUpdate(cachet.IncidentUpdate{IncidentID: in.ID, Status: cachet.IncidentIdentified, Message: "Found it"})
	srv.SeedIncidentUpdate(cachet.IncidentUpdate{IncidentID: in.ID, Status: cachet.IncidentFixed, Message: "Fixed"})
	c, _ := cachet.New(srv.URL, srv.Token())

	for u, err := range c.IncidentUpdates.All(context.Background(), in.ID, cachet.ListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.HumanStatus, u.Message)
	}
	// Output:
	// 2 Fixed Fixed
	// 1 Identified Found it
}

// Push metric points, e.g. from a probe, and read them back.
func ExampleMetricPointsService_Create() {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()

	m, err := c.Metrics.Create(ctx, cachet.MetricParams{
		Name:         cachet.Ptr("Latency"),
		Suffix:       cachet.Ptr("ms"),
		DefaultValue: cachet.Ptr(0),
		CalcType:     cachet.Ptr(cachet.MetricAverage),
		Visible:      cachet.Ptr(cachet.MetricPublic),
	})
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now().Add(-time.Hour).Truncate(time.Minute)
	for i, v := range []float64{120, 95, 101} {
		at := start.Add(time.Duration(i) * 10 * time.Minute)
		if _, err := c.MetricPoints.Create(ctx, m.ID, cachet.MetricPointParams{Value: &v, Timestamp: &at}); err != nil {
			log.Fatal(err)
		}
	}
	n, err := c.MetricPoints.Count(ctx, m.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Name, m.CalcType, n, "points")
	// Output: Latency average 3 points
}

// Find a metric by name (Cachet cannot filter metrics; the client does).
func ExampleMetricsService_Find() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedMetric(cachet.Metric{Name: "Latency", Suffix: "ms"})
	srv.SeedMetric(cachet.Metric{Name: "Errors", Suffix: "/min", Visible: cachet.MetricHidden})
	c, _ := cachet.New(srv.URL, srv.Token())

	found, err := c.Metrics.Find(context.Background(), "errors")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(found), found[0].Name, found[0].Visible)
	// Output: 1 Errors hidden
}

// Page through every subscriber, 2 at a time, and tell the verified ones.
func ExampleSubscribersService_All() {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: email}); err != nil {
			log.Fatal(err)
		}
	}
	// Verify: Ptr(false) sends the address a confirmation e-mail.
	if _, err := c.Subscribers.Create(ctx, cachet.SubscriberParams{Email: "d@example.com", Verify: cachet.Ptr(false)}); err != nil {
		log.Fatal(err)
	}

	for s, err := range c.Subscribers.All(ctx, cachet.ListOptions{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Email, s.Verified)
	}
	// Output:
	// a@example.com true
	// b@example.com true
	// c@example.com true
	// d@example.com false
}

// Remove one subscription of a subscriber.
func ExampleSubscriptionsService_Delete() {
	srv := cachettest.NewServer()
	defer srv.Close()
	api := srv.SeedComponent(cachet.Component{Name: "API", Enabled: true})
	web := srv.SeedComponent(cachet.Component{Name: "Web", Enabled: true})
	s := srv.SeedSubscriber("oncall@example.com", api.ID, web.ID)
	c, _ := cachet.New(srv.URL, srv.Token())

	if err := c.Subscriptions.Delete(context.Background(), s.Subscriptions[0].ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.Subscribers()[0].ComponentIDs())
	// Output: [2]
}

// A validation error is an *APIError with Cachet's messages.
func ExampleAPIError() {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, _ := cachet.New(srv.URL, srv.Token())

	_, err := c.Components.Create(context.Background(), cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusOperational)})
	var apiErr *cachet.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Details)
	}
	// Output: 400 [The name field is required.]
}

// Rename a group; its order, collapsed state and visibility stay.
func ExampleGroupsService_Update() {
	srv := cachettest.NewServer()
	defer srv.Close()
	g := srv.SeedGroup(cachet.ComponentGroup{Name: "Backend", Order: 2, Visible: cachet.GroupPublic})
	c, _ := cachet.New(srv.URL, srv.Token())

	g, err := c.Groups.Update(context.Background(), g.ID, cachet.GroupParams{Name: cachet.Ptr("Core")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Name, g.Order, g.Visible)
	// Output: Core 2 public
}

// Announce a maintenance window.
func ExampleSchedulesService_Create() {
	srv := cachettest.NewServer()
	defer srv.Close()
	c, _ := cachet.New(srv.URL, srv.Token())

	at := time.Date(2030, 5, 1, 22, 0, 0, 0, time.UTC)
	s, err := c.Schedules.Create(context.Background(), cachet.ScheduleParams{
		Name:        cachet.Ptr("Database upgrade"),
		Message:     cachet.Ptr("Read-only for 30 minutes."),
		Status:      cachet.Ptr(cachet.ScheduleUpcoming),
		ScheduledAt: &at,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name, s.HumanStatus, s.ScheduledAt.Format(time.DateTime))
	// Output: Database upgrade Upcoming 2030-05-01 22:00:00
}

// Open an incident from a template.
func ExampleIncidentTemplatesService_All() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedIncidentTemplate("Outage", "outage", "{{ service }} is unavailable.")
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()

	for tpl, err := range c.IncidentTemplates.All(ctx, cachet.ListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		in, err := c.Incidents.Create(ctx, cachet.IncidentParams{
			Name:     cachet.Ptr("Checkout down"),
			Status:   cachet.Ptr(cachet.IncidentInvestigating),
			Visible:  cachet.Ptr(true),
			Template: cachet.Ptr(tpl.Slug),
			Vars:     map[string]any{"service": "Checkout"},
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(in.Message)
	}
	// Output: Checkout is unavailable.
}

// Call an endpoint, or pass a parameter, the typed methods do not cover;
// the call keeps the token, retries, errors and read-only mode.
func ExampleClient_Do() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.SeedComponent(cachet.Component{Name: "API", Enabled: true, Tags: cachet.Tags{"core": "Core"}})
	srv.SeedComponent(cachet.Component{Name: "Blog", Enabled: true})
	c, _ := cachet.New(srv.URL, srv.Token())

	req, err := c.NewRequest("GET", "/components?tags=core", nil)
	if err != nil {
		log.Fatal(err)
	}
	var comps []struct {
		Name string `json:"name"`
	}
	if _, err := c.Do(context.Background(), req, &comps); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(comps), comps[0].Name)
	// Output: 1 API
}

// A write whose outcome is unknown (the connection dropped after the
// server applied it) is ambiguous: read the state before trying again.
func ExampleIsAmbiguous() {
	srv := cachettest.NewServer()
	defer srv.Close()
	srv.AddFault(cachettest.Fault{Method: "POST", Path: "/incidents", Drop: true, AfterApply: true})
	c, _ := cachet.New(srv.URL, srv.Token())
	ctx := context.Background()

	_, err := c.Incidents.Create(ctx, cachet.IncidentParams{Name: cachet.Ptr("Down"), Message: cachet.Ptr("m"), Status: cachet.Ptr(cachet.IncidentInvestigating)})
	if cachet.IsAmbiguous(err) {
		found, err := c.Incidents.Find(ctx, cachet.IncidentFilter{Name: cachet.Ptr("Down")})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("ambiguous; found", len(found), "incident")
	}
	// Output: ambiguous; found 1 incident
}

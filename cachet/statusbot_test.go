package cachet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
)

// The status bot of ExampleIncidentsService_Create, as a user would write
// it, and its tests as a user would write them with cachettest.

// openIncident marks the component named component down and opens an
// incident about it.
func openIncident(ctx context.Context, c *cachet.Client, component, title, message string) (cachet.Incident, error) {
	found, err := c.Components.Find(ctx, cachet.ComponentFilter{Name: &component})
	if err != nil {
		return cachet.Incident{}, err
	}
	if len(found) != 1 {
		return cachet.Incident{}, fmt.Errorf("%d components named %q", len(found), component)
	}
	return c.Incidents.Create(ctx, cachet.IncidentParams{
		Name:            &title,
		Message:         &message,
		Status:          cachet.Ptr(cachet.IncidentInvestigating),
		Visible:         cachet.Ptr(true),
		ComponentID:     cachet.Ptr(found[0].ID),
		ComponentStatus: cachet.Ptr(cachet.StatusMajorOutage),
	})
}

// resolveIncident posts a fixed update, and only then marks the component
// operational again.
func resolveIncident(ctx context.Context, c *cachet.Client, in cachet.Incident, message string) error {
	if _, err := c.IncidentUpdates.Create(ctx, in.ID, cachet.IncidentUpdateParams{
		Status: cachet.Ptr(cachet.IncidentFixed), Message: &message,
	}); err != nil {
		return fmt.Errorf("resolving incident %d: %w", in.ID, err)
	}
	_, err := c.Components.Update(ctx, in.ComponentID, cachet.ComponentParams{Status: cachet.Ptr(cachet.StatusOperational)})
	return err
}

func TestStatusBotOpensAndResolves(t *testing.T) {
	srv := cachettest.Start(t)
	api := srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "Web", Status: cachet.StatusOperational, Enabled: true})
	ctx := context.Background()
	c := srv.Client()

	in, err := openIncident(ctx, c, "API", "API errors", "Looking into it.")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Incident(in.ID); got.Status != cachet.IncidentInvestigating || !got.Visible || got.ComponentID != api.ID {
		t.Errorf("opened incident %+v", got)
	}
	if got := srv.Components()[0]; got.Status != cachet.StatusMajorOutage {
		t.Errorf("API is %v after opening", got.Status)
	}

	if err := resolveIncident(ctx, c, in, "Fixed."); err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Incident(in.ID)
	if !got.IsResolved || len(srv.IncidentUpdates(in.ID)) != 1 {
		t.Errorf("resolved incident %+v", got)
	}
	if comps := srv.Components(); comps[0].Status != cachet.StatusOperational || !comps[0].Enabled || comps[1].Status != cachet.StatusOperational {
		t.Errorf("components after resolving: %+v", comps)
	}
	// The bot's calls, in order (Find taught the client the server's
	// version, so the component update needs no probe).
	var calls []string
	for _, r := range srv.Requests() {
		calls = append(calls, r.Method+" "+r.Path)
	}
	want := fmt.Sprintf("GET /api/v1/components,POST /api/v1/incidents,POST /api/v1/incidents/%d/updates,PUT /api/v1/components/%d", in.ID, api.ID)
	if strings.Join(calls, ",") != want {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(calls, ","), want)
	}
}

// TestStatusBotKeepsTheOutageWhenResolvingFails: when the update cannot be
// posted, the component stays down and the error says which incident.
func TestStatusBotKeepsTheOutageWhenResolvingFails(t *testing.T) {
	srv := cachettest.Start(t)
	srv.SeedComponent(cachet.Component{Name: "API", Status: cachet.StatusOperational, Enabled: true})
	ctx := context.Background()
	in, err := openIncident(ctx, srv.Client(), "API", "API errors", "Looking into it.")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(cachettest.Fault{Method: "POST", Path: "/incidents/*/updates", Status: 500})
	err = resolveIncident(ctx, srv.Client(), in, "Fixed.")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("resolving incident %d", in.ID)) {
		t.Fatalf("resolve with a failing update: %v", err)
	}
	if got := srv.Components()[0].Status; got != cachet.StatusMajorOutage {
		t.Errorf("API is %v though the incident is not resolved", got)
	}
	if got, _ := srv.Incident(in.ID); got.IsResolved {
		t.Error("the incident reads resolved")
	}
}

func TestStatusBotRefusesAnAmbiguousName(t *testing.T) {
	srv := cachettest.Start(t)
	srv.SeedComponent(cachet.Component{Name: "API", Enabled: true})
	srv.SeedComponent(cachet.Component{Name: "api", Enabled: true})
	if _, err := openIncident(context.Background(), srv.Client(), "API", "t", "m"); err == nil || !strings.Contains(err.Error(), `2 components named "API"`) {
		t.Errorf("two matches: %v", err)
	}
	if n := len(srv.RequestsTo("POST", "")); n != 0 {
		t.Errorf("%d writes sent", n)
	}
}

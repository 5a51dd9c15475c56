package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/examples"
)

// DemoCmd is `cachetsync demo`: no setup, no network.
type DemoCmd struct{}

// Run starts the emulator in-process with a page that differs from
// examples/status.yaml, then plans, applies and plans again.
func (cmd *DemoCmd) Run(g *Globals) error {
	srv := cachettest.NewServer()
	defer srv.Close()
	seedDemo(srv.Emulator)

	dir, err := os.MkdirTemp("", "cachetsync-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "status.yaml")
	if err := os.WriteFile(file, examples.StatusYAML, 0o600); err != nil {
		return err
	}

	conn := ConnFlags{Endpoint: srv.URL, Token: srv.Token(), Timeout: 30 * time.Second}
	safety := SafetyFlags{MaxDeletes: 10}
	read := ReadFlags{PageSize: cachetv1.DefaultPageSize, ReadConcurrency: cachetv1.DefaultReadConcurrency}
	out := g.env.Stdout
	bar := func(title string) { fmt.Fprintf(out, "\n\x23\x23\x23 %s\n\n", title) }

	fmt.Fprintf(out, "cachetsync demo: an in-memory Cachet at %s holds a status page that has drifted\n", srv.URL)
	fmt.Fprintln(out, "from examples/status.yaml (a renamed group, edited components, a stray one, a subscriber).")
	bar("1. cachetsync plan -f examples/status.yaml")
	if err := (&PlanCmd{FileArgs: FileArgs{Path: file}, Format: "text", SafetyFlags: safety, ReadFlags: read, ConnFlags: conn}).Run(g); err != nil {
		return err
	}
	bar("2. cachetsync apply -f examples/status.yaml --auto-approve")
	srv.ResetStats()
	if err := (&ApplyCmd{File: file, AutoApprove: true, Parallelism: 4, SafetyFlags: safety, ReadFlags: read, ConnFlags: conn, hidePlan: true}).Run(g); err != nil {
		return err
	}
	writes := srv.Stats().Requests
	bar("3. cachetsync plan -f examples/status.yaml (again)")
	srv.ResetStats()
	if err := (&PlanCmd{FileArgs: FileArgs{Path: file}, Format: "text", SafetyFlags: safety, ReadFlags: read, ConnFlags: conn}).Run(g); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nThe apply sent %d POST, %d PUT and %d DELETE requests; the second plan only read (%d GET).\n",
		writes["POST"], writes["PUT"], writes["DELETE"], srv.Stats().Requests["GET"])
	fmt.Fprintln(out, "Next: point CACHET_ENDPOINT and CACHET_API_TOKEN at your Cachet and run `cachetsync export -o status.yaml`.")
	return nil
}

// seedDemo fills the emulator with a page that differs from the example.
func seedDemo(e *cachettest.Emulator) {
	public := e.SeedGroup(cachet.ComponentGroup{Name: "Public", Order: 1, Visible: cachet.GroupPublic})
	internal := e.SeedGroup(cachet.ComponentGroup{Name: "Internal", Order: 2, Collapsed: cachet.GroupCollapsedUnlessIncident})
	website := e.SeedComponent(cachet.Component{Name: "Website", Description: "Marketing site", Link: "https://www.example.com",
		Status: cachet.StatusOperational, Order: 1, GroupID: public.ID, Enabled: true})
	api := e.SeedComponent(cachet.Component{Name: "API", Description: "Public REST API, all regions", Link: "https://api.example.com",
		Status: cachet.StatusPartialOutage, Order: 2, GroupID: public.ID, Enabled: true, Meta: cachet.Meta{"owner": "platform"}})
	e.SeedComponent(cachet.Component{Name: "FTP gateway", Description: "Retired in 2023", Status: cachet.StatusMajorOutage,
		Order: 3, GroupID: public.ID, Enabled: true})
	e.SeedComponent(cachet.Component{Name: "CI runners", Description: "Build and deploy pipeline", Status: cachet.StatusOperational,
		Order: 1, GroupID: internal.ID, Enabled: false})
	e.SeedSubscriber("support@example.com", website.ID, api.ID)
}

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/examples"
)

// DemoCmd is `cachetsync demo`: no setup, no network.
type DemoCmd struct {
	Version string `help:"Cachet to emulate: 2.4, or 3 (the Cachet 3.x preview; the example's tags are left out)." enum:"2.4,3" default:"2.4"`
}

// Run starts the emulator in-process with a page that differs from
// examples/status.yaml, then plans, applies and plans again.
func (cmd *DemoCmd) Run(g *Globals) error {
	example := examples.StatusYAML
	var srv *cachettest.Server
	if cmd.Version == "3" {
		srv = cachettest.NewServer(cachettest.WithVersion("3"))
		defer srv.Close()
		if err := seedDemo3(g, srv); err != nil {
			return err
		}
		example = withoutTags(example)
	} else {
		srv = cachettest.NewServer()
		defer srv.Close()
		seedDemo(srv.Emulator)
	}

	dir, err := os.MkdirTemp("", "cachetsync-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "status.yaml")
	if err := os.WriteFile(file, example, 0o600); err != nil {
		return err
	}

	conn := ConnFlags{Endpoint: srv.URL, Token: srv.Token(), Timeout: 30 * time.Second}
	safety := SafetyFlags{MaxDeletes: 10}
	read := ReadFlags{PageSize: cachetv1.DefaultPageSize, ReadConcurrency: cachetv1.DefaultReadConcurrency}
	out := g.env.Stdout
	bar := func(title string) { fmt.Fprintf(out, "\n\x23\x23\x23 %s\n\n", title) }

	server := "Cachet"
	if cmd.Version == "3" {
		server = "Cachet 3.x"
	}
	fmt.Fprintf(out, "cachetsync demo: an in-memory %s at %s holds a status page that has drifted\n", server, srv.URL)
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

// withoutTags drops the tags lines of a status file (Cachet 3.x has none).
func withoutTags(yaml []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(yaml, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("tags:")) {
			out = append(out, line...)
		}
	}
	return out
}

// seedDemo3 fills a Cachet 3.x emulator, through its API, with the page
// seedDemo makes.
func seedDemo3(g *Globals, srv *cachettest.Server) error {
	c, err := cachet3.New(srv.URL, srv.Token())
	if err != nil {
		return err
	}
	ctx := g.env.Context
	public, err := c.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Public"), Order: cachet3.Ptr(1), Visible: cachet3.Ptr(true), Collapsed: cachet3.Ptr(0)})
	if err != nil {
		return err
	}
	internal, err := c.Groups.Create(ctx, cachet3.GroupParams{Name: cachet3.Ptr("Internal"), Order: cachet3.Ptr(2), Visible: cachet3.Ptr(false), Collapsed: cachet3.Ptr(2)})
	if err != nil {
		return err
	}
	ids := map[string]int{}
	for _, p := range []cachet3.ComponentParams{
		{Name: cachet3.Ptr("Website"), Description: cachet3.Ptr("Marketing site"), Link: cachet3.Ptr("https://www.example.com"),
			Status: cachet3.Ptr(cachet3.StatusOperational), Order: cachet3.Ptr(1), GroupID: &public.ID, Enabled: cachet3.Ptr(true)},
		{Name: cachet3.Ptr("API"), Description: cachet3.Ptr("Public REST API, all regions"), Link: cachet3.Ptr("https://api.example.com"),
			Status: cachet3.Ptr(cachet3.StatusPartialOutage), Order: cachet3.Ptr(2), GroupID: &public.ID, Enabled: cachet3.Ptr(true), Meta: cachet3.Meta{"owner": "platform"}},
		{Name: cachet3.Ptr("FTP gateway"), Description: cachet3.Ptr("Retired in 2023"), Status: cachet3.Ptr(cachet3.StatusMajorOutage),
			Order: cachet3.Ptr(3), GroupID: &public.ID, Enabled: cachet3.Ptr(true)},
		{Name: cachet3.Ptr("CI runners"), Description: cachet3.Ptr("Build and deploy pipeline"), Status: cachet3.Ptr(cachet3.StatusOperational),
			Order: cachet3.Ptr(1), GroupID: &internal.ID, Enabled: cachet3.Ptr(false)},
	} {
		comp, err := c.Components.Create(ctx, p)
		if err != nil {
			return err
		}
		ids[comp.Name] = comp.ID
	}
	_, _, err = c.Subscribers.Create(ctx, cachet3.SubscriberParams{Email: cachet3.Ptr("support@example.com"),
		Components: &[]int{ids["Website"], ids["API"]}, Verified: cachet3.Ptr(true)})
	return err
}

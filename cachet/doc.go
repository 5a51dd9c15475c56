// Package cachet is a client for the API v1 of Cachet 2.3 and 2.4 status
// pages.
//
// A Client has one service per resource (Components, Groups, Incidents,
// Subscribers, ...). Every call takes a context. Lists come three ways:
// List reads one page, All iterates over every item of every page, and
// Count reads the total. The client copes with Cachet's quirks: it pages
// deterministically (sort=id), never combines a filter with a page number,
// sends tags as a comma-separated string, always sends the four group
// fields, and decodes the loose JSON Cachet produces (numeric strings, []
// for empty objects, human dates).
//
// Idempotent requests are retried with exponential backoff and jitter;
// POST is retried only when the server surely did not act. IsAmbiguous
// tells a write whose outcome is unknown. WithReadOnly makes the transport
// refuse every write, and WithDebug traces requests with the token
// redacted.
//
//	c, err := cachet.New("https://status.example.com/api/v1", token,
//		cachet.WithTimeout(10*time.Second))
//	if err != nil {
//		return err
//	}
//	if err := c.CheckToken(ctx); err != nil {
//		return err // errors.Is(err, cachet.ErrUnauthorized) for a bad token
//	}
//	for comp, err := range c.Components.All(ctx, 100) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(comp.ID, comp.Name, comp.Status)
//	}
//	_, err = c.Components.Update(ctx, 7, cachet.ComponentParams{
//		Enabled: cachet.Ptr(false), // zero values are sent when set
//		Silent:  cachet.Ptr(true),
//	})
//
// Times are sent and read in UTC (the client sends a Time-Zone: UTC header).
package cachet

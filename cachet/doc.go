// Package cachet is a client for the API v1 of Cachet 2.3 and 2.4 status
// pages.
//
// A Client has one service per resource (Components, Groups, Incidents,
// IncidentUpdates, Metrics, MetricPoints, Subscribers, Schedules, ...).
// Every call takes a context. Lists come four ways: List reads one page,
// All iterates over every item of every page (ListOptions set the page
// size, sort and start page), Count reads the total, and Find (components,
// groups, incidents, metrics) returns the items matching a typed filter.
//
// The client guards against Cachet's traps:
//   - Filters hold only the columns Cachet searches for that resource, send
//     booleans as 1/0, are checked again on the client, and an empty filter
//     is refused: a Find never silently matches everything.
//   - Params structs use pointers: nil means "not sent" on create and "keep"
//     on update. Where Cachet resets what an update omits (groups' order and
//     visibility, incidents' visibility and pin, and on 2.3 components'
//     status and enabled), Update reads the object first and sends its
//     current values; each method says when.
//   - Subscribers are created verified (no e-mail) unless asked otherwise.
//   - Incident and metric ids have their own types, so ids passed side by
//     side cannot be swapped.
//   - A response larger than the limit (WithMaxBodyBytes) is an error that
//     says to read smaller pages, never a cut body.
//
// Idempotent requests are retried with exponential backoff and jitter,
// within one timeout per request; POST is retried only when the server
// surely did not act. IsAmbiguous tells a write whose outcome is unknown;
// a write is reported done only on Cachet's own answer (200 with the
// object for POST and PUT, 204 for DELETE). Redirects are never followed,
// so the token never leaves the endpoint's origin; a 3xx is an error naming
// its Location. Ids must be positive integers, and a list page without
// data, with an id twice or with more items than asked is an error. WithReadOnly makes the transport
// refuse every write, and WithDebug traces requests with the token
// redacted. NewRequest and Do reach what the typed methods do not cover,
// with the same auth, retries, errors and read-only mode.
//
//	c, err := cachet.New("https://status.example.com/api/v1", token,
//		cachet.WithTimeout(10*time.Second))
//	if err != nil {
//		return err
//	}
//	if err := c.CheckToken(ctx); err != nil {
//		return err // errors.Is(err, cachet.ErrUnauthorized) for a bad token
//	}
//	found, err := c.Components.Find(ctx, cachet.ComponentFilter{Name: cachet.Ptr("API")})
//	if err != nil {
//		return err
//	}
//	for _, comp := range found {
//		_, err = c.Components.Update(ctx, comp.ID, cachet.ComponentParams{
//			Status: cachet.Ptr(cachet.StatusMajorOutage),
//			Silent: cachet.Ptr(true), // no e-mail to subscribers
//		})
//	}
//
// Times are sent and read in UTC (the client sends a Time-Zone: UTC header).
// Package cachettest is an in-memory Cachet for testing code that uses
// this package; every example here runs against it.
package cachet

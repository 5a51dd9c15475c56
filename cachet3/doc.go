// Package cachet3 is a client for the HTTP API of Cachet 3.x
// (cachethq/core). It is a preview: Cachet 3.x is unreleased, and this
// package follows the API as the source of core reads at commit 9183688b
// (2026-08-22), the commit the emulator's 3.x mode pins. Package cachet
// is the client for the API v1 of Cachet 2.3 and 2.4.
//
// The 3.x API differs from v1 in ways this client absorbs:
//
//   - The endpoint is {site}{CACHET_PATH}/api (default path "/", so
//     https://status.example.com/api); there is no /v1.
//   - Authentication is a Sanctum token sent as "Authorization: Bearer".
//     Writes need per-resource abilities (components.manage,
//     components.delete, ...). A 403 does not say which ability is missing;
//     the client's APIError names the one the call needs. A bad token never
//     fails a read (the server answers with the guest view), so CheckToken
//     validates it with a call that needs one. No endpoint lists a token's
//     abilities: HasAbility probes one with a request that changes nothing
//     (the delete abilities cannot be probed).
//   - Resources are JSON:API documents; requests are flat JSON. Creates
//     answer 201, validation errors 422 with the messages of each field
//     (APIError.Fields).
//   - Lists use Laravel's simplePaginate: per_page at most 100 and no
//     totals. The links drop per_page and every filter, so the client never
//     follows links.next: it asks for page=N+1 itself while links.next is
//     present. All reads pages concurrently ahead of links.next (bounded by
//     WithReadAhead and by the list's highest id), asks for included
//     resources it only needs the ids of with an empty sparse fieldset,
//     stops at the first short page, and verifies each page
//     boundary so that an item is neither missed nor returned twice when
//     the list changes during the read (see ReadReport).
//   - Disabled components are hidden even from tokens unless asked for:
//     Components.All sends filter[enabled]=0,1.
//   - The server allows 300 requests a minute (CACHET_API_RATE_LIMIT). The
//     client's limiter (WithRateLimit) keeps any minute under that, and 429
//     answers are retried after their Retry-After.
//
// Idempotent requests are retried with exponential backoff and jitter;
// POST only when the server surely did not act. IsAmbiguous tells a write
// whose outcome is unknown. WithReadOnly makes the transport refuse every
// write before it leaves the process.
//
//	c, err := cachet3.New("https://status.example.com/api", token)
//	if err != nil {
//		return err
//	}
//	comps, _, err := c.Components.All(ctx, cachet3.ListOptions{})
//	if err != nil {
//		return err
//	}
//	_, err = c.Components.Update(ctx, comps[0].ID, cachet3.ComponentParams{
//		Status: cachet3.Ptr(cachet3.StatusMajorOutage),
//	})
//	var apiErr *cachet3.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == 403 {
//		fmt.Println("the token lacks", apiErr.Ability)
//	}
package cachet3

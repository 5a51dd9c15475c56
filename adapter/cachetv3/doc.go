// Package cachetv3 is the adapter between the planner (package plan) and
// the API of Cachet 3.x (cachethq/core), spoken by package cachet3. It is a
// preview: it reads the live page (API.ReadLive, a plan.Reader) and carries
// out a plan's operations (API is an apply.Executor and an
// apply.SubscriberUpdater).
//
// ReadLive converts what it reads into plan's version-neutral model: group
// visibility and collapsed keep their values (3.x shares them with package
// page), the component statuses 1..4 keep theirs, 3.x's 5 (unknown)
// becomes page.StatusUnknown and 6 (under maintenance), which page has no
// name for, is kept as 6, so a file's status always shows as a change on
// such a component. Components carry no tags (3.x has none); a
// subscriber's subscriptions are its component ids (3.x has no
// subscription objects). Groups with visible=2 (hidden) are invisible to
// every API caller and so cannot be read: a file declaring one would plan
// to create it.
//
// Tokens carry per-resource abilities. ReadLive checks, with its first
// request, that the token is known and may read subscribers
// (subscribers.manage); CheckWriteAbilities probes the abilities a plan's
// writes need before apply writes anything.
package cachetv3

// Package cachetv3 is the adapter between the planner (package plan) and
// the API of Cachet 3.x (cachethq/core), spoken by package cachet3. It is a
// preview: it reads the live page (API.ReadLive, a plan.Reader) and carries
// out a plan's operations (API is an apply.Executor and an
// apply.SubscriberUpdater).
//
// plan.Live still holds the types of package cachet (API v1), so ReadLive
// converts what it reads into them: group visibility and collapsed keep
// their values (3.x shares them), the component statuses 1..4 keep theirs,
// 3.x's 5 (unknown) becomes v1's 0 (unknown) and 6 (under maintenance),
// which v1 has no name for, is kept as 6, so a file's status always shows
// as a change on such a component. Components carry no tags (3.x has
// none); a subscriber's subscriptions are its component ids (3.x has no
// subscription objects). Groups with visible=2 (hidden) are invisible to
// every API caller and so cannot be read: a file declaring one would plan
// to create it.
package cachetv3

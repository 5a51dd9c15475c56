package apply

import (
	"context"

	"github.com/cachetsync/cachetsync/plan"
)

// Executor carries out single operations on one version of Cachet's API;
// each API has its adapter (package adapter/cachetv1 for API v1), the only
// code that builds wire payloads. Run decides the order, the parallelism,
// the ids of objects created earlier in the run, and what to do when an
// outcome is unknown; the Executor only talks to the server.
type Executor interface {
	// CreateGroup creates a group and returns its id.
	CreateGroup(ctx context.Context, w plan.GroupWrite) (int, error)
	// UpdateGroup writes group id.
	UpdateGroup(ctx context.Context, id int, w plan.GroupWrite) error
	// DeleteGroup deletes group id.
	DeleteGroup(ctx context.Context, id int) error
	// CreateComponent creates a component and returns its id. Run has
	// resolved w.Group (a group created by this run) into w.GroupID.
	CreateComponent(ctx context.Context, w plan.ComponentWrite) (int, error)
	// UpdateComponent writes the fields set in w to component id.
	UpdateComponent(ctx context.Context, id int, w plan.ComponentWrite) error
	// DeleteComponent deletes component id.
	DeleteComponent(ctx context.Context, id int) error
	// CreateSubscriber subscribes email to componentIDs (none: every
	// component) and returns the subscriber's id and the components it is
	// now subscribed to. It must be idempotent: a create of a known
	// address answers with the existing subscriber.
	CreateSubscriber(ctx context.Context, email string, componentIDs []int) (int, []int, error)
	// DeleteSubscriber deletes subscriber id.
	DeleteSubscriber(ctx context.Context, id int) error
	// DeleteSubscription deletes one subscription of a subscriber.
	DeleteSubscription(ctx context.Context, id int) error
	// Named returns the groups or components (by kind) named name.
	Named(ctx context.Context, kind plan.Kind, name string) ([]plan.Object, error)
	// All returns every group or component (by kind).
	All(ctx context.Context, kind plan.Kind) ([]plan.Object, error)
	// OutcomeUnknown reports whether err leaves a write's outcome unknown:
	// the server may have carried it out.
	OutcomeUnknown(err error) bool
	// NotFound reports whether err says the object does not exist.
	NotFound(err error) bool
	// HTTPStatus returns the HTTP status of the error answer err carries,
	// or 0 when the server did not answer.
	HTTPStatus(err error) int
}

// SubscriberUpdater is implemented by an Executor whose server can set a
// subscriber's components in place (Cachet 3.x); plans for it carry
// subscriber updates with SubscriberWrite.InPlace.
type SubscriberUpdater interface {
	// UpdateSubscriber sets the components subscriber id is subscribed to.
	UpdateSubscriber(ctx context.Context, id int, componentIDs []int) error
}

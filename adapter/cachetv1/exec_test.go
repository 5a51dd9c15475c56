package cachetv1_test

import (
	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/plan"
)

// The v1 adapter is what the CLI hands to plan and apply.
var (
	_ plan.Reader    = (*cachetv1.API)(nil)
	_ apply.Executor = (*cachetv1.API)(nil)
)

package planfile

import (
	"testing"

	"github.com/cachetsync/cachetsync/page"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

func mustParse(t *testing.T, yaml string) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s
}

func liveComp(id int, name string, group, order int) plan.Component {
	return plan.Component{ID: id, Name: name, GroupID: group, Order: order, Enabled: true, Status: page.StatusOperational, Meta: map[string]any{}}
}

func sub(id int, email string, subs ...[2]int) plan.Subscriber {
	s := plan.Subscriber{ID: id, Email: email}
	for _, x := range subs {
		s.Subscriptions = append(s.Subscriptions, plan.Subscription{ID: x[0], ComponentID: x[1]})
	}
	return s
}

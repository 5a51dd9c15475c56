package planfile

import (
	"testing"

	"github.com/cachetsync/cachetsync/cachet"
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

func liveComp(id int, name string, group, order int) cachet.Component {
	return cachet.Component{ID: id, Name: name, GroupID: group, Order: order, Enabled: true, Status: cachet.StatusOperational, Meta: cachet.Meta{}}
}

func sub(id int, email string, subs ...[2]int) cachet.Subscriber {
	s := cachet.Subscriber{ID: id, Email: email}
	for _, x := range subs {
		s.Subscriptions = append(s.Subscriptions, cachet.Subscription{ID: x[0], SubscriberID: id, ComponentID: x[1]})
	}
	return s
}

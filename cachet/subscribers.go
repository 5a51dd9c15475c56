package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// SubscribersService is /subscribers. Every call needs a valid token.
type SubscribersService struct{ c *Client }

type wireSubscriber struct {
	ID              wireID             `json:"id"`
	Email           flexString         `json:"email"`
	VerifyCode      flexString         `json:"verify_code"`
	VerifiedAt      humanTime          `json:"verified_at"`
	Global          *flexBool          `json:"global"`
	PhoneNumber     flexString         `json:"phone_number"`
	SlackWebhookURL flexString         `json:"slack_webhook_url"`
	Subscriptions   []wireSubscription `json:"subscriptions"`
	CreatedAt       flexTime           `json:"created_at"`
	UpdatedAt       flexTime           `json:"updated_at"`
}

func (w wireSubscriber) model() Subscriber {
	s := Subscriber{
		ID:              int(w.ID),
		Email:           string(w.Email),
		VerifyCode:      string(w.VerifyCode),
		Global:          true, // the DB default, absent from a create response
		PhoneNumber:     string(w.PhoneNumber),
		SlackWebhookURL: string(w.SlackWebhookURL),
		CreatedAt:       time.Time(w.CreatedAt),
		UpdatedAt:       time.Time(w.UpdatedAt),
		Subscriptions:   make([]Subscription, 0, len(w.Subscriptions)),
	}
	if w.Global != nil {
		s.Global = bool(*w.Global)
	}
	if v := time.Time(w.VerifiedAt); !v.IsZero() && v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
		s.Verified, s.VerifiedAt = true, v
	}
	for _, sub := range w.Subscriptions {
		s.Subscriptions = append(s.Subscriptions, sub.model())
	}
	return s
}

type wireSubscription struct {
	ID           wireID   `json:"id"`
	SubscriberID flexInt  `json:"subscriber_id"`
	ComponentID  flexInt  `json:"component_id"`
	CreatedAt    flexTime `json:"created_at"`
	UpdatedAt    flexTime `json:"updated_at"`
}

func (w wireSubscription) model() Subscription {
	return Subscription{
		ID:           int(w.ID),
		SubscriberID: int(w.SubscriberID),
		ComponentID:  int(w.ComponentID),
		CreatedAt:    time.Time(w.CreatedAt),
		UpdatedAt:    time.Time(w.UpdatedAt),
	}
}

func subscriberBody(p SubscriberParams) map[string]any {
	b := map[string]any{"email": p.Email}
	if len(p.Components) > 0 {
		b["components"] = p.Components
	}
	if p.Verify == nil || *p.Verify {
		b["verify"] = true
	}
	return b
}

// Subscribers cannot be sorted or filtered.
func (s *SubscribersService) lister() lister { return lister{c: s.c, path: "/subscribers"} }

// List reads one page of subscribers.
func (s *SubscribersService) List(ctx context.Context, opts ListOptions) (Page[Subscriber], error) {
	return list[Subscriber, wireSubscriber](ctx, s.lister(), opts)
}

// All iterates over every subscriber, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), id ascending (Cachet
// cannot sort them: Sort and Order are not sent). Stop early by breaking out
// of the loop.
func (s *SubscribersService) All(ctx context.Context, opts ListOptions) iter.Seq2[Subscriber, error] {
	return all[Subscriber, wireSubscriber](ctx, s.lister(), opts)
}

// Count returns the number of subscribers.
func (s *SubscribersService) Count(ctx context.Context) (int, error) {
	return count[Subscriber, wireSubscriber](ctx, s.lister())
}

// Create subscribes an e-mail address to p.Components (all components when
// empty), verified unless p.Verify is Ptr(false). An existing address is
// returned unchanged.
func (s *SubscribersService) Create(ctx context.Context, p SubscriberParams) (Subscriber, error) {
	return doOne[Subscriber, wireSubscriber](ctx, s.c, http.MethodPost, "/subscribers", subscriberBody(p))
}

// Delete deletes a subscriber and its subscriptions.
func (s *SubscribersService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/subscribers/" + strconv.Itoa(id)})
}

// SubscriptionsService is /subscriptions.
type SubscriptionsService struct{ c *Client }

// Delete removes one subscription (a subscriber's link to a component).
func (s *SubscriptionsService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/subscriptions/" + strconv.Itoa(id)})
}

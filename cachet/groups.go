package cachet

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// GroupsService is /components/groups.
type GroupsService struct{ c *Client }

type wireGroup struct {
	ID                      wireID          `json:"id"`
	Name                    flexString      `json:"name"`
	Order                   flexInt         `json:"order"`
	Collapsed               flexInt         `json:"collapsed"`
	Visible                 *flexInt        `json:"visible"`
	EnabledComponents       []wireComponent `json:"enabled_components"`
	EnabledComponentsLowest []wireComponent `json:"enabled_components_lowest"`
	LowestHumanStatus       flexString      `json:"lowest_human_status"`
	CreatedAt               flexTime        `json:"created_at"`
	UpdatedAt               flexTime        `json:"updated_at"`
}

func (w wireGroup) model() ComponentGroup {
	g := ComponentGroup{
		ID:                int(w.ID),
		Name:              string(w.Name),
		Order:             int(w.Order),
		Collapsed:         GroupCollapsed(w.Collapsed),
		Visible:           GroupPublic,
		LowestHumanStatus: string(w.LowestHumanStatus),
		CreatedAt:         time.Time(w.CreatedAt),
		UpdatedAt:         time.Time(w.UpdatedAt),
	}
	if w.Visible != nil {
		g.Visible, g.HasVisibility = GroupVisibility(*w.Visible), true
	}
	for _, c := range w.EnabledComponents {
		g.EnabledComponents = append(g.EnabledComponents, c.model())
	}
	for _, c := range w.EnabledComponentsLowest {
		g.EnabledComponentsLowest = append(g.EnabledComponentsLowest, c.model())
	}
	return g
}

// groupBody always holds all four fields: Cachet resets order and visible
// when a PUT omits them.
func groupBody(p GroupParams) map[string]any {
	return map[string]any{
		"name":      p.Name,
		"order":     p.Order,
		"collapsed": int(p.Collapsed),
		"visible":   int(p.Visible),
	}
}

// IsCollapsed reports whether the group is collapsed by default (always or
// unless one of its components has an issue).
func (g ComponentGroup) IsCollapsed() bool { return g.Collapsed != GroupOpen }

// IsOpen reports whether the group is always expanded.
func (g ComponentGroup) IsOpen() bool { return g.Collapsed == GroupOpen }

// IsOperational reports whether no enabled member has a status worse than
// operational (status unknown counts as fine). It is true for a group
// without enabled members.
func (g ComponentGroup) IsOperational() bool {
	members := g.EnabledComponentsLowest
	if len(members) == 0 {
		members = g.EnabledComponents
	}
	for _, c := range members {
		if c.Status > StatusOperational {
			return false
		}
	}
	return true
}

func (s *GroupsService) lister() lister {
	return lister{c: s.c, path: "/components/groups", sortable: true}
}

// List reads one page of groups (hidden ones only with a valid token).
func (s *GroupsService) List(ctx context.Context, opts ListOptions) (Page[ComponentGroup], error) {
	return list[ComponentGroup, wireGroup](ctx, s.lister(), opts)
}

// All iterates over every group, perPage at a time (DefaultPerPage when <= 0).
func (s *GroupsService) All(ctx context.Context, perPage int) iter.Seq2[ComponentGroup, error] {
	return all[ComponentGroup, wireGroup](ctx, s.lister(), ListOptions{PerPage: perPage})
}

// Find returns every group matching the exact-match filters, read as a single page.
func (s *GroupsService) Find(ctx context.Context, filters map[string]string) ([]ComponentGroup, error) {
	return collect(all[ComponentGroup, wireGroup](ctx, s.lister(), ListOptions{Filters: filters}))
}

// Count returns the number of groups the token can see.
func (s *GroupsService) Count(ctx context.Context) (int, error) {
	return count[ComponentGroup, wireGroup](ctx, s.lister())
}

// Get reads one group, hidden or not.
func (s *GroupsService) Get(ctx context.Context, id int) (ComponentGroup, error) {
	return doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodGet, "/components/groups/"+strconv.Itoa(id), nil)
}

// Create creates a group. The response has no member lists.
func (s *GroupsService) Create(ctx context.Context, p GroupParams) (ComponentGroup, error) {
	return doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodPost, "/components/groups", groupBody(p))
}

// Update replaces the group's name, order, collapsed and visible.
func (s *GroupsService) Update(ctx context.Context, id int, p GroupParams) (ComponentGroup, error) {
	return doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodPut, "/components/groups/"+strconv.Itoa(id), groupBody(p))
}

// Delete deletes a group; its components become ungrouped (group_id 0).
func (s *GroupsService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/components/groups/" + strconv.Itoa(id)})
}

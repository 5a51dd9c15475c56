package cachet

import (
	"context"
	"errors"
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

// groupBody holds exactly the fields p sets.
func groupBody(p GroupParams) map[string]any {
	b := map[string]any{}
	if p.Name != nil {
		b["name"] = *p.Name
	}
	if p.Order != nil {
		b["order"] = *p.Order
	}
	if p.Collapsed != nil {
		b["collapsed"] = int(*p.Collapsed)
	}
	if p.Visible != nil {
		b["visible"] = int(*p.Visible)
	}
	return b
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

// All iterates over every group, page by page from opts.Page,
// opts.PerPage at a time (DefaultPerPage when 0), sorted by opts.Sort
// (id when empty). Stop early by breaking out of the loop.
func (s *GroupsService) All(ctx context.Context, opts ListOptions) iter.Seq2[ComponentGroup, error] {
	return all[ComponentGroup, wireGroup](ctx, s.lister(), opts)
}

// Find returns every group matching all the conditions f sets (hidden groups only with a valid token). A filter without any
// condition is refused with ErrEmptyFilter before any request.
func (s *GroupsService) Find(ctx context.Context, f GroupFilter) ([]ComponentGroup, error) {
	q, err := f.values()
	if err != nil {
		return nil, err
	}
	if v, _ := s.c.version.Load().(string); v == "2.3" && f.Visible != nil {
		return nil, errors.New("cachet: GroupFilter.Visible: Cachet 2.3 groups have no visibility (the server would answer 500)")
	}
	return find[ComponentGroup, wireGroup](ctx, s.lister(), q, f.match)
}

// Count returns the number of groups the token can see.
func (s *GroupsService) Count(ctx context.Context) (int, error) {
	return count[ComponentGroup, wireGroup](ctx, s.lister())
}

// Get reads one group, hidden or not.
func (s *GroupsService) Get(ctx context.Context, id int) (ComponentGroup, error) {
	g, err := doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodGet, "/components/groups/"+strconv.Itoa(id), nil)
	if err == nil {
		s.c.learnVersion(g)
	}
	return g, err
}

// Create creates a group; Name is required. Unset fields take Cachet's
// defaults: order 0, open, and on 2.4 visible to logged-in users only (set
// Visible to Ptr(GroupPublic) for a public group). The response has no
// member lists.
func (s *GroupsService) Create(ctx context.Context, p GroupParams) (ComponentGroup, error) {
	return doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodPost, "/components/groups", groupBody(p))
}

// Update changes the fields p sets and keeps the others.
//
// Cachet resets what a group PUT omits: order to 0 on 2.3 and 2.4, and
// visible to 0 (logged-in users only) on 2.4, because its update command
// casts both to int. So when p leaves Order or Visible nil, Update first
// reads the group (one GET) and sends its current values. With all four
// fields set no read is made.
func (s *GroupsService) Update(ctx context.Context, id int, p GroupParams) (ComponentGroup, error) {
	if p.Order == nil || p.Visible == nil {
		if err := s.c.refuseWrite(http.MethodPut, "/components/groups/"+strconv.Itoa(id)); err != nil {
			return ComponentGroup{}, err
		}
		cur, err := s.Get(ctx, id)
		if err != nil {
			return ComponentGroup{}, err
		}
		if p.Order == nil {
			p.Order = Ptr(cur.Order)
		}
		if p.Visible == nil && cur.HasVisibility {
			p.Visible = Ptr(cur.Visible)
		}
	}
	return doOne[ComponentGroup, wireGroup](ctx, s.c, http.MethodPut, "/components/groups/"+strconv.Itoa(id), groupBody(p))
}

// Delete deletes a group; its components become ungrouped (group_id 0).
func (s *GroupsService) Delete(ctx context.Context, id int) error {
	return s.c.do(ctx, &request{method: http.MethodDelete, path: "/components/groups/" + strconv.Itoa(id)})
}

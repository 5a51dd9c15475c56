package cachetv3

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/plan"
)

// checkReadAbilities runs before ReadLive reads anything. A bad token
// never fails a 3.x read (the server answers with the guest view), so the
// token is checked first; reading subscribers needs subscribers.manage,
// which the same request tells: GET /subscribers?per_page=1 answers 401
// to an unknown token, 403 to one without the ability. Nothing else is
// read when either fails.
func (a *API) checkReadAbilities(ctx context.Context, skipSubscribers bool) error {
	var err error
	if skipSubscribers {
		err = a.client.CheckToken(ctx)
	} else {
		var ok bool
		if ok, err = a.client.HasAbility(ctx, cachet3.AbilitySubscribersManage, 0); err == nil && !ok {
			return fmt.Errorf("nothing was read: %w", &cachet3.MissingAbilitiesError{Missing: []string{cachet3.AbilitySubscribersManage},
				For: "reading the page's subscribers"})
		}
	}
	if err != nil {
		return fmt.Errorf("checking the API token: %w (a bad token would read the page as a guest, so nothing was read)", err)
	}
	return nil
}

// abilitiesOf names the manage and delete abilities of a kind's objects.
func abilitiesOf(k plan.Kind) (manage, del string) {
	switch k {
	case plan.KindGroup:
		return cachet3.AbilityGroupsManage, cachet3.AbilityGroupsDelete
	case plan.KindComponent:
		return cachet3.AbilityComponentsManage, cachet3.AbilityComponentsDelete
	default:
		return cachet3.AbilitySubscribersManage, cachet3.AbilitySubscribersDelete
	}
}

// WriteAbilities returns the token abilities applying p needs, sorted:
// manage for each kind it creates or updates, delete for each kind it
// deletes (a replace needs both).
func WriteAbilities(p *plan.Plan) []string {
	var out []string
	for _, op := range p.Ops {
		manage, del := abilitiesOf(op.Kind)
		if op.Action != plan.Delete {
			out = append(out, manage)
		}
		if op.Action == plan.Delete || op.Action == plan.Replace {
			out = append(out, del)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CheckWriteAbilities tests, before any write, that the token holds the
// abilities applying p needs (WriteAbilities), and returns a
// *cachet3.MissingAbilitiesError naming every one the server refused.
// Cachet lists a token's abilities nowhere, so each is probed with a
// request that changes nothing (cachet3.Client.HasAbility): a manage
// ability with an empty update of an object the plan was computed from.
// unchecked returns what cannot be probed so: the delete abilities (a
// DELETE with the ability deletes), and a manage ability of a kind of
// which the page has no object yet. A token that lacks one of those fails
// at that kind's first write with a 403 naming the ability; apply runs the
// deletes of each step after its other writes.
func (a *API) CheckWriteAbilities(ctx context.Context, p *plan.Plan) (unchecked []string, err error) {
	var missing []string
	for _, ability := range WriteAbilities(p) {
		id := 0
		switch ability {
		case cachet3.AbilityGroupsManage:
			id = firstID(p.ExistingGroups)
		case cachet3.AbilityComponentsManage:
			id = firstID(p.ExistingComponents)
		}
		ok, err := a.client.HasAbility(ctx, ability, id)
		switch {
		case errors.Is(err, cachet3.ErrNotProbeable), errors.Is(err, cachet3.ErrNotFound):
			unchecked = append(unchecked, ability)
		case err != nil:
			return unchecked, err
		case !ok:
			missing = append(missing, ability)
		}
	}
	if len(missing) > 0 {
		return unchecked, &cachet3.MissingAbilitiesError{Missing: missing, For: "this apply"}
	}
	return unchecked, nil
}

func firstID(ids []int) int {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

package cachet3

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Token abilities the sync needs (core:src/Cachet.php:95-109). A token
// created without a choice holds "*", every ability. manage covers create
// and update (and, for subscribers, reading them); delete covers delete
// only, and manage does not imply it.
const (
	AbilityGroupsManage      = "component-groups.manage"
	AbilityGroupsDelete      = "component-groups.delete"
	AbilityComponentsManage  = "components.manage"
	AbilityComponentsDelete  = "components.delete"
	AbilitySubscribersManage = "subscribers.manage"
	AbilitySubscribersDelete = "subscribers.delete"
)

// ErrNotProbeable is returned by HasAbility for an ability that no request
// can test without changing the page.
var ErrNotProbeable = errors.New("cachet3: this ability cannot be tested without a write")

// MissingAbilitiesError says that the token lacks abilities a command
// needs. It matches ErrForbidden.
type MissingAbilitiesError struct {
	Missing []string // the abilities the server refused, e.g. "components.manage"
	For     string   // what needs them, e.g. "this apply"
}

// Error names the missing abilities and where a token gets them. Cachet's
// dashboard creates and revokes API keys but cannot edit one
// (core:src/Filament/Resources/ApiKeys/ApiKeyResource.php, pages index and
// create only), so a new key is needed.
func (e *MissingAbilitiesError) Error() string {
	word, pronoun := "ability", "it"
	if len(e.Missing) > 1 {
		word, pronoun = "abilities", "them"
	}
	return fmt.Sprintf("cachet3: the API token lacks the %s %s, which %s needs; create a key with %s in the Cachet dashboard (Settings, API keys; a key's abilities cannot be changed), or one with every ability (*)",
		word, strings.Join(e.Missing, ", "), e.For, pronoun)
}

// Is matches ErrForbidden.
func (e *MissingAbilitiesError) Is(target error) bool { return target == ErrForbidden }

// HasAbility tells whether the token holds ability, with one request that
// the server answers differently with and without it, and that changes
// nothing. Cachet has no endpoint that lists a token's abilities, and its
// 403 ("Invalid ability provided.") does not name them
// (core:src/Concerns/GuardsApiAbilities.php:13-21), so each is probed:
//
//   - subscribers.manage: GET /subscribers?per_page=1 (200, or 403);
//   - components.manage and component-groups.manage: PUT {} to the
//     existing object id. Validation runs before the ability check, and an
//     empty body is valid; with the ability the update has no field to
//     write (BaseData::toArray drops nulls; core:src/Data/BaseData.php:21-27),
//     Eloquent saves nothing that is not dirty, so no updated_at changes and
//     no webhook fires (core:src/Actions/Component/UpdateComponent.php,
//     core:src/Actions/ComponentGroup/UpdateComponentGroup.php).
//
// The delete abilities cannot be probed: DELETE binds the id (404 for an
// unknown one) before it checks the ability, and with the ability it
// deletes. They give ErrNotProbeable, as does a manage ability without an
// object to probe (id <= 0). A token the server does not know is a 401
// error; an object deleted meanwhile a 404 error. The PUT probes are
// writes to the transport: a read-only client refuses them.
func (c *Client) HasAbility(ctx context.Context, ability string, id int) (bool, error) {
	if c.token == "" {
		return false, fmt.Errorf("cachet3: no token: %w", ErrUnauthorized)
	}
	var r *request
	switch ability {
	case AbilitySubscribersManage:
		r = &request{method: http.MethodGet, path: "/subscribers", query: url.Values{"per_page": {"1"}}}
	case AbilityComponentsManage, AbilityGroupsManage:
		if id <= 0 {
			return false, fmt.Errorf("%w: %s needs an existing object to probe", ErrNotProbeable, ability)
		}
		path := "/components"
		if ability == AbilityGroupsManage {
			path = "/component-groups"
		}
		r = &request{method: http.MethodPut, path: idPath(path, id), body: struct{}{}}
	default:
		return false, fmt.Errorf("%w: %s", ErrNotProbeable, ability)
	}
	_, err := c.do(ctx, r)
	if errors.Is(err, ErrForbidden) {
		return false, nil
	}
	return err == nil, err
}

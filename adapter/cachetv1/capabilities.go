package cachetv1

import (
	"github.com/cachetsync/cachetsync/cachet/binput"
	"github.com/cachetsync/cachetsync/plan"
)

// Capabilities describes what a Cachet server of API v1 can do, by its
// generation as ReadLive detects it ("2.3" or "2.4"; anything else is
// read as 2.4).
//
//   - 2.3 has no group visibility and no component meta, and its component
//     update resets status and enabled unless both are sent
//     (app/Http/Controllers/Api/ComponentController.php:110-121 (v2.3.18):
//     Binput::get('status') and Binput::get('enabled', true)).
//   - 2.4 filter()s the tag names, which drops a "0"
//     (app/Bus/Handlers/Commands/Component/UpdateComponentCommandHandler.php:61).
//   - Each cleans input with its own version of graham-campbell/binput
//     (package binput).
func Capabilities(version string) plan.Capabilities {
	if version == "2.3" {
		return plan.Capabilities{Server: "Cachet 2.3", UpdateResetsOmitted: true, Input: binput.V23}
	}
	return plan.Capabilities{Server: "Cachet 2.4", GroupVisibility: true, ComponentMeta: true, DropsTagZero: true, Input: binput.V24}
}

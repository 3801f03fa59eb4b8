"""Review before counting (审核): the county's levels, and each action's review."""

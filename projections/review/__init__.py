"""Read models of review before counting: the county's levels and each action's review."""

"""Privacy dilemmas: branching scenarios (:mod:`.model`) and their widget (:mod:`.view`)."""

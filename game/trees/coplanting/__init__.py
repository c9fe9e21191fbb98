"""Co-planting: friends funding one tree together, each paying their share of energy."""

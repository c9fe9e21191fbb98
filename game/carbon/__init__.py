"""Carbon accounting: the methodology catalog and the player's account of actions."""

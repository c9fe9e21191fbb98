"""Props: a protection cover against steals and a double-collect card, with an inventory."""

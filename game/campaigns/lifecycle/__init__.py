"""A campaign's definition and lifecycle: window, audience and segments, goal, rewards."""

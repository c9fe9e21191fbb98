"""What partners send: batches of actions credited through the carbon rules, and meter readings."""

"""Peak-hour power-saving (demand-response) events."""

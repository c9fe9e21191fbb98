"""Check-ins: posts with a topic, text and photos; likes, comments and the feeds."""

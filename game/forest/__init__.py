"""The forest: visiting friends, stealing, watering, helping collect and reviving bubbles."""

"""Planting projects: where partners plant, with species quotas per project."""

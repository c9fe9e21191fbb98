"""Benchmarks: `python -m scripts.bench.<name>`, loopback only, bounded."""

"""Development and operations scripts: demo seed, benchmarks."""

"""The project's benchmark: `python -m benchmarks` (docs/performance.md)."""

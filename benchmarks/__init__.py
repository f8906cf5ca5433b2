"""Benchmarks run by hand (`python benchmarks/<name>.py`) and by the tests in tests/benchmarks."""

"""Tests of the benchmarks in benchmarks/: each still runs, and the quality bar holds."""

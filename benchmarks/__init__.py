"""Benchmarks and the synthetic corpus generator (scripts, not tests)."""

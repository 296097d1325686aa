"""Loaders: one module per source format, each turning one input into typed records."""

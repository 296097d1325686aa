"""Curated content: the YAML sources of the bundled graph."""

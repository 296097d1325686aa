"""Read-only views of a built graph: the networkx view, lineage and paths, stats, explorer queries."""

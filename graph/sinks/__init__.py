"""Sinks that write a built graph elsewhere: RDF and table exports, Graph Store push, Neo4j, maps."""

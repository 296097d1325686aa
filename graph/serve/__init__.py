"""The read-only SPARQL 1.1 endpoint (Oxigraph workers behind our proxy)."""

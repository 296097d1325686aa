"""Build pipeline: corpus (content and pages) -> name resolution -> RDF -> SHACL -> Oxigraph store on disk."""

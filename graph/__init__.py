"""therapy-kg core: build, store, query and view the psychotherapy knowledge graph."""

"""The therapy-kg ontology (Turtle), SHACL shapes, example queries and the term namespace."""

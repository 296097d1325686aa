// Each theory with the theorists who developed it and when it was introduced. Twin of founders-of-theories.rq.
MATCH (theory:Theory)
OPTIONAL MATCH (theory)-[:DEVELOPED_BY]->(founder:Entity)
WITH theory, collect(DISTINCT founder.label) AS founders
RETURN theory.id AS theory, theory.label AS label, theory.introducedYear AS introduced, founders
ORDER BY label

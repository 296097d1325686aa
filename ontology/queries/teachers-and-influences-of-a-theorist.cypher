// A theorist's intellectual ancestry: teachers (STUDENT_OF) and influences (INFLUENCED_BY), followed back any
// number of steps. Twin of teachers-and-influences-of-a-theorist.rq. Parameter: $name, e.g. "Mary Ainsworth".
MATCH (theorist:Theorist)
WHERE theorist.label = $name OR $name IN theorist.aliases
MATCH (theorist)-[:STUDENT_OF|INFLUENCED_BY*1..]->(ancestor:Entity)
RETURN DISTINCT ancestor.id AS ancestor, ancestor.label AS name
ORDER BY name

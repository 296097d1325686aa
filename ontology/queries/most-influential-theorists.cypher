// Most influential theorists, counted: works they developed, modalities resting on theories they developed,
// and theorists naming them as teacher or influence; highest total first. Twin of most-influential-theorists.rq.
MATCH (theorist:Theorist)
WITH theorist,
     COUNT { MATCH (work)-[:DEVELOPED_BY]->(theorist) RETURN DISTINCT work } AS developedWorks,
     COUNT { MATCH (grounded)-[:GROUNDED_IN]->(:Theory)-[:DEVELOPED_BY]->(theorist) RETURN DISTINCT grounded }
       AS modalitiesOnTheirTheories,
     COUNT { MATCH (follower)-[:STUDENT_OF|INFLUENCED_BY]->(theorist) RETURN DISTINCT follower }
       AS studentsAndInfluenced
WITH theorist, developedWorks, modalitiesOnTheirTheories, studentsAndInfluenced,
     developedWorks + modalitiesOnTheirTheories + studentsAndInfluenced AS score
WHERE score > 0
RETURN theorist.id AS theorist, theorist.label AS name, developedWorks, modalitiesOnTheirTheories,
       studentsAndInfluenced, score
ORDER BY score DESC, name
LIMIT 25

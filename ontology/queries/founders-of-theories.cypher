// Each theory with the theorists who developed it and when it was introduced ("1950s" or "1987"; one row per date
// when sources disagree). Twin of founders-of-theories.rq.
MATCH (theory:Theory)
OPTIONAL MATCH (theory)-[:DEVELOPED_BY]->(founder:Entity)
WITH theory, collect(DISTINCT founder.label) AS founders
UNWIND CASE WHEN theory.datingYear IS NULL THEN [null]
            ELSE [i IN range(0, size(theory.datingYear) - 1) |
                  toString(theory.datingYear[i]) + CASE theory.datingPrecision[i] WHEN 'decade' THEN 's' ELSE '' END]
       END AS introduced
WITH DISTINCT theory, introduced, founders
RETURN theory.id AS theory, theory.label AS label, introduced, founders
ORDER BY label, introduced

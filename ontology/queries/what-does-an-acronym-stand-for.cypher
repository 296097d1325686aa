// What an acronym or alternative name stands for: every entity carrying it as a label or alias, with its class.
// Twin of what-does-an-acronym-stand-for.rq. Parameter: $name, e.g. "MBT" (case does not matter).
MATCH (entity:Entity)
WHERE toLower(entity.label) = toLower($name)
   OR any(alias IN coalesce(entity.aliases, []) WHERE toLower(alias) = toLower($name))
UNWIND [label IN labels(entity) WHERE label <> 'Entity'] AS class
RETURN DISTINCT entity.id AS entity, entity.label AS label, class
ORDER BY label

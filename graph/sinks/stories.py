"""Presentation stories for maps: a list of names, a file of names (one a line) or YAML, read with file:line errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.sinks.maps import MapError, parse_class_names, parse_relation_names

STORY_KEYS = ("title", "steps")
STEP_KEYS = ("focus", "caption", "notes", "relations", "types")
YAML_SUFFIXES = (".yaml", ".yml")
_YAML_START = re.compile(r"^(title|steps)\s*:")


class StoryError(ValueError):
    """A story that cannot be read; the message starts with the file and line (or the list position)."""


@dataclass(frozen=True)
class StoryDraft:
    """One step as written, before its name is resolved: ``where`` is ``file:line`` (or ``--story item N``)."""

    name: str
    where: str
    caption: str = ""
    notes: str = ""
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryScript:
    """A whole story as written: an optional title (YAML ``title:``) and its steps in order."""

    title: str | None
    steps: tuple[StoryDraft, ...]


def read_story(story: str) -> StoryScript:
    """The story named by ``--story``: a YAML file (``.yaml``/``.yml``, or a file starting with ``title:`` or
    ``steps:``), a text file with one name per line (optional ``| caption``; blank lines and ``# comments``
    skipped), or else a comma-separated list of names. Raises StoryError naming file and line."""
    path = Path(story)
    if not path.is_file():
        names = [part.strip() for part in story.split(",")]
        return StoryScript(None, tuple(StoryDraft(name, f"--story item {index}")
                                       for index, name in enumerate(names, start=1) if name))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StoryError(f"{path}: cannot read the story: {error}") from None
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    if path.suffix.lower() in YAML_SUFFIXES or _YAML_START.match(first):
        return parse_yaml_story(text, str(path))
    return parse_line_story(text, str(path))


def parse_line_story(text: str, where: str) -> StoryScript:
    """The one-name-per-line format: ``name`` or ``name | caption``; blank lines and ``#`` comments skipped."""
    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, _, caption = stripped.partition("|")
        steps.append(StoryDraft(name.strip(), f"{where}:{number}", caption.strip()))
    return StoryScript(None, tuple(steps))


def parse_yaml_story(text: str, where: str) -> StoryScript:
    """A YAML story: a mapping with optional ``title:`` (text) and ``steps:``, a list of mappings, each with
    ``focus:`` (a name or alias; required), optional ``caption:`` and ``notes:`` (text) and ``relations:`` /
    ``types:`` (a list or a comma-separated text of relation or class names, validated against therapy.ttl).
    Every problem raises StoryError at ``where:line``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise StoryError(f"{where}{line}: not valid YAML: {problem}") from None
    if root is None:
        raise StoryError(f"{where}: the story is empty; write 'title:' and 'steps:'")
    if not isinstance(root, yaml.MappingNode):
        raise StoryError(f"{_at(where, root)}: a story is a mapping with 'title:' and 'steps:'")
    fields = _mapping(root, STORY_KEYS, where, "story")
    title = _text(fields["title"], where, "title") if "title" in fields else None
    steps_node = fields.get("steps")
    if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
        raise StoryError(f"{_at(where, steps_node or root)}: 'steps:' must be a list of steps, each with 'focus:'")
    steps = []
    for item in steps_node.value:
        if not isinstance(item, yaml.MappingNode):
            raise StoryError(f"{_at(where, item)}: a step is a mapping with 'focus:' (and 'caption:', 'notes:', "
                             "'relations:', 'types:')")
        step = _mapping(item, STEP_KEYS, where, "step")
        if "focus" not in step:
            raise StoryError(f"{_at(where, item)}: this step has no 'focus:' (the entity it shows)")
        name = _text(step["focus"], where, "focus")
        if not name:
            raise StoryError(f"{_at(where, step['focus'])}: 'focus:' is empty")
        relations = _choices(step.get("relations"), where, "relations")
        types = _choices(step.get("types"), where, "types")
        try:
            relations = parse_relation_names(relations)
        except MapError as error:
            raise StoryError(f"{_at(where, step['relations'])}: {error}") from None
        try:
            types = parse_class_names(types)
        except MapError as error:
            raise StoryError(f"{_at(where, step['types'])}: {error}") from None
        steps.append(StoryDraft(name, _at(where, step["focus"]),
                                _text(step["caption"], where, "caption") if "caption" in step else "",
                                _text(step["notes"], where, "notes") if "notes" in step else "",
                                relations, types))
    return StoryScript(title, tuple(steps))


def _at(where: str, node: yaml.Node) -> str:
    return f"{where}:{node.start_mark.line + 1}"


def _mapping(node: yaml.MappingNode, allowed: tuple[str, ...], where: str, what: str) -> dict[str, yaml.Node]:
    found: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name not in allowed:
            raise StoryError(f"{_at(where, key)}: unknown {what} field '{name}'; a {what} has {', '.join(allowed)}")
        if name in found:
            raise StoryError(f"{_at(where, key)}: '{name}' appears twice in this {what}")
        found[name] = value
    return found


def _text(node: yaml.Node, where: str, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise StoryError(f"{_at(where, node)}: '{field}:' must be text")
    return str(node.value).strip()


def _choices(node: yaml.Node | None, where: str, field: str) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, yaml.ScalarNode):
        return (str(node.value),)
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return tuple(str(item.value) for item in node.value)
    raise StoryError(f"{_at(where, node)}: '{field}:' must be a list of names or a comma-separated text")

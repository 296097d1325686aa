"""Stories for maps: the YAML format and the one-name-per-line format, with file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.sinks.stories import StoryDraft, StoryError, read_story

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "docs" / "story-example.yaml"


def test_the_example_in_docs_reads() -> None:
    script = read_story(str(EXAMPLE))
    assert script.title == "Where attachment-based therapies came from"
    assert [step.name for step in script.steps] == ["Bowlby", "Mary Ainsworth", "attachment theory", "MBT"]
    first = script.steps[0]
    assert first.notes.startswith("Ask the room who has worked with children in care.")
    assert first.relations == ("developedBy", "studentOf", "influencedBy", "collaboratedWith")
    assert script.steps[2].types == ("Theory", "Theorist", "Modality")  # comma-separated text works too
    assert script.steps[3].relations == ("groundedIn", "subtypeOf", "derivedFrom", "developedBy")
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for step in script.steps:  # each step's place is the line of its focus
        path, line = step.where.rsplit(":", 1)
        assert path == str(EXAMPLE) and lines[int(line) - 1].strip() == f"- focus: {step.name}"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: T\nsteps:\n  - focus: Bowlby\n    captoin: typo\n", 4, ["unknown step field 'captoin'", "caption"]),
    ("title: T\nsteps:\n  - caption: no focus\n", 3, ["no 'focus:'"]),
    ("title: T\nsteps:\n  - focus: Bowlby\n  - focus: MBT\n    relations: [groundedIn, inventedBy]\n", 5,
     ["unknown relation 'inventedBy'", "developedBy"]),
    ("title: T\nsteps:\n  - focus: MBT\n    types: Therapist\n", 4, ["unknown class 'Therapist'"]),
    ("title: T\nsteps:\n  - focus: [a, b]\n", 3, ["'focus:' must be text"]),
    ("title: T\nsteps: []\n", 2, ["'steps:' must be a list"]),
    ("title: T\nsteps:\n  - focus: Bowlby\n   caption: bad indent\n", 4, ["not valid YAML"]),
    ("titel: T\nsteps:\n  - focus: Bowlby\n", 1, ["unknown story field 'titel'"]),
])
def test_yaml_mistakes_name_file_and_line(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as raised:
        read_story(str(path))
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message


def test_line_format_and_lists_still_read(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("# a comment\nJohn Bowlby | Starts with separation\n\nMary Ainsworth\n", encoding="utf-8")
    script = read_story(str(path))
    assert script.title is None
    assert script.steps == (StoryDraft("John Bowlby", f"{path}:2", "Starts with separation"),
                            StoryDraft("Mary Ainsworth", f"{path}:4"))
    assert [s.name for s in read_story("Bowlby, DDP").steps] == ["Bowlby", "DDP"]
    yaml_without_suffix = tmp_path / "story"
    yaml_without_suffix.write_text("# notes\nsteps:\n  - focus: DDP\n", encoding="utf-8")
    assert read_story(str(yaml_without_suffix)).steps[0].where == f"{yaml_without_suffix}:3"

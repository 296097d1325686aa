"""`tkg map` end to end on the seed content: files written, options honoured, user errors exit 2 writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from graph.cli.main import main
from tests.conftest import SEED_CONTENT


def run(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), "--content", str(SEED_CONTENT), "map", *args])
    return result.exit_code, result.output


def page_data(path: Path) -> dict:
    return json.loads(LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("script#map-data").text())


def test_map_with_focus_story_and_title(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("# where attachment theory came from\nJohn Bowlby | Starts with separation\n\n"
                     "Mary Ainsworth\nattachment theory\n", encoding="utf-8")
    out = tmp_path / "out" / "map.html"
    code, output = run(tmp_path / "store", "--focus", "attachment theory", "--depth", "1", "--story", str(story),
                       "--title", "Attachment lineage", "--out", str(out))
    assert code == 0, output
    data = page_data(out)
    assert data["title"] == "Attachment lineage"
    assert [s["id"] for s in data["story"]] == ["theorist/john-bowlby", "theorist/mary-ainsworth",
                                                 "theory/attachment-theory"]
    assert data["story"][0]["caption"] == "Starts with separation"
    # tooltips and the captions made from them name sources by title, not id
    bowlby = next(n for n in data["nodes"] if n["id"] == "theorist/john-bowlby")
    assert bowlby["title"].splitlines()[-1] == "Source: Kitchen-sink test content"
    assert "Kitchen-sink test content" in data["sources"] and "kitchen-sink" not in data["sources"]
    ids = {n["id"] for n in data["nodes"]}
    assert "theory/attachment-theory" in ids and "modality/dyadic-developmental-psychotherapy" in ids
    assert "population/couples" not in ids  # two steps away: outside --depth 1
    assert f"({len(ids)} entities" in output


def test_types_relations_layout_and_story_list(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--types", "Modality,Theorist", "--relations", "developedBy",
                       "--layout", "radial", "--story", "DDP, Daniel Hughes", "--out", str(out))
    assert code == 0, output
    data = page_data(out)
    assert {n["group"] for n in data["nodes"]} == {"Modality", "Theorist"}
    assert {e["relation"] for e in data["edges"]} == {"developedBy"}
    assert data["layout"] == "radial" and len(data["story"]) == 2


def test_unknown_story_name_names_the_line_and_writes_nothing(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("John Bowlby\nNobody In Particular\n", encoding="utf-8")
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--story", str(story), "--out", str(out))
    assert code == 2
    assert f"{story}:2" in output and "Nobody In Particular" in output
    assert not out.exists()


def test_unknown_class_or_relation_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--types", "Therapist", "--out", str(out))
    assert code == 2 and "--types" in output and "Theorist" in output
    code, output = run(tmp_path / "store", "--relations", "inventedBy", "--out", str(out))
    assert code == 2 and "--relations" in output and "developedBy" in output
    code, output = run(tmp_path / "store", "--focus", "Sigmund Nobody", "--out", str(out))
    assert code == 2 and "--focus" in output
    assert not out.exists()


def test_yaml_story_with_notes_and_what_each_step_shows(tmp_path: Path) -> None:
    story = tmp_path / "story.yaml"
    story.write_text("title: Attachment in four steps\nsteps:\n  - focus: Bowlby\n    caption: It starts here\n"
                     "    notes: Ask the room first\n    relations: developedBy, studentOf\n"
                     "  - focus: dyadic developmental psychotherapy\n    caption: Built on attachment theory\n"
                     "    types: [Modality, Theory]\n", encoding="utf-8")
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--story", str(story), "--out", str(out))
    assert code == 0, output
    data = page_data(out)
    assert data["title"] == "Attachment in four steps"  # --title not given: the story's
    first, second = data["story"]
    assert first == {"id": "theorist/john-bowlby", "caption": "It starts here", "notes": "Ask the room first",
                     "relations": ["developedBy", "studentOf"], "shows": []}
    assert second["types"] == ["Modality", "Theory"] and second["shows"] == ["theory/attachment-theory"]


def test_surname_story_and_did_you_mean(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--story", "Bowlby", "--out", str(out))
    assert code == 0, output
    assert [s["id"] for s in page_data(out)["story"]] == ["theorist/john-bowlby"]
    story = tmp_path / "story.yaml"
    story.write_text("steps:\n  - focus: Bowlby\n  - focus: Bowlbey\n", encoding="utf-8")
    out.unlink()
    code, output = run(tmp_path / "store", "--story", str(story), "--out", str(out))
    assert code == 2 and f"{story}:3" in output and "did you mean: John Bowlby" in output
    assert not out.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - focus: Bowlby\n    relation: developedBy\n", encoding="utf-8")
    code, output = run(tmp_path / "store", "--story", str(bad), "--out", str(out))
    assert code == 2 and f"{bad}:3: unknown step field 'relation'" in output and "Traceback" not in output


def test_colour_and_size_encodings_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, output = run(tmp_path / "store", "--colour-by", "family", "--size-by", "descendants", "--out", str(out))
    assert code == 0, output
    legend = page_data(out)["legend"]
    assert legend["colours"][0]["name"] == "Attachment Theory family"
    assert legend["size"]["by"] == "descendants" and legend["size"]["largest"] == "Attachment Theory"
    code, output = run(tmp_path / "store", "--size-by", "fame", "--out", str(tmp_path / "other.html"))
    assert code == 2 and "descendants" in output


def test_whole_bundled_graph_in_the_force_layout(tmp_path: Path) -> None:
    """Over 500 entities networkx's spring layout needs scipy (a dependency); it once failed with a traceback."""
    out = tmp_path / "force.html"
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "map", "--layout", "force",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out)
    assert data["layout"] == "force" and len(data["nodes"]) > 500
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # every entity placed apart


def test_label_scale_multiplies_every_label_and_is_bounded(tmp_path: Path) -> None:
    out = tmp_path / "big.html"
    code, output = run(tmp_path / "store", "--focus", "attachment theory", "--depth", "1", "--label-scale", "1.5",
                       "--out", str(out))
    assert code == 0, output
    assert {n["font"]["size"] for n in page_data(out)["nodes"]} == {30.0}  # the maps' 20 px labels times 1.5
    code, output = run(tmp_path / "store", "--label-scale", "9", "--out", str(tmp_path / "no.html"))
    assert code == 2 and "0.4<=x<=4.0" in output.replace(" ", "") and not (tmp_path / "no.html").exists()

"""Content checks: each malformed or wrong input in a small temporary content folder is refused by `tkg build` with
one line `file:line (entity): what is wrong` and exit 1, never a traceback and never a store written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.store import current_build
from loaders.content_yaml import current_year

# Line numbers below count from here: sources on line 2, alpha on 4, beta on 8, gamma on 12, ada on 16, bo on 22.
BASE = """\
sources:
  - {{id: test-source, title: Test source, kind: reference}}
entities:
  - id: modality/alpha
    type: Modality
    label: Alpha therapy
    source: test-source{alpha}
  - id: modality/beta
    type: Modality
    label: Beta therapy
    source: test-source{beta}
  - id: modality/gamma
    type: Modality
    label: Gamma therapy
    source: test-source{gamma}
  - id: theorist/ada
    type: Theorist
    label: Ada Example
    source: test-source
    birthYear: {born}
    deathYear: 1980{ada}
  - id: theorist/bo
    type: Theorist
    label: Bo Example
    source: test-source{bo}
"""


def content(born: str = "1900", **extra: str) -> str:
    """BASE with ``extra`` lines (each starting with a newline) appended to the named entities' blocks."""
    blocks = {name: extra.get(name, "") for name in ("alpha", "beta", "gamma", "ada", "bo")}
    return BASE.format(born=born, **blocks)


def build(tmp_path: Path, text: str) -> tuple[int, str, Path]:
    """Write ``text`` as the only content file of a fresh folder, run `tkg build`; (exit code, stderr, the file)."""
    folder = tmp_path / "content"
    folder.mkdir()
    path = folder / "test.yaml"
    path.write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "--content", str(folder), "build"])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code:
        assert current_build(store) is None, "a refused build must not leave a store"
        assert not list((store / "builds").glob("*")) if (store / "builds").exists() else True
    return result.exit_code, result.stderr, path


def refused(tmp_path: Path, text: str) -> tuple[str, Path]:
    """The one problem line of a refused build (exit 1), and the content file."""
    code, stderr, path = build(tmp_path, text)
    assert code == 1, stderr
    problems = [line.strip() for line in stderr.splitlines() if line.startswith("  ")]
    assert "build failed with 1 problem(s)" in stderr, stderr
    assert len(problems) == 1, stderr
    return problems[0], path


def test_the_base_content_builds(tmp_path: Path) -> None:
    code, stderr, _ = build(tmp_path, content())
    assert code == 0, stderr


# ----------------------------------------------------------------------- malformed YAML


def test_a_syntax_error_names_line_and_entity(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(beta="\n    aliases: [Beta, BT\n    note: x"))
    assert problem == (f"{path}:13 (modality/beta): malformed YAML: did not find expected ',' or ']' "
                       "(while parsing a flow sequence that starts at line 12)")


def test_tab_indentation(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("    label: Gamma therapy", "\tlabel: Gamma therapy"))
    assert problem == (f"{path}:14 (modality/gamma): malformed YAML: a tab is used for indentation; YAML indents "
                       "with spaces only")


def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("label: Alpha therapy", 'label: "Alpha therapy'))
    assert problem == f"{path}:6 (modality/alpha): malformed YAML: a quote opened on this line is never closed"


def test_a_duplicate_key_is_refused_not_silently_overwritten(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(bo="\n    label: Bo Other"))
    assert problem == (f"{path}:26 (theorist/bo): duplicate key 'label' (first at line 24); YAML would keep only "
                       "the last value")


def test_a_duplicate_key_in_a_flow_mapping(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("kind: reference}", "kind: reference, kind: book}"))
    assert problem == (f"{path}:2 (source test-source): duplicate key 'kind' (first at line 2); YAML would keep "
                       "only the last value")


def test_a_nul_written_as_an_escape_in_a_label(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("label: Bo Example", 'label: "Bo\\0 Example"'))
    assert problem == (f"{path}:24 (theorist/bo): control character U+0000 in 'Bo\\x00 Example'; only tab and line "
                       "breaks are allowed in text")


def test_a_raw_control_character_in_the_file(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("label: Gamma therapy", "label: Gamma\x07therapy"))
    assert problem == (f"{path}:14 (modality/gamma): control character U+0007 in the file; only tab and line breaks "
                       "are allowed in text")


def test_a_url_with_a_space(tmp_path: Path) -> None:
    text = content().replace("kind: reference}", "kind: reference, url: https://ex ample.org}")
    problem, path = refused(tmp_path, text)
    assert problem == (f"{path}:2 (source test-source): url 'https://ex ample.org' is not an absolute URL (a scheme "
                       "such as https:, no spaces, none of <>\"{}|\\^`)")


def test_mixed_integer_and_string_keys(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(bo="\n    1: one\n    two words: two"))
    assert problem == (f"{path}:22 (theorist/bo): unknown property [1, 'two words'] (text with commas inside a {{...}} "
                       "mapping must be quoted)")


def test_a_list_where_text_is_expected(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("kind: reference}", "kind: reference, author: [A, B]}"))
    assert problem == f"{path}:2 (source test-source): 'author' must be a non-empty string, got a list"


def test_a_mapping_is_never_stored_as_its_python_repr(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    typicalDuration: {value: {weeks: 12}}"))
    assert problem == f"{path}:4 (modality/alpha): 'typicalDuration' has a value of the wrong type: a mapping"


def test_a_note_that_is_a_list(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    introduced: {value: 1990, note: [a, b]}"))
    assert problem == f"{path}:4 (modality/alpha): 'introduced' item: 'note' must be a non-empty string, got a list"


# ----------------------------------------------------------------------- lineage: self-references and cycles


def test_subtype_of_itself(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    subtypeOf: [modality/alpha]"))
    assert problem == f"{path}:4 (modality/alpha): subtypeOf: subtypeOf must not point at the entity itself"


def test_student_of_themselves(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(bo="\n    studentOf: [theorist/bo]"))
    assert problem == f"{path}:22 (theorist/bo): studentOf: studentOf must not point at the entity itself"


def test_a_subtype_cycle_of_two(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    subtypeOf: [modality/beta]",
                                              beta="\n    subtypeOf: [modality/alpha]"))
    assert problem == (f"{path}:4 (modality/alpha): subtypeOf goes round in a cycle: modality/alpha -> "
                       f"modality/beta -> modality/alpha (facts at {path}:4 (modality/alpha), {path}:9 "
                       "(modality/beta)); remove or correct one of them")


def test_a_derivation_cycle_of_three_names_every_member(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    derivedFrom: [modality/gamma]",
                                              beta="\n    derivedFrom: [modality/alpha]",
                                              gamma="\n    derivedFrom: [modality/beta]"))
    assert problem == (f"{path}:4 (modality/alpha): derivedFrom goes round in a cycle: modality/alpha -> "
                       f"modality/gamma -> modality/beta -> modality/alpha (facts at {path}:4 (modality/alpha), "
                       f"{path}:14 (modality/gamma), {path}:9 (modality/beta)); remove or correct one of them")


def test_a_teaching_cycle(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(ada="\n    studentOf: [theorist/bo]",
                                              bo="\n    studentOf: [theorist/ada]"))
    assert problem == (f"{path}:16 (theorist/ada): studentOf goes round in a cycle: theorist/ada -> theorist/bo -> "
                       f"theorist/ada (facts at {path}:16 (theorist/ada), {path}:23 (theorist/bo)); remove or "
                       "correct one of them")


def test_mutual_influence_is_allowed(tmp_path: Path) -> None:
    code, stderr, _ = build(tmp_path, content(ada="\n    influencedBy: [theorist/bo]",
                                              bo="\n    influencedBy: [theorist/ada]"))
    assert code == 0, stderr


# ----------------------------------------------------------------------- life spans and class-appropriate properties


def test_born_after_they_died(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(born="1985"))
    assert problem == f"{path}:16 (theorist/ada): birthYear: birthYear must be earlier than deathYear (value 1985)"


def test_a_birth_year_on_a_modality(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    birthYear: 1950"))
    assert problem == f"{path}:4 (modality/alpha): birthYear: birthYear is for a Theorist only"


def test_developed_by_on_a_theorist(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(bo="\n    developedBy: [theorist/ada]"))
    assert problem == f"{path}:22 (theorist/bo): developedBy: developedBy is for a Modality or a Theory only"


# ----------------------------------------------------------------------- years


@pytest.mark.parametrize("written", ["0", "-5", "3000", "99999", '"3000"', '"0"'])
def test_a_year_out_of_range(tmp_path: Path, written: str) -> None:
    problem, path = refused(tmp_path, content(born=written))
    shown = repr(written.strip('"')) if written.startswith('"') else written
    assert problem == (f"{path}:16 (theorist/ada): birthYear: {shown} is out of range: years run from 1 to "
                       f"{current_year()} (this year)")


def test_a_year_after_this_year(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha=f"\n    introduced: {current_year() + 1}"))
    assert problem == (f"{path}:4 (modality/alpha): introduced: {current_year() + 1} is out of range: years run from "
                       f"1 to {current_year()} (this year)")


def test_an_unquoted_year_with_leading_zeros_is_not_read_as_octal(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(born="0050"))
    assert problem == (f"{path}:20 (theorist/ada): unquoted 0050 is read by YAML as the number 40 (a leading 0 means "
                       "octal, 0x hex, a colon base 60); write a year with leading zeros in quotes (\"0050\") or "
                       "without them")


def test_a_two_digit_decade_is_ambiguous(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content(alpha="\n    introduced: 50s"))
    assert problem == (f"{path}:4 (modality/alpha): introduced: decade '50s' must be written with four digits "
                       "('1950s', '0050s')")


def test_early_years_as_integers_or_quoted_strings(tmp_path: Path) -> None:
    """Epictetus (born about 50, died about 135) can be entered: integers, quoted strings, leading zeros in quotes."""
    text = content(born='"0050"', alpha='\n    introduced: "0980s"', beta="\n    introduced: 1",
                   gamma=f'\n    introduced: "{current_year()}"').replace("deathYear: 1980", "deathYear: 135")
    folder_store = tmp_path / "store"
    code, stderr, path = build(tmp_path, text)
    assert code == 0, stderr
    query = ("SELECT ?s ?y WHERE { { ?s tkg:birthYear ?y } UNION { ?s tkg:deathYear ?y } UNION "
             "{ ?s tkg:introduced ?y } } ORDER BY ?s ?y")
    result = CliRunner().invoke(main, ["--store", str(folder_store), "--content", str(path.parent), "query",
                                       "--format", "csv", query])
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.replace("https://w3id.org/therapy-kg/id/", "").splitlines()
    assert rows == ["s,y", "modality/alpha,0980", "modality/beta,0001", f"modality/gamma,{current_year()}",
                    "theorist/ada,0050", "theorist/ada,0135"]


def test_a_syntax_error_in_a_source_names_the_source(tmp_path: Path) -> None:
    problem, path = refused(tmp_path, content().replace("title: Test source", "title: Test: source"))
    assert problem == (f"{path}:2 (source test-source): malformed YAML: did not find expected ',' or '}}' (while "
                       "parsing a flow mapping that starts at line 2)")

"""The `tkg map` command: an offline, still, presentable HTML map of the graph or part of it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from graph.cli.context import open_graph
from graph.files import write_atomically
from graph.sinks.map_images import FORMATS, ImageError, render_pdf, render_png, render_svg
from graph.sinks.maps import (
    COLOUR_BY,
    LABEL_SCALE_RANGE,
    LAYOUTS,
    SIZE_BY,
    MapError,
    MapRequest,
    StoryStep,
    build_map,
    parse_class_names,
    parse_relation_names,
    render_map_html,
    write_map,
)
from graph.sinks.stories import StoryError, StoryScript, read_story
from graph.views.explore import SOURCES_QUERY, source_catalogue
from ontology.names import AmbiguousName, UnknownName


@click.command("map")
@click.option("--out", "--output", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: one self-contained HTML page, or an SVG, PNG or PDF (see --format).")
@click.option("--focus", help="Centre the map on this entity (name, alias or id).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many steps out from it to include.")
@click.option("--types", multiple=True,
              help="Only these classes, comma-separated or repeated (e.g. Modality,Theorist).")
@click.option("--relations", multiple=True,
              help="Only these relations, comma-separated or repeated (e.g. subtypeOf,derivedFrom).")
@click.option("--layout", type=click.Choice(LAYOUTS), default="lineage", show_default=True,
              help="lineage: time left to right, families top to bottom; force: springs; radial: rings.")
@click.option("--title", default=None, help="Title shown on the page (default: describes the selection).")
@click.option("--story", help="Presentation steps: a YAML file (title:, steps: with focus:, caption:, notes:, "
              "relations:, types:; see docs/story-example.yaml), a text file (one name per line, optional "
              "'| caption') or a comma-separated list of names. Step with the arrow keys, Page Down/Up or space.")
@click.option("--colour-by", "--color-by", "colour_by", type=click.Choice(COLOUR_BY), default="class",
              show_default=True, help="Fill colour: class (shapes and colours by class), family (lineage "
              "family), decade (decade introduced; undated grey). A legend says what each colour means.")
@click.option("--size-by", type=click.Choice(SIZE_BY), default="none", show_default=True,
              help="Entity and label size: degree (facts), betweenness (centrality), descendants (what grew "
              "from it). Labels only ever grow, up to 2.2x.")
@click.option("--label-scale", type=click.FloatRange(*LABEL_SCALE_RANGE), default=1.0, show_default=True,
              help="Every label's size times this (1.5 for a large room); + and - on the page still change it.")
@click.option("--format", "image_format", type=click.Choice(FORMATS), default=None,
              help="html (default): the interactive page; svg: a static image of the same layout (pure Python); "
              "png: that image as pixels; pdf: a one-page handout, the map and a numbered key of the story "
              "steps (png and pdf need headless Chromium). Without --format, taken from --out's suffix.")
@click.pass_context
def map_command(ctx: click.Context, out: Path, focus: str | None, depth: int, types: tuple[str, ...],
                relations: tuple[str, ...], layout: str, title: str | None, story: str | None, colour_by: str,
                size_by: str, label_scale: float, image_format: str | None) -> None:
    """Write an interactive map as one HTML file that works offline (USB stick, workshop room, no network)."""

    try:
        classes = parse_class_names(types)
    except MapError as error:
        raise click.BadParameter(str(error), param_hint="--types") from None
    try:
        relation_names = parse_relation_names(relations)
    except MapError as error:
        raise click.BadParameter(str(error), param_hint="--relations") from None
    try:
        script = read_story(story) if story else StoryScript(None, ())
    except StoryError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    kg = open_graph(ctx)
    focus_id = _resolve(kg, focus, "--focus") if focus else None
    steps = tuple(StoryStep(_resolve(kg, draft.name, draft.where), draft.caption, draft.notes, draft.relations,
                            draft.types) for draft in script.steps)
    if not title:
        title = script.title or (f"therapy-kg: around {kg.entity(focus_id)['label']}" if focus_id
                                 else "therapy-kg map")
    titles = {source.id: source.title for source in source_catalogue(kg.select(SOURCES_QUERY)).values()}
    request = MapRequest(focus=focus_id, depth=depth, types=classes, relations=relation_names, layout=layout,
                         title=title, story=steps, source_titles=titles, colour_by=colour_by, size_by=size_by,
                         label_scale=label_scale)
    started = time.perf_counter()
    try:
        graph_map = build_map(kg.nx, request)
    except MapError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    kind = image_format or (out.suffix.lower().lstrip(".") if out.suffix.lower().lstrip(".") in FORMATS else "html")
    if kind == "html":
        html = render_map_html(graph_map)
        write_map(out, html)
        click.echo(f"wrote {out} ({len(graph_map.nodes)} entities, {len(graph_map.edges)} facts, "
                   f"{len(html) / 1e6:.1f} MB, "
                   f"{time.perf_counter() - started:.2f} s); it needs no network: open it in any browser")
        return
    drawing = render_svg(graph_map)
    try:
        data: str | bytes = (drawing.svg if kind == "svg" else render_png(drawing) if kind == "png"
                             else render_pdf(graph_map))
    except ImageError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    write_atomically(out, data)
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    click.echo(f"wrote {out} ({kind.upper()}, {len(graph_map.nodes)} entities, {size / 1e6:.2f} MB, "
               f"{time.perf_counter() - started:.2f} s)")


def _resolve(kg: object, name: str, where: str) -> str:
    try:
        return kg.resolve(name)  # type: ignore[attr-defined]
    except (UnknownName, AmbiguousName) as error:
        click.echo(f"error: {where}: {error}", err=True)
        sys.exit(2)

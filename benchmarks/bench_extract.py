"""Page extraction speed: synthetic seed-sized pages (txt, md, html) streamed from disk, beside the floor."""

from __future__ import annotations

import argparse
import html
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.extract.segment import split_blocks, split_sentences  # noqa: E402
from loaders.registry import decode_page, load_page  # noqa: E402

FIRST = [
    "Ada",
    "Bram",
    "Clara",
    "Dev",
    "Elin",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Mira",
    "Nils",
    "Oona",
    "Pavel",
    "Rosa",
    "Sami",
    "Tove",
    "Umar",
]
LAST = [
    "Hartley",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Brennan",
    "Castillo",
    "Novak",
    "Quist",
    "Rahman",
    "Sorensen",
    "Vidal",
    "Whitford",
    "Yilmaz",
    "Zeller",
    "Abbott",
    "Bianchi",
    "Dunmore",
    "Ekberg",
    "Fenwick",
]
ROOTS = [
    "Compassion",
    "Narrative",
    "Somatic",
    "Relational",
    "Reflective",
    "Integrative",
    "Mindful",
    "Sensory",
    "Systemic",
    "Existential",
    "Strengths",
    "Memory",
    "Bonding",
    "Resilience",
    "Affect",
    "Family Systems",
]
HEADS = ["Therapy", "Psychotherapy", "Treatment", "Counseling"]
FOCUS = ["Focused", "Based", "Oriented", "Informed"]
POPULATIONS = ["couples", "families", "adolescents", "children", "parents", "adults", "veterans", "caregivers"]
CONDITIONS = [
    "depression",
    "anxiety",
    "trauma",
    "post-traumatic stress disorder",
    "eating disorders",
    "grief",
    "borderline personality disorder",
    "panic disorder",
    "insomnia",
    "self-harm",
]
THEORIES = [
    "attachment theory",
    "learning theory",
    "polyvagal theory",
    "family systems theory",
    "object relations theory",
]
GOALS = [
    "Building a steady sense of safety",
    "Strengthening emotional balance",
    "Growing self-compassion",
    "Repairing strained relationships",
    "Making sense of painful memories",
    "Finding words for feelings",
]
TECHNIQUES = [
    "Guided imagery",
    "Body awareness practice",
    "Reflective dialogue",
    "Role play with the therapist",
    "Letter writing",
    "Breathing exercises",
]
PHASES = [
    "Building trust",
    "Mapping patterns",
    "Working through memories",
    "Practising new responses",
    "Consolidating change",
]
FILLER = [
    "Clients are encouraged to notice what happens in their body as they talk.",
    "The pace of the work is agreed together and reviewed often.",
    "Therapists in this tradition pay close attention to the relationship in the room.",
    "Progress is usually gradual rather than sudden, and setbacks are treated as information.",
    "Many people describe the sessions as calm, focused and respectful.",
    "Homework between sessions is light and always optional.",
]


def modality_name(rng: random.Random) -> str:
    """A made-up modality name such as "Somatic-Focused Psychotherapy"."""
    return f"{rng.choice(ROOTS)}-{rng.choice(FOCUS)} {rng.choice(HEADS)}"


def acronym_of(name: str) -> str:
    """Initials of a name, hyphenated parts included."""
    return "".join(part[0] for word in name.split() for part in word.split("-")).upper()


def synthetic_page(rng: random.Random) -> str:
    """One seed-sized page (about 7 KB) in the seed's layout, with made-up names, dates and lists."""
    main = modality_name(rng)
    short = main.rsplit(" ", 1)[0] + " Therapy"
    person = lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}"  # noqa: E731
    subtypes = [modality_name(rng) for _ in range(4)]
    bullets = lambda items: "\n".join(f"  • {item}" for item in items)  # noqa: E731
    filler = lambda n: " ".join(rng.choice(FILLER) for _ in range(n))  # noqa: E731
    sub_lines = [
        f"{s} ({acronym_of(s)}): Developed by {person()} for {rng.choice(POPULATIONS)} living with "
        f"{rng.choice(CONDITIONS)}. {filler(2)}"
        for s in subtypes
    ]
    theory = rng.choice(THEORIES)
    parts = [
        main,
        f"A gentle, structured approach that helps people with {rng.choice(CONDITIONS)} feel steadier.",
        "",
        "The Basics",
        "",
        f"What is {main}?",
        "",
        f"{main} (also known as {short}) is a type of therapy that looks at how early experiences shape present "
        f"relationships. {filler(6)}",
        "",
        filler(4),
        "",
        "Goal",
        "",
        f"What is the goal of {main}?",
        "",
        f"{filler(2)}",
        "",
        f"The goals of {short} include:",
        "",
        bullets(rng.sample(GOALS, 4)),
        "",
        filler(3),
        "",
        "Uses",
        "",
        f"What does {main} treat?",
        "",
        f"{short} can be especially helpful for:",
        "",
        bullets([f"People living with {c}" for c in rng.sample(CONDITIONS, 4)]),
        "",
        "Subtypes",
        "",
        f"Are there any subtypes of {main}?",
        "",
        "Yes, several approaches grew from this work:",
        "",
        bullets(sub_lines),
        "",
        "Origins",
        "",
        f"Who developed {main} and when?",
        "",
        filler(5),
        "",
        f"{short} grew out of {theory}, first developed by {person()} in the {rng.choice(range(1940, 2000, 10))}s. "
        f"In {rng.randint(1960, 2015)}, {person()} developed {main}. {filler(3)}",
        "",
        "Evidence Base",
        "",
        f"Is {main} evidence-based?",
        "",
        filler(7),
        "",
        filler(5),
        "",
        "How It Works",
        "",
        "Techniques Used",
        "",
        f"How does {main} work?",
        "",
        filler(3),
        " Clients can:",
        "",
        bullets(rng.sample(TECHNIQUES, 3)),
        "",
        filler(4),
        "",
        "What to Expect in a Session",
        "",
        f"What can I expect from a {main} session?",
        "",
        "You can expect:",
        "",
        bullets([f"{rng.choice(FILLER)[:-1]}" for _ in range(5)]),
        "",
        filler(6),
        "",
        filler(4),
        "",
        "Treatment Length & Structure",
        "",
        f"How long does {main} typically take?",
        "",
        f"Many people notice change within {rng.randint(3, 9)}–{rng.randint(10, 24)} months. {filler(2)}",
        "",
        f"{short} typically unfolds in phases:",
        "",
        "\n".join(f"  {i}. {p}" for i, p in enumerate(rng.sample(PHASES, 3), start=1)),
        "",
        filler(2),
        "",
        "Getting Care",
        "",
        "Finding a Therapist",
        "",
        "Our directory has many therapists who offer this approach.",
        "",
        "Loading...Loading...Loading...",
        "",
    ]
    return "\n".join(parts) + "\n"


def _is_heading(block: str) -> bool:
    return "\n" not in block and len(block) < 70 and not block.rstrip().endswith(".")


def as_markdown(text: str) -> str:
    """The same page as Markdown: the first line a title, short unpunctuated lines headings, bullets a list."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    out = [f"# {blocks[0].splitlines()[0]}", *blocks[0].splitlines()[1:]]
    for block in blocks[1:]:
        if _is_heading(block):
            out.append(f"\n## {block.strip()}")
        else:
            out.append("\n" + "\n".join(f"- {line.strip()[1:].strip()}" if line.strip().startswith("•") else line
                                          for line in block.splitlines()))
    return "\n".join(out) + "\n"


def as_html(text: str) -> str:
    """The same page as HTML (h1, h2, p, ul/li, escaped), with a navigation bar and footer as real pages have."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    lines = blocks[0].splitlines()
    body = [f"<h1>{html.escape(lines[0])}</h1>", *(f"<p>{html.escape(line)}</p>" for line in lines[1:])]
    for block in blocks[1:]:
        if _is_heading(block):
            body.append(f"<h2>{html.escape(block.strip())}</h2>")
            continue
        items = [line.strip()[1:].strip() for line in block.splitlines() if line.strip().startswith("•")]
        rest = [line for line in block.splitlines() if not line.strip().startswith("•")]
        if rest:
            body.append(f"<p>{html.escape(' '.join(rest))}</p>")
        if items:
            body.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + html.escape(lines[0]) + "</title></head>"
            "<body><nav><a href='/'>Home</a> <a href='/find'>Find a therapist</a></nav><main>" + "\n".join(body)
            + "</main><footer>© Example directory</footer></body></html>\n")


RENDER = {"txt": lambda text: text, "md": as_markdown, "html": as_html}


def write_corpus(folder: Path, count: int, seed: int = 0, fmt: str = "txt") -> list[Path]:
    """Write ``count`` synthetic pages to ``folder`` as ``fmt`` (txt, md or html; the same pages in each,
    deterministic for a seed), one at a time."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        path = folder / f"page-{number:05d}.{fmt}"
        path.write_text(RENDER[fmt](synthetic_page(rng)), encoding="utf-8")
        paths.append(path)
    return paths


def read_and_split(paths: list[Path]) -> Iterator[int]:
    """The floor: read, decode and cut each page into blocks and sentences (no extraction)."""
    for path in paths:
        text, _ = decode_page(path.read_bytes(), str(path))
        count = 0
        for block in split_blocks(text):
            count += len(split_sentences(text, block.start, block.end))
        yield count


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Generate the corpus, time the floor and the extraction per format, and print both with memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--formats", default="txt,md,html", help="page formats, the same pages in each")
    parser.add_argument("--folder", type=Path, default=None, help="reuse or keep the corpus here")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in args.formats.split(","):
            folder = (args.folder or Path(scratch)) / fmt
            folder.mkdir(parents=True, exist_ok=True)
            paths = sorted(folder.glob(f"page-*.{fmt}"))[: args.pages]
            if len(paths) < args.pages:
                paths = write_corpus(folder, args.pages, fmt=fmt)
            bench_format(fmt, paths)


def bench_format(fmt: str, paths: list[Path]) -> None:
    """The floor and the extraction over one format's pages, printed with CPU and wall rates."""
    size = sum(p.stat().st_size for p in paths) / len(paths)
    print(f"\n{fmt}: {len(paths)} synthetic pages, mean {size / 1024:.1f} KB (seed page: 7.5 KB)")

    wall, cpu = time.perf_counter(), time.process_time()
    sentences = sum(read_and_split(paths))
    floor_wall, floor = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"floor (read + decode + split the raw file into blocks and sentences): {len(paths) / floor:8.0f} pages/s "
        f"CPU, {len(paths) / floor_wall:6.0f} pages/s wall ({sentences} sentences)"
    )

    facts = 0
    rss_at_1k = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for number, path in enumerate(paths, start=1):
        facts += len(load_page(path).extraction.facts)
        if number == 1000:
            rss_at_1k = peak_rss_mb()
    elapsed_wall, elapsed = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"extraction (read + decode + detect + extract, one core): {len(paths) / elapsed:8.0f} pages/s CPU, "
        f"{len(paths) / elapsed_wall:6.0f} pages/s wall ({facts / len(paths):.1f} facts per page; "
        f"target >= 500 pages/s)"
    )
    print(
        f"extraction costs {elapsed / floor:.1f}x the floor (CPU time; wall time depends on other load: "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"peak RSS: {rss_at_1k:.1f} MB after 1,000 pages, {peak_rss_mb():.1f} MB after {len(paths):,} pages")


if __name__ == "__main__":
    main()

"""`prdesk demo-data`: fills a database with realistic fictional cases to try things out."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from prdesk.commands.cases import _positive
from prdesk.commands.context import CommandError, open_for_command


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo-data",
        parents=[common],
        help=(
            "add fictional cases with people, timelines and letters to an empty database "
            "or the practice one; its letters are then marked as practice"
        ),
    )
    demo.add_argument("--cases", type=_positive, required=True, help="how many cases to add")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from prdesk.domain.demo import generate_demo_data
    from prdesk.domain.demo.practice import claim_for_demo_data, mark_practice

    context = open_for_command(args, create_if_empty=True)
    with context.db.transaction() as session:
        if context.choice.practice:
            mark_practice(session)
        existing = claim_for_demo_data(session)
    if existing:
        # Made-up patients must never mix with real ones, nor their letters pass for real.
        raise CommandError(
            f"{context.db.display_name} already holds {existing:,} "
            f"case{'s' if existing != 1 else ''}; demo data goes only into an empty "
            "database or the practice one (prdesk --practice demo-data)."
        )
    started = time.perf_counter()
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\r{done:,} of {total:,} cases", end="", file=sys.stderr, flush=True)

    summary = generate_demo_data(context.db, args.cases, seed=args.seed, progress=progress)
    if interactive:
        print(file=sys.stderr)
    seconds = time.perf_counter() - started
    print(
        f"Added {summary.cases:,} cases, {summary.people:,} people, "
        f"{summary.timeline_entries:,} timeline entries and {summary.letters:,} letters "
        f"to {context.db.display_name} in {seconds:.1f} s. Its letters are marked "
        "as practice, not real."
    )
    return 0

"""`prdesk demo-data`: fills a database with realistic fictional cases to try things out."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from prdesk.commands.cases import _positive
from prdesk.commands.context import CommandError, open_for_command
from prdesk.domain.queries import count_cases


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo-data",
        parents=[common],
        help="add fictional cases with people, timelines and letters (embedded or empty databases only)",
    )
    demo.add_argument("--cases", type=_positive, required=True, help="how many cases to add")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from prdesk.domain.demo import generate_demo_data

    context = open_for_command(args, create_if_empty=True)
    if not context.choice.embedded:
        with context.db.transaction(read_only=True) as session:
            existing = count_cases(session)
        if existing:
            # Fictional patients must never mix with real ones on a shared database.
            raise CommandError(
                f"{context.db.display_name} already holds {existing:,} "
                f"case{'s' if existing != 1 else ''}; demo data goes "
                "only into the embedded database or an empty one."
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
        f"to {context.db.display_name} in {seconds:.1f} s."
    )
    return 0

"""Times `prdesk demo-data`: how fast realistic fictional cases go into a fresh database.

    python benchmarks/demo_data.py --cases 100000
    python benchmarks/demo_data.py --cases 10000 --database postgresql+psycopg://postgres@127.0.0.1/demo_x

Without --database it writes to a new SQLite file in a temporary folder, removed afterwards
unless --keep is given. A PostgreSQL database must exist and be empty (or hold the current
schema); the script creates the schema when it is empty.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from prdesk.domain import models
from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.schema import ensure_ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="how many cases to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="a database URL; default: a new temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="prdesk-bench-") as folder:
        path = Path(folder, "demo.db")
        url = args.database or f"sqlite:///{path}"
        db = Database(url)
        try:
            ensure_ready(db)
            print(f"Generating {args.cases:,} cases into {db.display_name} ...", flush=True)
            started = time.perf_counter()
            summary = generate_demo_data(db, args.cases, seed=args.seed, progress=_progress)
            seconds = time.perf_counter() - started
            with db.transaction(read_only=True) as session:
                total = session.scalar(select(func.count(models.Case.id)))
        finally:
            db.dispose()
        print()
        print(f"cases            {summary.cases:>12,}  ({total:,} in the database)")
        print(f"people           {summary.people:>12,}")
        print(f"timeline entries {summary.timeline_entries:>12,}")
        print(f"letters          {summary.letters:>12,}")
        print(f"total time       {seconds:>12.1f} s")
        print(f"rate             {summary.cases / seconds:>12,.0f} cases/s")
        if not args.database:
            print(f"file size        {path.stat().st_size / 2**20:>12.1f} MiB")
            if args.keep:
                kept = Path(tempfile.gettempdir(), f"prdesk-demo-{args.cases}.db")
                path.replace(kept)
                print(f"kept as          {kept}")
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r  {done:,} / {total:,}", end="", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

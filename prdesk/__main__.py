"""Allows `python -m prdesk`."""

from prdesk.cli import main

raise SystemExit(main())

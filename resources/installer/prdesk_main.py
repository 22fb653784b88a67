"""Starts PR Desk from the application folder: the window, or the command given."""

import sys

# The program folder is read-only for users; when an administrator runs a command
# from it, compiled copies of the migrations must not be left behind either.
sys.dont_write_bytecode = True

from prdesk.cli import main  # noqa: E402  (after the setting above)

raise SystemExit(main())

"""PR Desk: case management and correspondence for hospital patient relations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("prdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

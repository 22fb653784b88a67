"""Running what two workstations do at the same moment, for tests of concurrent saves."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(*calls: Callable[[], object], timeout: float = 60) -> list[BaseException]:
    """Runs each call on its own thread, all released together; returns what they raised.

    Errors come back to the test's thread so that an assertion there reports them.
    """
    start = threading.Barrier(len(calls))
    raised: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
        except BaseException as exc:
            raised.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return raised

"""The rows of a long list kept in fixed-size blocks, only those near where the user is looking."""

from __future__ import annotations

from typing import Generic, TypeVar

Row = TypeVar("Row")


class BlockCache(Generic[Row]):
    """Blocks of `block_size` consecutive rows, at most `max_blocks` of them.

    A block can be stale: still shown, but to be fetched again (after a refresh).
    When full, the blocks read least recently are dropped, so memory stays bounded
    however far the user scrolls, and the blocks on screen (read at every paint) stay.
    """

    def __init__(self, block_size: int, max_blocks: int) -> None:
        if block_size < 1 or max_blocks < 1:
            raise ValueError("block_size and max_blocks must be positive")
        self.block_size = block_size
        self.max_blocks = max_blocks
        # In order of use, the least recently read first.
        self._blocks: dict[int, list[Row]] = {}
        self._stale: set[int] = set()
        self._last_read: int | None = None

    def block_of(self, row: int) -> int:
        return row // self.block_size

    def get(self, row: int) -> Row | None:
        number = row // self.block_size
        block = self._blocks.get(number)
        if block is None:
            return None
        if number != self._last_read:
            # Moved to the end: most recently used. Skipped for the many reads of one block.
            del self._blocks[number]
            self._blocks[number] = block
            self._last_read = number
        offset = row % self.block_size
        return block[offset] if offset < len(block) else None

    def has_fresh(self, block: int) -> bool:
        return block in self._blocks and block not in self._stale

    def put(self, block: int, rows: list[Row]) -> None:
        self._blocks.pop(block, None)
        self._blocks[block] = rows
        self._last_read = block
        self._stale.discard(block)
        while len(self._blocks) > self.max_blocks:
            oldest = next(iter(self._blocks))
            del self._blocks[oldest]
            self._stale.discard(oldest)

    def recent(self, count: int) -> list[int]:
        """The `count` blocks read most recently (those on screen), the latest last."""
        return list(self._blocks)[-count:]

    def mark_stale(self) -> None:
        """Every block is shown until its fresh rows arrive."""
        self._stale = set(self._blocks)

    def truncate(self, rows: int) -> None:
        """Forgets what lies at or past row `rows` (the list got shorter)."""
        last = rows // self.block_size
        for block in [b for b in self._blocks if b >= last]:
            if block > last or rows % self.block_size == 0:
                del self._blocks[block]
                self._stale.discard(block)
            else:
                self._blocks[block] = self._blocks[block][: rows % self.block_size]

    def clear(self) -> None:
        self._blocks.clear()
        self._stale.clear()
        self._last_read = None

    def loaded(self) -> list[tuple[int, Row]]:
        """(row number, row) of every row held, in list order."""
        return [
            (block * self.block_size + offset, row)
            for block in sorted(self._blocks)
            for offset, row in enumerate(self._blocks[block])
        ]

    def __len__(self) -> int:
        """The number of blocks held."""
        return len(self._blocks)

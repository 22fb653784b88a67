"""The block cache behind the case list: bounded, keeping the blocks on screen, refreshable."""

from __future__ import annotations

import pytest

from prdesk.ui.row_cache import BlockCache


def _cache_with(blocks: range, size: int = 10, most: int = 3) -> BlockCache[int]:
    cache: BlockCache[int] = BlockCache(size, most)
    for block in blocks:
        cache.put(block, list(range(block * size, block * size + size)))
    return cache


def test_rows_are_found_by_their_number() -> None:
    cache = _cache_with(range(2))
    assert cache.get(0) == 0 and cache.get(19) == 19
    assert cache.get(20) is None  # not fetched yet


def test_scrolling_far_keeps_memory_bounded_and_the_blocks_read_last() -> None:
    cache = _cache_with(range(3))
    cache.get(5)  # block 0 is on screen again
    cache.put(3, list(range(30, 40)))
    assert len(cache) == 3
    assert cache.get(5) == 5 and cache.get(35) == 35
    assert cache.get(15) is None  # block 1, read least recently, went
    for block in range(4, 100):
        cache.put(block, [block] * 10)
    assert len(cache) == 3


def test_a_refresh_keeps_showing_stale_rows_until_fresh_ones_come() -> None:
    cache = _cache_with(range(2))
    cache.get(3)
    cache.mark_stale()
    assert not cache.has_fresh(0) and cache.get(3) == 3
    assert cache.recent(1) == [0]
    cache.put(0, [100 + n for n in range(10)])
    assert cache.has_fresh(0) and not cache.has_fresh(1)
    assert cache.get(3) == 103


def test_a_shorter_list_forgets_what_lies_past_its_end() -> None:
    cache = _cache_with(range(3))
    cache.truncate(15)
    assert cache.get(14) == 14 and cache.get(15) is None and cache.get(25) is None
    assert [number for number, _row in cache.loaded()] == list(range(15))


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError):
        BlockCache(0, 3)

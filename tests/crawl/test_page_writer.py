"""PageWriter gathers pages that finish one after another into one transaction."""

from __future__ import annotations

import asyncio
from typing import Any

from newsarchive.services.worker import PageWriter


class _Recording(PageWriter):
    """Records the batches instead of writing them (the gathering is what is tested)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(db=None, **kwargs)  # type: ignore[arg-type]
        self.batches: list[list[Any]] = []

    def _write_batch(self, pages: list[Any]) -> list[Any]:
        self.batches.append(list(pages))
        return [f"stored {p}" for p in pages]


async def _staggered(writer: PageWriter, pages: list[str]) -> list[Any]:
    async def one(i: int, page: str) -> Any:
        await asyncio.sleep(0.01 * i)  # they finish one after another
        return await writer.write(page)  # type: ignore[arg-type]

    return await asyncio.gather(*(one(i, p) for i, p in enumerate(pages)))


def test_pages_finishing_one_after_another_share_a_transaction() -> None:
    # a long linger: the third page fills the batch and ends the wait
    writer = _Recording(batch=3, linger=60.0)
    done = asyncio.run(_staggered(writer, ["a", "b", "c"]))
    assert writer.batches == [["a", "b", "c"]]
    assert done == ["stored a", "stored b", "stored c"]


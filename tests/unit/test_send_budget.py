"""The bot's one send budget: replies to people go first, the outbox takes what they leave."""

from __future__ import annotations

import asyncio

from bot.rate_limits import SendBudget


class Clock:
    """Time that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_each_freed_token_goes_to_the_waiting_reply_before_ten_waiting_outbox_sends():
    clock = Clock()
    budget = SendBudget(rate=1000.0, burst=1, clock=clock)
    await budget.take()  # the one token there was
    granted: list[str] = []

    async def take(who: str, background: bool) -> None:
        await budget.take(background=background)
        granted.append(who)

    outbox = [asyncio.create_task(take("outbox", True)) for _ in range(10)]
    for round_ in range(5):
        reply = asyncio.create_task(take("reply", False))
        await asyncio.sleep(0.01)  # everyone is waiting
        clock.now += 1 / 1000  # one token
        await asyncio.sleep(0.02)
        assert granted == ["reply"] * (round_ + 1), granted
        assert reply.done()
    for _ in range(10):  # with no reply waiting, the outbox takes every token, one at a time (burst 1)
        clock.now += 1 / 1000
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*outbox), timeout=1)
    assert granted == ["reply"] * 5 + ["outbox"] * 10


async def test_the_outbox_alone_uses_the_whole_budget_and_a_quiet_moment_allows_a_short_burst():
    ticks = iter(range(1000))
    now = [0.0]

    def clock() -> float:
        next(ticks)
        return now[0]

    budget = SendBudget(rate=30.0, burst=5, clock=clock)
    for _ in range(5):  # a quiet moment: five go at once
        await asyncio.wait_for(budget.take(background=True), timeout=1)
    waiting = asyncio.create_task(budget.take(background=True))
    await asyncio.sleep(0.01)
    assert not waiting.done()  # the sixth waits for time to pass
    now[0] += 1 / 30
    await asyncio.wait_for(waiting, timeout=1)

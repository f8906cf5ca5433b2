import asyncio

from briefings.priority import Priority


async def _background(priority: Priority, log: list[str]) -> None:
    await priority.background_turn()
    log.append("background")


async def test_background_work_waits_until_every_command_has_finished():
    priority = Priority(max_wait=5)
    log: list[str] = []
    async with priority.command():
        async with priority.command():
            waiting = asyncio.create_task(_background(priority, log))
            await asyncio.sleep(0.05)
            log.append("first command done")
        await asyncio.sleep(0.05)
        log.append("second command done")
    await waiting
    assert log == ["first command done", "second command done", "background"]


async def test_background_work_goes_at_once_when_no_command_runs():
    priority = Priority(max_wait=5)
    log: list[str] = []
    await asyncio.wait_for(_background(priority, log), 0.5)
    assert log == ["background"]


async def test_a_command_that_never_ends_delays_background_work_only_for_the_longest_wait():
    priority = Priority(max_wait=0.1)
    log: list[str] = []
    async with priority.command():
        await asyncio.wait_for(_background(priority, log), 2)
        assert log == ["background"]


async def test_a_command_that_fails_still_lets_background_work_go():
    priority = Priority(max_wait=5)
    log: list[str] = []
    try:
        async with priority.command():
            raise ValueError("the command failed")
    except ValueError:
        pass
    await asyncio.wait_for(_background(priority, log), 0.5)
    assert log == ["background"]

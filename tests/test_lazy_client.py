"""The connection's client is built on first use (after the first frame), and then behaves as
the client itself: reads, writes and requests reach it."""

from __future__ import annotations

import asyncio

from orgtui.connect import open_connection


def test_the_demo_client_is_built_on_first_use_and_answers() -> None:
    connection = open_connection(demo=True)
    client = connection.client
    assert client.built is False and client.budget is None  # the header can ask already
    spy: list[str] = []

    async def run() -> list[str]:
        original = client.iter_projects

        def counting(**kwargs: object) -> object:
            spy.append("iter_projects")
            return original(**kwargs)

        client.iter_projects = counting  # a test's monkeypatch lands on the client itself
        names = [p.name async for p in client.iter_projects(include_archived=True)]
        await connection.aclose()
        return names

    names = asyncio.run(run())
    assert client.built is True and spy == ["iter_projects"]
    assert "Default project" in names


def test_closing_a_client_never_built_builds_nothing() -> None:
    connection = open_connection(demo=True)
    asyncio.run(connection.aclose())
    assert connection.client.built is False

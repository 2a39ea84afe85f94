"""``detente.learn`` imports its classifiers lazily (PEP 562)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import detente.learn


def test_importing_the_encoder_does_not_import_sklearn():
    code = (
        "import sys; import detente.learn.embed;"
        "print('sklearn' in sys.modules, 'detente.learn.dyad' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


def test_public_names_resolve_on_first_use():
    from detente.learn.dyad import DyadClassifier, train_dyad_classifier
    from detente.learn.features import DyadInput
    from detente.learn.penta import PentaClassifier, train_penta_classifier

    expected = {
        "DyadClassifier": DyadClassifier,
        "DyadInput": DyadInput,
        "PentaClassifier": PentaClassifier,
        "train_dyad_classifier": train_dyad_classifier,
        "train_penta_classifier": train_penta_classifier,
    }
    assert sorted(detente.learn.__all__) == sorted(expected)
    for name, value in expected.items():
        assert getattr(detente.learn, name) is value
        assert name in dir(detente.learn)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        detente.learn.no_such_name  # noqa: B018
    with pytest.raises(ImportError):
        from detente.learn import no_such_name  # noqa: F401

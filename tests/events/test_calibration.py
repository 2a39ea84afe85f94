import random

from detente.events.calibration import Calibration, fit_calibration


def test_fit_recovers_a_known_logistic_curve():
    rng = random.Random(0)
    truth = Calibration(-4.0, 6.0, identity=False)
    pairs = []
    for _ in range(4000):
        x = rng.random()
        pairs.append((x, rng.random() < truth(x)))
    fitted = fit_calibration(pairs)
    assert abs(fitted.intercept - truth.intercept) < 0.5
    assert abs(fitted.slope - truth.slope) < 0.8


def test_calibrated_scores_are_monotone_probabilities():
    curve = Calibration(-4.0, 6.0, identity=False)
    values = [curve(x / 10) for x in range(11)]
    assert values == sorted(values)
    assert 0 < values[0] < values[-1] < 1


def test_identity_when_no_calibration_file(tmp_path):
    assert Calibration.load(tmp_path / "missing.json")(0.42) == 0.42

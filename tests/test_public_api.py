import detente


def test_every_public_name_is_exported_and_sorted():
    assert sorted(detente.__all__, key=str.lower) == sorted(set(detente.__all__), key=str.lower)
    for name in detente.__all__:
        assert getattr(detente, name) is not None, name


def test_errors_share_one_hierarchy():
    for name in ("ConfigError", "InputError", "ModelError", "PipelineError", "StoreError"):
        assert issubclass(getattr(detente, name), detente.DetenteError)


def test_version_is_the_package_version():
    from importlib.metadata import version

    assert version("detente") == detente.__version__

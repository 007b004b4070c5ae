"""The kept results read back as they were written (bulletin/pickling.py gives the models a faster
state pair than dataclasses' own, in the same format)."""

from __future__ import annotations

import dataclasses
import pickle

from bulletin import errors, models, plan_models
from bulletin.validate import load_edition

from .conftest import CONTENT


def test_a_validated_edition_reads_back_equal_to_itself():
    edition = load_edition(CONTENT)
    again = pickle.loads(pickle.dumps(edition, pickle.HIGHEST_PROTOCOL))
    assert again == edition
    assert again.register.projets and again.register.projets[0].jalons == edition.register.projets[0].jalons


def test_the_state_is_the_values_in_field_order_as_dataclasses_writes_it():
    patched = [
        cls
        for module in (errors, models, plan_models)
        for cls in vars(module).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__
    ]
    assert len(patched) > 20
    project = load_edition(CONTENT).register.projets[0]
    for value in (project, project.jalons, project.montant):
        assert value.__getstate__() == [getattr(value, f.name) for f in dataclasses.fields(value)]
    money = models.Money.__new__(models.Money)
    money.__setstate__(project.montant.__getstate__())
    assert money == project.montant


def test_the_models_use_the_quicker_pair_and_a_cache_of_other_fields_starts_afresh(tmp_path):
    """A state of another number of fields (a cache written before a model changed) is refused, and the
    memo, which unpickles its file before comparing the code that wrote it, starts afresh instead of
    stopping every build (a second reading's find)."""
    import pytest

    from bulletin.memo import Memo

    assert "_pair" in models.Money.__setstate__.__qualname__ and "_pair" in errors.SourceRef.__getstate__.__qualname__
    with pytest.raises(ValueError):
        models.Money.__new__(models.Money).__setstate__([1])
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps({"code": "autre", "values": {"k": _Stale()}}, pickle.HIGHEST_PROTOCOL))
    assert Memo(path).has("k") is False


class _Stale:
    """Unpickles as a Money with the state of one field only."""

    def __reduce__(self):
        return (_stale_money, ())


def _stale_money():
    money = models.Money.__new__(models.Money)
    money.__setstate__([1])  # raises ValueError while the memo's file is read
    return money

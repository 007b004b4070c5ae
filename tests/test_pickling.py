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

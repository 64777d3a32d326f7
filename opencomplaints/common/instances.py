"""Building unsaved model instances quickly, for code that makes hundreds of thousands of them (the records import
and the deadline plans it asks for).

``Model.__init__`` walks every field, sends the ``pre_init`` and ``post_init`` signals and resolves each keyword
through the field API: about a fifth of a 100,000-row import (docs/performance.md). :func:`instance_build` gives
the same instance, the model's defaults with ``values`` set as attributes (a foreign key by its name through its
descriptor, as ``__init__`` does), from a template of the defaults worked out once per model. It sends no
signals, so use it only for models that no ``pre_init``/``post_init`` receiver (and no field such as an
``ImageField`` or a generic foreign key, which rely on them) looks at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.base import ModelState

__all__ = ["instance_build"]


class _Template:
    __slots__ = ("computed", "constant")

    def __init__(self, model: type[models.Model]) -> None:
        self.constant: dict[str, Any] = {}
        # Callable defaults (``default=list``, ``default=timezone.now``) are called for each instance, as Django does.
        self.computed: list[tuple[str, Callable[[], Any]]] = []
        for field in model._meta.concrete_fields:
            if field.has_default() and callable(field.default):
                self.computed.append((field.attname, field.get_default))
            else:
                self.constant[field.attname] = field.get_default()


_TEMPLATES: dict[type[models.Model], _Template] = {}


def instance_build[M: models.Model](model: type[M], **values: Any) -> M:
    """An unsaved ``model(**values)``, built without ``Model.__init__`` (see the module docstring)."""
    template = _TEMPLATES.get(model)
    if template is None:
        template = _TEMPLATES[model] = _Template(model)
    instance = model.__new__(model)
    instance._state = ModelState()
    attributes = instance.__dict__
    attributes.update(template.constant)
    for attname, default in template.computed:
        attributes[attname] = default()
    for name, value in values.items():
        setattr(instance, name, value)
    return instance

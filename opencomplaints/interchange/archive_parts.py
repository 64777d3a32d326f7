"""What a whole-history archive holds (docs/archive.md, docs/adr/0018-whole-history-archive.md): every model of
the project that belongs to a council, found from the models themselves, so a model added later is archived
without anyone remembering to list it.

A model belongs to a council when a chain of foreign keys leads from it to ``councils.Council`` (a stage through
its case, a finding through its point). Users and the installation's bank holiday changes have no council: they
go in as the archive's *global* parts, matched by a natural key on import. ``EXCLUDED`` names every model left
out on purpose, with the reason the documentation gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models

__all__ = [
    "EXCLUDED",
    "EXCLUDED_APPS",
    "GLOBAL_KEYS",
    "SECRET_FIELDS",
    "Part",
    "archive_parts",
    "model_label",
    "unarchived_models",
]

# Models of the project deliberately not archived, and why (docs/archive.md lists them).
EXCLUDED: dict[str, str] = {
    "audit.auditevent": "the audit trail belongs to the installation that recorded it; keep a backup of it there",
    "audit.auditeventtext": "part of the audit trail",
    "api.apitoken": "API tokens are secrets: make new ones in the new installation",
    "portal.followtoken": "follow links are secrets: a complainant asks for a new one",
    "interchange.importrun": "the record of file imports run in this installation, with the files uploaded",
    "reporting.reportfile": "downloadable copies of reports, made again from the data on request",
    "jobs.scheduledrun": "when this installation last ran its scheduled jobs",
    "notifications.messagetemplate": "the installation's standard message words (each message keeps its own)",
    "councils.ethnicitycategory": "reference data every installation has from its migrations",
}
# Apps none of whose models are archived: the API's tokens, clients and webhooks belong to the installation, and
# hold secrets; an integration is set up again in the new one.
EXCLUDED_APPS: dict[str, str] = {"api": "the API's tokens, clients and webhooks: secrets of this installation"}
# Models without a council that an archive still carries, and the field that names a row across installations.
GLOBAL_KEYS: dict[str, str] = {"accounts.user": "username", "calendars.bankholidayoverride": "on_date"}
# Fields never written to an archive: passwords (the importing installation sets none; people reset them), and
# an outbox message's idempotency key, which is made of the old installation's ids (``hold:12``) and so would stop
# the new installation queuing its own message for its hold 12; the import gives each message a key of its own.
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "accounts.user": frozenset({"password"}),
    "notifications.message": frozenset({"idempotency_key"}),
}
COUNCIL = "councils.council"


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@dataclass(frozen=True)
class Part:
    """One model in an archive: ``scope`` is the lookup from it to its council's id (``None`` for a global part),
    ``fields`` the concrete fields written (the primary key and secrets left out), ``m2m`` the many-to-many fields
    without a model of their own, kept as lists on the row."""

    model: type[models.Model]
    label: str
    scope: str | None
    natural_key: str | None
    fields: tuple[models.Field, ...]  # type: ignore[type-arg]
    m2m: tuple[models.ManyToManyField, ...]  # type: ignore[type-arg]
    # Keys written after every row is in: to the model itself, or closing a cycle of models.
    deferred: frozenset[str] = frozenset()

    @property
    def entry(self) -> str:
        return f"data/{self.label}.jsonl"


def _project_models() -> list[type[models.Model]]:
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("opencomplaints.")
        and model_label(model) not in EXCLUDED
        and model._meta.app_label not in EXCLUDED_APPS
    ]
    return sorted(found, key=model_label)


def _forward_keys(model: type[models.Model]) -> list[models.ForeignKey]:  # type: ignore[type-arg]
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is not model
    ]


def _scopes(candidates: list[type[models.Model]]) -> dict[str, str]:
    """The shortest lookup from each model to its council's id, preferring required keys to optional ones."""
    scopes: dict[str, tuple[int, int, str]] = {COUNCIL: (0, 0, "pk")}
    changed = True
    while changed:
        changed = False
        for model in candidates:
            label = model_label(model)
            if label in GLOBAL_KEYS or label == COUNCIL:
                continue
            for field in _forward_keys(model):
                target = model_label(field.related_model)
                if target not in scopes:
                    continue
                optional, depth, lookup = scopes[target]
                path = field.name if lookup == "pk" else f"{field.name}__{lookup}"
                rank = (optional + int(field.null), depth + 1, path)
                if label not in scopes or rank < scopes[label]:
                    scopes[label] = rank
                    changed = True
    return {label: rank[2] for label, rank in scopes.items()}


def _outside(model: type[models.Model], chosen: dict[str, type[models.Model]]) -> bool:
    return model_label(model) not in chosen


def _archivable(candidates: list[type[models.Model]], scopes: dict[str, str]) -> dict[str, type[models.Model]]:
    """The models with a council (or global), less any with a required key to a model the archive leaves out."""
    chosen = {model_label(m): m for m in candidates if model_label(m) in scopes or model_label(m) in GLOBAL_KEYS}
    changed = True
    while changed:
        changed = False
        for label, model in list(chosen.items()):
            if any(not f.null and _outside(f.related_model, chosen) for f in _forward_keys(model)):
                del chosen[label]
                changed = True
    return chosen


def _fields(model: type[models.Model], chosen: dict[str, type[models.Model]]) -> tuple[models.Field, ...]:  # type: ignore[type-arg]
    """Every concrete field but the primary key, secrets, and optional keys to models the archive leaves out."""
    secret = SECRET_FIELDS.get(model_label(model), frozenset())
    return tuple(
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in secret
        and not (isinstance(f, models.ForeignKey) and _outside(f.related_model, chosen))
    )


def _m2m(model: type[models.Model], chosen: dict[str, type[models.Model]]) -> tuple[models.ManyToManyField, ...]:  # type: ignore[type-arg]
    """Many-to-many fields without a model of their own, to archived models or to groups and permissions."""
    return tuple(
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField)
        and f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
        and (f.related_model in (Group, Permission) or not _outside(f.related_model, chosen))
    )


def _in_dependency_order(
    chosen: dict[str, type[models.Model]],
    fields: dict[str, tuple[models.Field, ...]],  # type: ignore[type-arg]
) -> list[tuple[str, frozenset[str]]]:
    """Every model after the models its keys point to, ties broken by label so the order never changes, with the
    keys filled in only once every row is in: a key to its own model, and an optional key that closes a cycle."""
    needs: dict[str, dict[str, set[str]]] = {label: {} for label in chosen}
    deferred: dict[str, set[str]] = {label: set() for label in chosen}
    for label, model in chosen.items():
        for f in fields[label]:
            if isinstance(f, models.ForeignKey):
                if f.related_model is model:
                    deferred[label].add(f.name)
                else:
                    needs[label].setdefault(model_label(f.related_model), set()).add(f.name)
        for m2m in _m2m(model, chosen):
            if m2m.related_model not in (Group, Permission) and m2m.related_model is not model:
                needs[label].setdefault(model_label(m2m.related_model), set()).add("")
    ordered: list[tuple[str, frozenset[str]]] = []
    done: set[str] = set()
    while len(ordered) < len(chosen):
        ready = sorted(label for label in chosen if label not in done and set(needs[label]) <= done)
        if not ready:
            ready = [_break_cycle(chosen, fields, needs, done, deferred)]
        for label in ready:
            done.add(label)
            ordered.append((label, frozenset(deferred[label])))
    return ordered


def _break_cycle(
    chosen: dict[str, type[models.Model]],
    fields: dict[str, tuple[models.Field, ...]],  # type: ignore[type-arg]
    needs: dict[str, dict[str, set[str]]],
    done: set[str],
    deferred: dict[str, set[str]],
) -> str:
    """The first model (by label) whose keys to models not yet written are all optional: they are deferred."""
    by_name = {label: {f.name: f for f in fields[label]} for label in chosen}
    for label in sorted(set(chosen) - done):
        waiting = {name for target, names in needs[label].items() if target not in done for name in names}
        if "" not in waiting and all(by_name[label][name].null for name in waiting):
            deferred[label] |= waiting
            return label
    raise RuntimeError(f"The archive's models need each other in a cycle: {sorted(set(chosen) - done)}")


def archive_parts() -> list[Part]:
    """The models an archive holds, in the order they are written and read."""
    candidates = _project_models()
    scopes = _scopes(candidates)
    chosen = _archivable(candidates, scopes)
    fields = {label: _fields(model, chosen) for label, model in chosen.items()}
    return [
        Part(
            model=chosen[label],
            label=label,
            scope=scopes.get(label),
            natural_key=GLOBAL_KEYS.get(label),
            fields=fields[label],
            m2m=_m2m(chosen[label], chosen),
            deferred=deferred,
        )
        for label, deferred in _in_dependency_order(chosen, fields)
    ]


def unarchived_models() -> list[str]:
    """The project's models an archive leaves out without their being named in ``EXCLUDED``: those with no way to
    a council that are not global parts (shown by the documentation test, so none goes unnoticed)."""
    archived = {part.label for part in archive_parts()}
    return [model_label(m) for m in _project_models() if model_label(m) not in archived]

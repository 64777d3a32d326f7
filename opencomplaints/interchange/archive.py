"""The whole-history archive (docs/archive.md, docs/adr/0018-whole-history-archive.md): everything a council holds
in one zip, to move it to another installation or to leave with it.

The zip holds ``manifest.json`` (the format and its version, the councils, and every other entry with its row
count, size and SHA-256), one JSON Lines entry per model under ``data/`` in dependency order, and the files of
documents and evidence under ``documents/``. Rows are in the order they were created; each carries ``id``, its
number in its entry (a user's username, a council's slug), and every foreign key names the row it points to by
that reference, never by a database id. Entries carry fixed dates, and nothing in the archive says when it was
made, so exporting, importing into an empty installation and exporting again gives the same bytes.

An import checks the manifest and every checksum before it writes anything, then writes every row in one
transaction: all of it, or (with a message saying why) nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import posixpath
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, models, transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive_parts import COUNCIL, Part, archive_parts
from opencomplaints.notifications.services import REDACTED as SECRET_REMOVED

__all__ = [
    "ARCHIVE_CONTENT_TYPE",
    "FORMAT",
    "VERSION",
    "ArchiveError",
    "ArchiveImport",
    "archive_export",
    "archive_import",
    "archive_write",
]

FORMAT = "opencomplaints.archive"
VERSION = 1
MANIFEST = "manifest.json"
ARCHIVE_CONTENT_TYPE = "application/zip"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BATCH = 500

NOT_A_ZIP = "{name} is not a zip file, so it is not an OpenComplaints archive."
NO_MANIFEST = "{name} has no manifest.json, so it is not an OpenComplaints archive (or it is incomplete)."
BAD_MANIFEST = "The manifest.json of {name} cannot be read: {reason}."
NOT_OURS = "{name} is not an OpenComplaints archive (its manifest names the format {format!r})."
NEWER_VERSION = (
    "{name} is an archive of format version {version}, made by a newer version of OpenComplaints; this "
    "installation reads version {ours}. Upgrade it, then import the archive again."
)
MISSING_ENTRY = "{name} is incomplete: the manifest lists {entry}, which is not in the zip."
CHECKSUM_MISMATCH = (
    "{name} has been changed or damaged since it was exported: the checksum of {entry} does not match the "
    "manifest. Nothing was imported; export the archive again."
)
UNLISTED_ENTRY = "{name} holds {entry}, which the manifest does not list, so it has been changed since it was exported."
UNKNOWN_PART = (
    "{name} holds {entry}, which this version of OpenComplaints does not know (it may have been made by a newer "
    "version)."
)
UNKNOWN_FIELD = (
    "{entry} has the field {field}, which this version of OpenComplaints does not know (the archive may have "
    "been made by a newer version)."
)
BAD_ROW = "{entry}, line {line}: {reason}."
COUNCIL_EXISTS = (
    "This installation already holds {council}. An archive is imported only into an installation without its "
    "councils: nothing was imported."
)
DATABASE_REFUSED = "The archive's data could not be written ({reason}); nothing was imported."
NO_COUNCILS = "There is nothing to export: choose at least one council."


class ArchiveError(DomainError):
    """An archive that cannot be imported; the message says why, and nothing was written."""


@dataclass
class ArchiveImport:
    """What an import wrote: the councils, the rows of each part, the documents, the users already there."""

    councils: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    users_reused: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# -- writing ---------------------------------------------------------------------------------------------------


def _json_line(values: dict[str, Any]) -> bytes:
    return (json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _scrubbed(part: Part, values: dict[str, Any]) -> dict[str, Any]:
    """A message without the values that grant access (a follow link), as the outbox blanks them once it is sent:
    a queued message's link is of no use elsewhere (follow tokens stay behind) and must not leave in a file."""
    if part.label != "notifications.message" or not values.get("secret_keys"):
        return values
    personalisation = dict(values.get("personalisation") or {})
    for key in values["secret_keys"]:
        secret = personalisation.get(key)
        if secret and secret != SECRET_REMOVED:
            personalisation[key] = SECRET_REMOVED
            for name in ("subject", "body"):
                values[name] = str(values.get(name) or "").replace(str(secret), SECRET_REMOVED)
    values["personalisation"] = personalisation
    return values


class _Writer:
    """Reads the councils' rows and writes them as the archive's entries."""

    def __init__(self, councils: Sequence[Council]) -> None:
        self.council_ids = [council.pk for council in councils]
        self.parts = archive_parts()
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.refs: dict[str, dict[Any, Any]] = {}
        self.m2m: dict[tuple[str, str], dict[int, list[int]]] = {}
        self.documents: list[tuple[str, bytes]] = []

    def _queryset(self, part: Part, users: set[int]) -> models.QuerySet[Any]:
        manager = part.model._base_manager
        if part.scope is not None:
            lookup = "pk__in" if part.scope == "pk" else f"{part.scope}__in"
            return manager.filter(**{lookup: self.council_ids})
        if part.label == "accounts.user":
            return manager.filter(pk__in=users)
        return manager.all()

    def _users_needed(self) -> set[int]:
        """Members of the councils and every user a row names (an investigator from outside, say)."""
        users: set[int] = set()
        for part in self.parts:
            if part.scope is None:
                continue
            for f in part.fields:
                if isinstance(f, models.ForeignKey) and f.related_model is User:
                    users.update(v for row in self.rows[part.label] if (v := row[f.attname]) is not None)
        return users

    def read(self) -> None:
        for part in self.parts:
            if part.scope is not None:
                self._read(part, set())
        users = self._users_needed()
        for part in self.parts:
            if part.scope is None:
                self._read(part, users)

    def _read(self, part: Part, users: set[int]) -> None:
        queryset = self._queryset(part, users).order_by("pk")
        rows = list(queryset.values("pk", *[f.attname for f in part.fields]))
        self.rows[part.label] = rows
        for m2m in part.m2m:
            through = _through(m2m)
            source = m2m.m2m_field_name()
            target = m2m.m2m_reverse_field_name()
            links: dict[int, list[int]] = {}
            pairs = through._base_manager.filter(**{f"{source}__in": [row["pk"] for row in rows]}).values_list(
                f"{source}_id", f"{target}_id"
            )
            for owner, other in pairs.order_by(f"{source}_id", f"{target}_id"):
                links.setdefault(owner, []).append(other)
            self.m2m[(part.label, m2m.name)] = links

    def _number(self) -> None:
        for part in self.parts:
            rows = self.rows[part.label]
            if part.label == COUNCIL:
                self.refs[part.label] = {row["pk"]: row["slug"] for row in rows}
            elif part.natural_key is not None:
                key = _concrete(part, part.natural_key)
                self.refs[part.label] = {row["pk"]: _plain(key, row[key.attname]) for row in rows}
            else:
                self.refs[part.label] = {row["pk"]: number for number, row in enumerate(rows, start=1)}

    def _reference(self, part: Part, f: models.Field, value: Any) -> Any:  # type: ignore[type-arg]
        if value is None:
            return None
        target = f.related_model._meta.label_lower  # type: ignore[union-attr]
        refs = self.refs.get(target)
        if refs is None or value not in refs:
            raise DomainError(
                f"A {part.model._meta.verbose_name} refers to a {f.related_model._meta.verbose_name} "  # type: ignore[union-attr]
                f"of another council, which the archive does not hold. Export the councils together."
            )
        return refs[value]

    def _m2m_value(self, part: Part, f: models.ManyToManyField, values: list[int]) -> list[Any]:  # type: ignore[type-arg]
        target = f.related_model
        if target is Group:
            return sorted(Group.objects.filter(pk__in=values).values_list("name", flat=True))
        if target is Permission:
            found = Permission.objects.filter(pk__in=values).values_list("content_type__app_label", "codename")
            return sorted(f"{app}.{codename}" for app, codename in found)
        return sorted(self._reference(part, f, value) for value in values)

    def _document(self, part: Part, f: models.FileField, ref: Any, name: str) -> str:
        extension = posixpath.splitext(name)[1].lower()[:10]
        entry = f"documents/{part.label}/{f.name}/{ref}{extension}"
        with default_storage.open(name, "rb") as stored:
            self.documents.append((entry, stored.read()))
        return entry

    def _row(self, part: Part, row: dict[str, Any]) -> dict[str, Any]:
        ref = self.refs[part.label][row["pk"]]
        values: dict[str, Any] = {"id": ref}
        for f in part.fields:
            value = row[f.attname]
            if isinstance(f, models.ForeignKey):
                values[f.name] = self._reference(part, f, value)
            elif isinstance(f, models.FileField):
                values[f.name] = self._document(part, f, ref, value) if value else ""
            else:
                values[f.name] = _plain(f, value)
        for m2m in part.m2m:
            values[m2m.name] = self._m2m_value(part, m2m, self.m2m[(part.label, m2m.name)].get(row["pk"], []))
        return _scrubbed(part, values)

    def entries(self) -> list[tuple[str, bytes, int]]:
        self._number()
        out: list[tuple[str, bytes, int]] = []
        for part in self.parts:
            rows = self.rows[part.label]
            out.append((part.entry, b"".join(_json_line(self._row(part, row)) for row in rows), len(rows)))
        out.extend((name, data, 0) for name, data in sorted(self.documents))
        return out


def _through(m2m: models.ManyToManyField) -> type[models.Model]:  # type: ignore[type-arg]
    return cast("type[models.Model]", m2m.remote_field.through)


def _concrete(part: Part, name: str) -> models.Field:  # type: ignore[type-arg]
    return cast("models.Field", part.model._meta.get_field(name))  # type: ignore[type-arg]


def _plain(f: models.Field, value: Any) -> Any:  # type: ignore[type-arg]
    """A database value as JSON: dates ISO 8601 (times in UTC), decimals as text with their places, bytes base64."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(f, "decimal_places", None)
        return f"{value:.{places}f}" if places is not None else str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def archive_write(*, councils: Sequence[Council]) -> tuple[bytes, dict[str, int]]:
    """The archive of ``councils`` and the rows of each part. Writes nothing to the database."""
    if not councils:
        raise DomainError(NO_COUNCILS, field="council")
    writer = _Writer(sorted(councils, key=lambda council: council.slug))
    writer.read()
    entries = writer.entries()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "councils": sorted(council.slug for council in councils),
        "entries": [
            {
                "path": name,
                "sha256": _sha256(data),
                "size": len(data),
                **({"rows": rows} if name.startswith("data/") else {}),
            }
            for name, data, rows in entries
        ],
        "fields": {part.entry: sorted(_field_names(part)) for part in writer.parts},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry(MANIFEST), json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        for name, data, _rows in entries:
            archive.writestr(_entry(name), data)
    counts = {part.label: len(writer.rows[part.label]) for part in writer.parts}
    counts["documents"] = len(writer.documents)
    return buffer.getvalue(), counts


def _field_names(part: Part) -> list[str]:
    return ["id", *(f.name for f in part.fields), *(f.name for f in part.m2m)]


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction, on PostgreSQL at REPEATABLE READ, so every entry is read from the same moment."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def archive_export(*, councils: Sequence[Council], acting_user: User | None) -> tuple[bytes, dict[str, int]]:
    """The archive of ``councils``, and its rows per part. Records an audit event: it is a copy of everything."""
    with _snapshot():
        data, counts = archive_write(councils=councils)
        ordered = sorted(councils, key=lambda council: council.slug)
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.ARCHIVE_EXPORTED,
            subject=ordered[0],
            summary=f"Whole-history archive exported of {', '.join(c.name for c in ordered)}",
            after={"councils": [c.slug for c in ordered], "rows": sum(counts.values()), "sha256": _sha256(data)},
        )
    return data, counts


# -- reading ---------------------------------------------------------------------------------------------------


def _open(data: bytes, name: str) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveError(NOT_A_ZIP.format(name=name)) from error
    if MANIFEST not in names:
        raise ArchiveError(NO_MANIFEST.format(name=name))
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(BAD_MANIFEST.format(name=name, reason="it is not JSON")) from error
    if not isinstance(manifest, dict):
        raise ArchiveError(BAD_MANIFEST.format(name=name, reason="it is not a JSON object"))
    if manifest.get("format") != FORMAT:
        raise ArchiveError(NOT_OURS.format(name=name, format=manifest.get("format")))
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveError(BAD_MANIFEST.format(name=name, reason="its version is not a whole number"))
    if version > VERSION:
        raise ArchiveError(NEWER_VERSION.format(name=name, version=version, ours=VERSION))
    return archive, manifest


def _verified(data: bytes, name: str) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every entry of the archive by name, once the manifest's checksums all match."""
    archive, manifest = _open(data, name)
    listed = manifest.get("entries")
    if not isinstance(listed, list) or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("sha256"), str) for e in listed
    ):
        raise ArchiveError(BAD_MANIFEST.format(name=name, reason="its list of entries is damaged"))
    names = set(archive.namelist())
    contents: dict[str, bytes] = {}
    for entry in listed:
        path = entry["path"]
        if path not in names:
            raise ArchiveError(MISSING_ENTRY.format(name=name, entry=path))
        try:
            content = archive.read(path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ArchiveError(CHECKSUM_MISMATCH.format(name=name, entry=path)) from error
        if _sha256(content) != entry["sha256"]:
            raise ArchiveError(CHECKSUM_MISMATCH.format(name=name, entry=path))
        contents[path] = content
    for extra in sorted(names - set(contents) - {MANIFEST}):
        if not extra.endswith("/"):
            raise ArchiveError(UNLISTED_ENTRY.format(name=name, entry=extra))
    return contents, manifest


def _automatic(part: Part) -> list[str]:
    """The fields the database layer sets to now when a row is written (``auto_now``, ``auto_now_add``)."""
    return [f.attname for f in part.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]


def _bulk_create_as_recorded(part: Part, instances: list[models.Model]) -> list[models.Model]:
    """Write ``instances``, then put back the creation and change times the archive has, which writing replaced
    with now. (Switching ``auto_now`` off instead would switch it off for every thread of a running server.)"""
    automatic = _automatic(part)
    recorded = [{name: getattr(instance, name) for name in automatic} for instance in instances]
    created = part.model._base_manager.bulk_create(instances, batch_size=_BATCH)
    if automatic and created:
        for instance, times in zip(created, recorded, strict=True):
            for name, value in times.items():
                setattr(instance, name, value)
        part.model._base_manager.bulk_update(created, automatic, batch_size=_BATCH)
    return created


def _python(f: models.Field, value: Any) -> Any:  # type: ignore[type-arg]
    """An archive value as the model field holds it; ``ValueError`` or ``TypeError`` when it cannot be."""
    if value is None:
        return None
    if isinstance(f, models.DateTimeField):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"{value} has no time zone")
        return moment
    if isinstance(f, models.DateField):
        return date.fromisoformat(value)
    if isinstance(f, models.DecimalField):
        try:
            return Decimal(value)
        except InvalidOperation as error:
            raise ValueError(f"{value!r} is not a number") from error
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value, validate=True)
    if isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BooleanField) and not isinstance(value, bool):
        raise TypeError(f"{value!r} is not true or false")
    if isinstance(f, models.IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{value!r} is not a whole number")
    if isinstance(f, models.CharField | models.TextField) and not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


class _Reader:
    def __init__(self, contents: dict[str, bytes], manifest: dict[str, Any]) -> None:
        self.contents = contents
        self.manifest = manifest
        self.parts = archive_parts()
        self.pks: dict[str, dict[Any, int]] = {}
        self.outcome = ArchiveImport()
        self.stored: list[str] = []
        self.later: list[tuple[Part, list[Any]]] = []
        self.batch = uuid.uuid4().hex[:12]

    def check(self, name: str) -> None:
        known = {part.entry: part for part in self.parts}
        for path in self.contents:
            if path.startswith("data/") and path not in known:
                raise ArchiveError(UNKNOWN_PART.format(name=name, entry=path))
        fields = self.manifest.get("fields", {})
        for entry, names in fields.items() if isinstance(fields, dict) else ():
            part = known.get(entry)
            unknown = sorted(set(names) - set(_field_names(part))) if part and isinstance(names, list) else []
            if unknown:
                raise ArchiveError(UNKNOWN_FIELD.format(entry=entry, field=unknown[0]))
        councils = list(self._rows(known.get(f"data/{COUNCIL}.jsonl")))
        slugs = [values.get("slug") for _line, values in councils]
        names = [values.get("name") for _line, values in councils]
        clash = Council.objects.filter(models.Q(slug__in=slugs) | models.Q(name__in=names)).order_by("name").first()
        if clash is not None:
            raise ArchiveError(COUNCIL_EXISTS.format(council=f"{clash.name} ({clash.slug})"))

    def _rows(self, part: Part | None) -> Iterator[tuple[int, dict[str, Any]]]:
        if part is None:
            return
        data = self.contents.get(part.entry, b"")
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            try:
                values = json.loads(line)
            except ValueError as error:
                raise ArchiveError(BAD_ROW.format(entry=part.entry, line=number, reason="not JSON")) from error
            if not isinstance(values, dict) or "id" not in values:
                raise ArchiveError(BAD_ROW.format(entry=part.entry, line=number, reason="not a row with an id"))
            yield number, values

    def _target(self, f: models.Field, ref: Any) -> int:  # type: ignore[type-arg]
        target = f.related_model._meta.label_lower  # type: ignore[union-attr]
        try:
            return self.pks[target][ref]
        except (KeyError, TypeError) as error:
            raise ValueError(f"{f.name} names {target} {ref!r}, which the archive does not hold") from error

    def _file(self, part: Part, f: models.FileField, entry: str) -> str:
        if not entry:
            return ""
        content = self.contents.get(entry)
        if content is None:
            raise ValueError(f"{f.name} names the document {entry}, which the archive does not hold")
        name = f.generate_filename(None, posixpath.basename(entry))  # type: ignore[arg-type]  # upload_to is a text
        stored = default_storage.save(name, ContentFile(content))
        self.stored.append(stored)
        self.outcome.documents += 1
        return stored

    def _instance(
        self, part: Part, values: dict[str, Any], later: list[tuple[str, Any]]
    ) -> tuple[models.Model, dict[str, list[Any]]]:
        kwargs: dict[str, Any] = {}
        for f in part.fields:
            if f.name not in values:
                continue
            value = values[f.name]
            if isinstance(f, models.ForeignKey):
                if f.name in part.deferred:
                    later.append((f.attname, value))
                    continue
                kwargs[f.attname] = None if value is None else self._target(f, value)
            elif isinstance(f, models.FileField):
                kwargs[f.attname] = self._file(part, f, value)
            else:
                kwargs[f.attname] = _python(f, value)
        links = {m2m.name: values.get(m2m.name) or [] for m2m in part.m2m}
        return part.model(**kwargs), links

    def _existing(self, part: Part, rows: list[tuple[int, dict[str, Any]]]) -> dict[Any, int]:
        """Rows of a global part this installation already has, by natural key (they are used as they are)."""
        key = str(part.natural_key)
        f = _concrete(part, key)
        keys = {_python(f, values.get(key)): values["id"] for _line, values in rows}
        found = part.model._base_manager.filter(**{f"{key}__in": list(keys)})
        return {keys[getattr(row, key)]: row.pk for row in found}

    def load(self, part: Part) -> None:
        rows = list(self._rows(part))
        existing = self._existing(part, rows) if part.natural_key else {}
        self.pks[part.label] = dict(existing)
        if part.label == "accounts.user":
            self.outcome.users_reused = sorted(str(key) for key in existing)
        new: list[tuple[int, Any, models.Model, dict[str, list[Any]], list[tuple[str, Any]]]] = []
        for line, values in rows:
            if values["id"] in existing:
                continue
            later: list[tuple[str, Any]] = []
            try:
                instance, links = self._instance(part, values, later)
            except (ValueError, TypeError, KeyError) as error:
                raise ArchiveError(BAD_ROW.format(entry=part.entry, line=line, reason=error)) from error
            self._fill_in(part, instance, values["id"])
            new.append((line, values["id"], instance, links, later))
        created = _bulk_create_as_recorded(part, [item[2] for item in new])
        for (_line, ref, _instance, _links, _later), saved in zip(new, created, strict=True):
            self.pks[part.label][ref] = saved.pk
        self.later.append((part, new))
        self._links(part, new)
        self.outcome.rows[part.label] = len(new)
        if part.label == COUNCIL:
            self.outcome.councils = sorted(str(ref) for _l, ref, _i, _k, _t in new)

    def _fill_in(self, part: Part, instance: models.Model, ref: Any) -> None:
        """The fields an archive leaves out that a row needs: no password, and a message's own idempotency key."""
        if part.label == "accounts.user":
            instance.set_unusable_password()  # type: ignore[attr-defined]
        elif part.label == "notifications.message":
            instance.idempotency_key = f"archive:{self.batch}:{ref}"  # type: ignore[attr-defined]

    def finish(self) -> None:
        """The keys written once every row is in (to a row's own model, or closing a cycle)."""
        for part, new in self.later:
            self._deferred(part, new)

    def _deferred(self, part: Part, new: list[Any]) -> None:
        changed: list[models.Model] = []
        names: set[str] = set()
        for line, _ref, instance, _links, later in new:
            for attname, value in later:
                if value is None:
                    continue
                f = next(f for f in part.fields if f.attname == attname)
                try:
                    setattr(instance, attname, self._target(f, value))
                except ValueError as error:
                    raise ArchiveError(BAD_ROW.format(entry=part.entry, line=line, reason=error)) from error
                names.add(attname)
                changed.append(instance)
        if changed:
            part.model._base_manager.bulk_update(changed, sorted(names), batch_size=_BATCH)

    def _links(self, part: Part, new: list[Any]) -> None:
        for m2m in part.m2m:
            through = _through(m2m)
            source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
            resolve = self._resolver(m2m)
            rows = []
            for line, _ref, instance, links, _later in new:
                for value in links[m2m.name]:
                    try:
                        rows.append(through(**{source: instance.pk, target: resolve(value)}))
                    except (ValueError, LookupError) as error:
                        raise ArchiveError(BAD_ROW.format(entry=part.entry, line=line, reason=error)) from error
            through._base_manager.bulk_create(rows, batch_size=_BATCH)

    def _resolver(self, m2m: models.ManyToManyField) -> Callable[[Any], int]:  # type: ignore[type-arg]
        if m2m.related_model is Group:
            return lambda name: Group.objects.get_or_create(name=name)[0].pk
        if m2m.related_model is Permission:

            def permission(value: str) -> int:
                app_label, _dot, codename = value.partition(".")
                found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if found is None:
                    raise LookupError(f"this installation has no permission {value}")
                return found.pk

            return permission
        return lambda ref: self._target(m2m, ref)

    def forget_files(self) -> None:
        for name in self.stored:
            default_storage.delete(name)


class _DryRun(Exception):
    """Raised at the end of a dry run, so its transaction is rolled back."""


def archive_import(
    *,
    data: bytes,
    acting_user: User | None,
    file_name: str = "archive.zip",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ArchiveImport:
    """Restore an archive into this installation: every row of every part, all in one transaction, or nothing
    (``ArchiveError`` says why); with ``dry_run`` every check is made and the transaction rolled back. Refused
    where a council of the archive is already here; users already here (by username) are used as they are, and
    imported users have no password until one is set."""
    contents, manifest = _verified(data, file_name)
    reader = _Reader(contents, manifest)
    try:
        with transaction.atomic():
            reader.check(file_name)
            # ``progress(done, total)`` in rows, as the manifest counts them, after each part (the web's job page).
            rows = {
                entry.get("path"): int(entry.get("rows") or 0)
                for entry in manifest.get("entries", [])
                if isinstance(entry, dict) and isinstance(entry.get("rows"), int)
            }
            total, done = sum(rows.values()), 0
            for part in reader.parts:
                reader.load(part)
                done += rows.get(part.entry, 0)
                if progress is not None:
                    progress(min(done, total), total)
            reader.finish()
            outcome = reader.outcome
            first = Council.objects.filter(slug__in=outcome.councils).order_by("slug").first()
            if first is not None:
                audit_event_record(
                    acting_user=acting_user,
                    event_type=AuditEventType.ARCHIVE_IMPORTED,
                    subject=first,
                    summary=f"Whole-history archive imported: {', '.join(outcome.councils)} ({outcome.total} rows)",
                    after={
                        "councils": outcome.councils,
                        "rows": outcome.total,
                        "documents": outcome.documents,
                        "sha256": _sha256(data),
                    },
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        reader.forget_files()
        reader.outcome.dry_run = True
        return reader.outcome
    except ArchiveError:
        reader.forget_files()
        raise
    except DatabaseError as error:
        reader.forget_files()
        raise ArchiveError(DATABASE_REFUSED.format(reason=str(error).splitlines()[0] if str(error) else "")) from error
    return outcome

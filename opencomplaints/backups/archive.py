"""Backup and restore of a whole installation: one archive holding a consistent copy of the database (SQLite's
online backup API, or ``pg_dump`` for PostgreSQL), every document under ``MEDIA_ROOT``, and a manifest with the
SHA-256 of each, optionally encrypted with a passphrase (Fernet from ``cryptography``, with a scrypt-derived key).

A restore goes only into an empty installation (migrated or not, but with no council, user or case), checks every
checksum in the manifest before it changes anything, and then loads the database and the documents.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["BackupError", "Manifest", "backup_write", "installation_empty", "restore_read"]

FORMAT = "opencomplaints-backup/1"
ENCRYPTED_MAGIC = b"OCBACKUP-FERNET1\n"
SALT_BYTES = 16


class BackupError(Exception):
    """Something a person must act on; the message says what."""


@dataclass(frozen=True)
class Manifest:
    created: str
    engine: str
    database_file: str
    files: dict[str, str]

    def as_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "created": self.created,
            "engine": self.engine,
            "database": self.database_file,
            "files": self.files,
        }
        return json.dumps(body, indent=2, sort_keys=True).encode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(passphrase: str, salt: bytes) -> bytes:
    derived = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return base64.urlsafe_b64encode(derived)


def _engine() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_arguments() -> list[str]:
    """The database as a libpq connection URI (password included, so no environment is needed)."""
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    user = quote(config.get("USER") or "", safe="")
    password = quote(config.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return ["--dbname", f"postgresql://{credentials}{host}{port}/{quote(config['NAME'], safe='')}", "--no-owner"]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools (postgresql-client).")
    return found


def _database_copy(target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns its file name in the archive."""
    connection = connections[DEFAULT_DB_ALIAS]
    if _engine() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return "database.sqlite3"
    subprocess.run(  # noqa: S603  # pg_dump found on PATH, arguments from the settings, no shell
        [_tool("pg_dump"), "--format", "custom", "--no-privileges", "--file", str(target), *_pg_arguments()],
        check=True,
        capture_output=True,
    )
    return "database.pgdump"


def backup_write(out: Path, *, passphrase: str | None = None) -> Manifest:
    """Write a backup of this installation to ``out``; returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="opencomplaints-backup-") as work:
        database = Path(work) / "database"
        name = _database_copy(database)
        files = {f"documents/{path.relative_to(media).as_posix()}": _sha256(path) for path in _documents(media)}
        files[name] = _sha256(database)
        manifest = Manifest(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            engine=_engine(),
            database_file=name,
            files=files,
        )
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            body = manifest.as_json()
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(database, arcname=name)
            for path in _documents(media):
                archive.add(path, arcname=f"documents/{path.relative_to(media).as_posix()}")
        data = buffer.getvalue()
    if passphrase:
        salt = os.urandom(SALT_BYTES)
        data = ENCRYPTED_MAGIC + salt + Fernet(_key(passphrase, salt)).encrypt(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.chmod(0o600)
    partial.replace(out)
    return manifest


def _documents(media: Path) -> list[Path]:
    if not media.is_dir():
        return []
    return sorted(path for path in media.rglob("*") if path.is_file())


def installation_empty() -> bool:
    """No council, no user and no case: nothing a restore could overwrite."""
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    for label in ("councils.Council", "accounts.User", "cases.Case"):
        model = apps.get_model(label)
        if model._meta.db_table in tables and model.objects.exists():
            return False
    return True


def _open(path: Path, passphrase: str | None) -> bytes:
    data = path.read_bytes()
    if data.startswith(ENCRYPTED_MAGIC):
        if not passphrase:
            raise BackupError("This backup is encrypted: set OPENCOMPLAINTS_BACKUP_PASSPHRASE to its passphrase.")
        salt = data[len(ENCRYPTED_MAGIC) : len(ENCRYPTED_MAGIC) + SALT_BYTES]
        try:
            return Fernet(_key(passphrase, salt)).decrypt(data[len(ENCRYPTED_MAGIC) + SALT_BYTES :])
        except InvalidToken:
            raise BackupError("The passphrase is wrong, or the backup has been changed.") from None
    return data


def restore_read(path: Path, *, passphrase: str | None = None) -> Manifest:
    """Restore the backup at ``path`` into this (empty) installation; returns its manifest."""
    if not installation_empty():
        raise BackupError(
            "This installation already holds data (councils, users or cases): restore only into an empty one, "
            "with a new database and an empty documents folder."
        )
    media = Path(settings.MEDIA_ROOT)
    if _documents(media):
        raise BackupError(f"The documents folder {media} is not empty: restore only into an empty one.")
    try:
        data = _open(path, passphrase)
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")  # noqa: SIM115  # closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not an OpenComplaints backup ({error}).") from None
    with tempfile.TemporaryDirectory(prefix="opencomplaints-restore-") as work, archive:
        archive.extractall(work, filter="data")
        root = Path(work)
        manifest = _manifest(root)
        for name, expected in manifest.files.items():
            file = root / name
            if not file.is_file() or _sha256(file) != expected:
                raise BackupError(f"{name} does not match the backup's manifest: the backup is damaged.")
        _database_load(root / manifest.database_file, manifest.engine)
        for name in manifest.files:
            if name.startswith("documents/"):
                target = media / name.removeprefix("documents/")
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                shutil.copyfile(root / name, target)
                target.chmod(0o600)
    return manifest


def _manifest(root: Path) -> Manifest:
    try:
        body: dict[str, Any] = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(
            "The backup has no readable manifest: it is damaged or not an OpenComplaints backup."
        ) from None
    if body.get("format") != FORMAT:
        raise BackupError(f"The backup's format {body.get('format')!r} is not one this version reads ({FORMAT}).")
    return Manifest(
        created=body["created"], engine=body["engine"], database_file=body["database"], files=dict(body["files"])
    )


def _database_load(file: Path, engine: str) -> None:
    if engine != _engine():
        raise BackupError(f"The backup is of a {engine} database; this installation uses {_engine()}.")
    connection = connections[DEFAULT_DB_ALIAS]
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(file) as source:
            source.backup(connection.connection)
        source.close()
        return
    connection.close()
    result = subprocess.run(  # noqa: S603  # pg_restore found on PATH, arguments from the settings, no shell
        [_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", *_pg_arguments(), str(file)],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore could not load the database: {result.stderr.strip()[-500:]}")

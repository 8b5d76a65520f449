"""A file that passed the import's dry run, kept until the curator imports it.

After a clean dry run the admin's import page offers "Import the checked file": the file is
kept server-side in the private storage (never served as media), named by a random token that
only the curator's session knows, so the confirming step needs no second upload. Reading it
(peek) deletes nothing: the import page discards it only once it has been imported, so an
import that fails (the data changed since the dry run, the database went away) loses nothing
and can be confirmed again. A file not imported is deleted with the next one kept in the same
session, or by the next keep() in any session once it is older than MAX_AGE.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

logger = logging.getLogger(__name__)

FOLDER = "private/indicator-imports"
SESSION_KEY = "indicator_import_pending"
MAX_AGE = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class PendingImport:
    data: bytes
    name: str
    file_format: str


def _storage():
    return storages["private"]


def keep(request, data: bytes, *, name: str, file_format: str) -> str:
    """Store the checked file; returns the token the confirming form sends back."""
    storage = _storage()
    _forget(request)
    _delete_stale(storage)
    token = secrets.token_urlsafe(24)
    stored = storage.save(f"{FOLDER}/{token}.data", ContentFile(data))
    request.session[SESSION_KEY] = {
        "token": token,
        "stored": stored,
        "name": name,
        "format": file_format,
    }
    return token


def peek(request, token: str) -> PendingImport | None:
    """The file kept under this session's token, left in the store; None if there is none
    (another token, already imported, or cleared)."""
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(str(token), pending["token"]):
        return None
    try:
        with _storage().open(pending["stored"], "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        _forget(request)
        return None
    return PendingImport(data=data, name=pending["name"], file_format=pending["format"])


def discard(request) -> None:
    """Delete this session's kept file: it has been imported."""
    _forget(request)


def _forget(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _storage().delete(pending["stored"])


def _delete_stale(storage) -> None:
    cutoff = timezone.now() - MAX_AGE
    try:
        _dirs, files = storage.listdir(FOLDER)
        for name in files:
            path = f"{FOLDER}/{name}"
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        logger.debug("No stale pending imports to delete", exc_info=True)

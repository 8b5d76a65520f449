import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sodertorn.backup import BackupError, Database, backup


def media_root_or_none():
    """MEDIA_ROOT when media are on this server's disk; None with object storage (S3)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend.endswith("FileSystemStorage"):
        return Path(settings.MEDIA_ROOT)
    return None


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's backup API) and the media (a tar of "
        "MEDIA_ROOT) into a new folder, with a manifest of row counts and file hashes."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            help="Where to write the backup (new or empty); default var/backups/<date-time>.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument("--no-media", action="store_true", help="Leave the media out.")

    def handle(self, *args, folder=None, database="default", no_media=False, **options):
        if folder is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            folder = Path(settings.BASE_DIR) / "var" / "backups" / stamp
        folder = Path(folder)
        connection = connections[database]
        target = Database.from_settings(connection.settings_dict)
        sqlite_source = None
        if target.engine == "sqlite":
            connection.ensure_connection()
            sqlite_source = connection.connection
        media_root = None if no_media else media_root_or_none()
        if media_root is None and not no_media:
            self.stderr.write(
                "Media are in object storage: back them up there (bucket versioning or "
                "replication); only the database is backed up here."
            )
        try:
            manifest = backup(
                folder, database=target, media_root=media_root, sqlite_source=sqlite_source
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        files = manifest["files"]
        size = sum(meta["size"] for meta in files.values())
        self.stdout.write(f"Backed up {target.label()} to {folder}")
        self.stdout.write(f"tables: {len(manifest['tables'])}")
        self.stdout.write(f"rows: {rows}")
        self.stdout.write(f"files: {len(files)} ({size} bytes)")

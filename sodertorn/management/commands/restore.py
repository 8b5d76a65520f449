from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sodertorn.backup import BackupError, Database, check, restore

from .backup import media_root_or_none


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an EMPTY database and an empty media "
        "folder, then check that every table has its rows and every file its content "
        "(prints rows and files before/after; fails when anything is missing). With --check, "
        "only compare."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder.")
        parser.add_argument(
            "--database-url",
            help="The empty database to restore into (postgres://… or sqlite:///path); "
            "default: the configured database, which must then be empty.",
        )
        parser.add_argument(
            "--media-root", help="The empty folder for the media; default MEDIA_ROOT."
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the media out.")
        parser.add_argument(
            "--check", action="store_true", help="Only compare the target with the backup."
        )

    def handle(self, *args, folder, database_url=None, media_root=None, **options):
        if database_url:
            target = Database.from_url(database_url)
        else:
            target = Database.from_settings(connections["default"].settings_dict)
            connections["default"].close()  # restoring into it: let no connection stay open
        if options["no_media"]:
            media = None
        else:
            media = Path(media_root) if media_root else media_root_or_none()
        try:
            if options["check"]:
                result = check(Path(folder), database=target, media_root=media)
            else:
                result = restore(Path(folder), database=target, media_root=media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Checked" if options["check"] else "Restored"
        self.stdout.write(f"{verb} {target.label()} against {folder}")
        for line in result.lines():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"{len(result.problems)} difference(s): see the list above")

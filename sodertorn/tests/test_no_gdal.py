"""Start-up and every page work on a machine without GDAL/GEOS.

The subprocess blocks every GeoDjango GDAL/GEOS import (as on a machine where the libraries
are missing, whatever this machine has), then starts Django, runs the system checks, migrates
a fresh SQLite database, loads a testbed and requests every page, the admin included.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, os, sys

    class NoGDAL(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.startswith(("django.contrib.gis.gdal", "django.contrib.gis.geos", "osgeo")):
                raise ImportError(f"{name}: GDAL/GEOS not installed (blocked by the test)")
            return None

    sys.meta_path.insert(0, NoGDAL())

    # The blocker is real: django-leaflet's admin module, which needs GDAL, cannot load.
    try:
        import leaflet.admin  # noqa: F401
    except Exception:
        pass
    else:
        raise SystemExit("leaflet.admin imported although GDAL is blocked")
    for name in [n for n in sys.modules if n.startswith(("leaflet", "django"))]:
        del sys.modules[name]

    import django
    from django.core.management import call_command

    django.setup()
    call_command("check")
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model
    from django.test import Client
    from testbeds.models import Municipality, Testbed

    m = Municipality.objects.create(name="Huddinge", slug="huddinge", code="0126",
                                    center_latitude=59.23, center_longitude=17.98)
    t = Testbed.objects.create(title="Test", slug="test", question="?", summary="s",
                               start_date="2016-01-01", published=True,
                               latitude=59.2, longitude=17.9)
    t.municipalities.add(m)
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client = Client()
    pages = ["/", "/en/", "/testbaddar/", "/testbaddar/?status=xyz", "/testbaddar.geojson",
             "/testbaddar/test/", "/kommuner/", "/kommuner/huddinge/"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(admin)
    for url in ["/admin/", "/admin/testbeds/testbed/", "/admin/testbeds/testbed/add/",
                f"/admin/testbeds/testbed/{t.pk}/change/", "/admin/testbeds/municipality/"]:
        assert client.get(url).status_code == 200, url
    assert not any(n.startswith("django.contrib.gis.gdal") for n in sys.modules)
    print("NO-GDAL OK")
    """
)


def test_startup_and_every_page_work_without_gdal(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "sodertorn.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nogdal.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # A guard against a hang, not a time limit: migrating a fresh database took over 120 s
        # on a loaded 2-core CI machine.
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "NO-GDAL OK" in result.stdout

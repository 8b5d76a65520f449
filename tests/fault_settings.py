"""Settings of the app servers the fault suite starts (tests/test_faults.py): the production
settings, read from the environment as on a real server, except that static files are served
as they are (no collectstatic before each run; the manifest storage would refuse pages whose
static files were never collected)."""

from sodertorn.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

from django.conf import settings
from django.urls import translate_url


def site(request):
    """Language-switch links that keep the visitor on the same page (and query)."""
    current = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": translate_url(current, code)}
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates}

"""The search app is a project app (sodertorn/hooks.py). It needs no hook of its own: an app
makes its content searchable with a ``search.py`` module listing ``sources``, written with the
kernel's vocabulary (sodertorn/searchable.py), and the search app reads them at start-up."""

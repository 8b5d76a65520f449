"""The search app's plug-in interface (sodertorn/hooks.py): an app makes its content
searchable with a ``search.py`` module that registers a source through this module::

    from search.hooks import SearchSource, markdown_body, register

(see search/registry.py). The search app imports every project app's ``search`` module."""

from .registry import SearchSource, markdown_body, register

__all__ = ["SearchSource", "markdown_body", "register"]

"""Signals the kernel sends, for the apps that want to know (the audit log listens).

The kernel imports no app: where a kernel write matters to another app, it sends one of these
and the app connects a receiver in its ``ready()``.

``published_changed``
    Sent by ``sodertorn.publishing.set_published`` after a bulk publish or unpublish (an
    ``update()``, which sends no model signals): ``sender`` is the model, with ``records``
    (the history records written for the changed objects), ``published`` and ``user``.
``version_restored``
    Sent by the history admin when a curator saves an earlier version (or a deleted object)
    back: ``sender`` is the model, with ``instance``, ``request``, ``version`` (the history
    id) and ``was_deleted``.
"""

from django.dispatch import Signal

published_changed = Signal()
version_restored = Signal()

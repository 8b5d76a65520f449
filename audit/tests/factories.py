"""No factories of its own: the audit log is written by what happens elsewhere: its tests use the
factories of those apps (sodertorn.tests.factories, dialogue.tests.factories, ...)."""

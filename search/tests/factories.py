"""No factories of its own: the search index is filled from the other apps' objects: its tests use
their factories (testbeds.tests.factories, results.tests.factories, ...)."""

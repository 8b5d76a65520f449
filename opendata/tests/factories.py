"""No factories of its own: the open-data app has no models: its tests use the factories of the apps
whose data it publishes (testbeds.tests.factories, results.tests.factories, ...)."""

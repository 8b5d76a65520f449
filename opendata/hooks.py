"""The open-data app is a project app (sodertorn/hooks.py); it registers no hooks yet."""

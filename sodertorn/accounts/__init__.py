"""Site-wide accounts: log-in, log-out, password change and reset (``urls.py``, mounted at
``/konto/`` under the namespace ``accounts``), the rate-limited reset that answers every
address alike (``password_reset.py``), and the one-time link with which an invited person
chooses a password (``links.py``). There is no sign-up: people are invited by the apps that
give them something to do (the idea groups' memberships, ideagroups/services.py)."""

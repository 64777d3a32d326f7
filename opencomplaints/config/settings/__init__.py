"""Settings, split by purpose: ``local`` (the default: SQLite, a visible data folder), ``test`` and ``production``.

Everything that differs between installations is read from the environment through ``env.py``; ``.env.example``
lists every variable.
"""

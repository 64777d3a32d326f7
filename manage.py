#!/usr/bin/env python
"""Django's manage.py for developers; ``opencomplaints`` is the same command once installed."""

from opencomplaints.cli import main

if __name__ == "__main__":
    main()

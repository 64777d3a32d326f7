"""The ``opencomplaints`` console command: Django's management commands with the project's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``opencomplaints <command> [options]``, e.g. ``opencomplaints deadline --stage 1 --received 2022-05-26``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencomplaints.config.settings.local")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["opencomplaints", *args])


if __name__ == "__main__":
    main()

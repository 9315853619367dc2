"""`python -m kesu <command>`: the command-line entry for every management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kesu", *sys.argv[1:]])


if __name__ == "__main__":
    main()

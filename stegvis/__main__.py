"""The `stegvis` command: the project's manage.py, installed on the venv's PATH."""

import os
import secrets
import sys

# Commands that read a file and write nothing: they work on a laptop without an
# installation's configuration (the plan file is "checked without a server").
OFFLINE_COMMANDS = {("plan", "check")}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    if tuple(sys.argv[1:3]) in OFFLINE_COMMANDS and not os.environ.get("SECRET_KEY"):
        # Nothing is signed or stored by these commands; a throwaway key lets
        # Django start where no SECRET_KEY is configured.
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""The `parvis` command: Django's manage.py with Parvis's own short names.

parvis run                    web server + worker + scheduler (embedded demo)
parvis worker                 task worker (django_tasks_db db_worker)
parvis scheduler              periodic work loop
parvis territory import|refresh|search
parvis demo                   load the demo authority (once)
parvis <any manage.py command>
"""

import os
import sys

ALIASES: dict[str, str] = {}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    argv[0] = "parvis"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

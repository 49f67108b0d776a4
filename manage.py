#!/usr/bin/env python
"""Django's command-line utility for Halle."""
import os
import sys


# Commands that need the database and Redis: check them first, in one sentence.
SERVICE_COMMANDS = {"runserver", "migrate", "seed_town", "demo_accounts", "check_services"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.local")
    from marketplace.config.startup import explain_startup_errors

    with explain_startup_errors():
        from django.core.management import execute_from_command_line

        if len(sys.argv) > 1 and sys.argv[1] in SERVICE_COMMANDS:
            import django

            from marketplace.config.startup import services_check

            django.setup()
            services_check()
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

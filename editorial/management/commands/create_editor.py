"""Make an editor's account for one or more editorial roles.

    python manage.py create_editor --role reviewer --username jane \\
        --email jane@example.org --name "Dr Jane Smith" --credential "MD, neurologist"

The password is read from ``DJANGO_EDITOR_PASSWORD`` when it is set, or else asked
for twice at a prompt that does not echo it; it is never an argument (arguments
stay in the shell's history and show in the process list) and never printed.
"""

import os
from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from editorial.accounts import editor_create
from editorial.roles import ROLE_GROUPS

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Make an editor's account in the groups of its roles; it can use the admin "
        f"at once. The password comes from {PASSWORD_VARIABLE} or a prompt."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--role",
            action="append",
            choices=list(ROLE_GROUPS),
            required=True,
            dest="roles",
            help="author, reviewer or publisher; repeat it for several roles.",
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--name", default="", help='A reviewer\'s name, e.g. "Dr Jane Smith".'
        )
        parser.add_argument(
            "--credential", default="", help='A reviewer\'s credential, e.g. "MD".'
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Never prompt: the password must be in {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, **options) -> None:
        interactive = options["interactive"]
        from_environment = os.environ.get(PASSWORD_VARIABLE)
        if not from_environment and not interactive:
            raise CommandError(
                f"Set {PASSWORD_VARIABLE} to the password, or leave out --no-input "
                "to be asked for it."
            )
        fields = {
            name: options[name]
            for name in ("username", "email", "roles", "name", "credential")
        }
        while True:
            password = from_environment or self._ask_password()
            if password is None:
                continue
            try:
                user = editor_create(password=password, **fields)
            except ValidationError as refusal:
                # The password rules name its faults, never the password itself.
                if from_environment or set(refusal.message_dict) != {"password"}:
                    raise CommandError(" ".join(refusal.messages)) from None
                self.stderr.write(" ".join(refusal.messages))
                continue
            break
        groups = ", ".join(sorted(user.groups.values_list("name", flat=True)))
        self.stdout.write(
            self.style.SUCCESS(f"Made the editor {user.username} ({groups}).")
        )

    def _ask_password(self) -> str | None:
        password = getpass("Password: ")
        if getpass("Password (again): ") != password:
            self.stderr.write("The two passwords do not match: try again.")
            return None
        if not password:
            self.stderr.write("The password cannot be empty.")
            return None
        return password

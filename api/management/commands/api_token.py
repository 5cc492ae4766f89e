from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services
from core.audit import Actor


class Command(BaseCommand):
    help = (
        "Make a personal API token for USERNAME (DESIGN 5.7). Prints the token last, alone on its "
        "line; only its SHA-256 digest is kept, so copy it now. Revoke it on the user's API "
        "tokens page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=services.DEFAULT_DAYS,
            help=f"Valid for this many days (1..{services.MAX_DAYS}, default "
            f"{services.DEFAULT_DAYS}).",
        )

    def handle(self, *args, username, name, days, **options):
        if not 1 <= days <= services.MAX_DAYS:
            raise CommandError(f"--days must be from 1 to {services.MAX_DAYS}.")
        if not name.strip():
            raise CommandError("--name must not be blank.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is deactivated.")
        token, secret = services.token_create(
            actor=Actor.command(), user=user, name=name, days=days
        )
        self.stderr.write(
            f"Token {token.prefix}… ({token.name}) for {username}, valid until "
            f"{token.expires_at:%Y-%m-%d %H:%M %Z}. Shown once:"
        )
        self.stdout.write(secret)

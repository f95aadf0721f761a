from django.conf import settings
from django.core.management.base import BaseCommand

from parvis.system.scheduler import scheduler_loop


class Command(BaseCommand):
    help = "Run the scheduler loop: enqueue due periodic work (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=int, default=None, help="Seconds per tick.")
        parser.add_argument(
            "--max-ticks", type=int, default=0, help="Stop after N ticks (0: never)."
        )

    def handle(self, *args, tick, max_ticks, **options):
        scheduler_loop(
            tick_seconds=tick or settings.SCHEDULER_TICK_SECONDS, max_ticks=max_ticks
        )

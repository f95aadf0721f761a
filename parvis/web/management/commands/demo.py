from django.core.management.base import BaseCommand

from parvis.web.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo authority and users (does nothing if already loaded)."

    def handle(self, *args, **options):
        commune = demo_load()
        if commune is None:
            self.stdout.write("Demo already loaded.")
        else:
            self.stdout.write(f"Demo loaded: {commune.name} ({commune.code}).")

"""`parvis run`: migrate, load the demo once, then run web, worker and scheduler together.

Ctrl-C (or SIGTERM) stops the three; if one of them dies, the others are stopped too, so
the embedded set-up never runs half-alive.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from parvis.web.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Run the embedded Parvis: web server, task worker and scheduler."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default=os.environ.get("PARVIS_HOST", "127.0.0.1")
        )
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PARVIS_PORT", "8000"))
        )
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, host, port, no_demo, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo")
        python = [sys.executable, "-m", "parvis"]
        commands = {
            "web": [*python, "runserver", "--noreload", f"{host}:{port}"],
            "worker": [*python, "worker"],
            "scheduler": [*python, "scheduler"],
        }
        processes = {
            name: subprocess.Popen(command, start_new_session=True)
            for name, command in commands.items()
        }
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Parvis is running at {url}"))
        self.stdout.write(f"Health: {url}healthz")
        if not no_demo:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for email, label in demo_logins():
                self.stdout.write(f"  {email:<32} {label}")
        self.stdout.write("Ctrl-C stops the web server, the worker and the scheduler.")
        self.stdout.write("")

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                dead = [
                    name for name, proc in processes.items() if proc.poll() is not None
                ]
                if dead:
                    self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
                    break
                time.sleep(0.5)
        finally:
            for proc in processes.values():
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)

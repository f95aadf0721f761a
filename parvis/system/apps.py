from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "parvis.system"
    verbose_name = "Système"

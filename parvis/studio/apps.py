from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "parvis.studio"
    verbose_name = "Studio"

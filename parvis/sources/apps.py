from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "parvis.sources"
    verbose_name = "Sources"

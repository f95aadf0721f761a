from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "parvis.publishing"
    verbose_name = "Publication"

from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "parvis.channels"
    verbose_name = "Canaux"

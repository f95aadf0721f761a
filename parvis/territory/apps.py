from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "parvis.territory"
    verbose_name = "Territoires"

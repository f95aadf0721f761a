from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "parvis.planning"
    verbose_name = "Planification"

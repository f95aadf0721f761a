from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "parvis.insights"
    label = "insights"
    verbose_name = "Mesure et baromètre"

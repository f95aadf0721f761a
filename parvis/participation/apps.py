from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "parvis.participation"
    label = "participation"
    verbose_name = "Participation citoyenne"

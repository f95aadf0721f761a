from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "parvis.inbox"
    label = "inbox"
    verbose_name = "Messagerie citoyenne"

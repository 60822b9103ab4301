from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "stegvis.associations"
    label = "associations"

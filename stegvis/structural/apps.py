from django.apps import AppConfig


class StructuralConfig(AppConfig):
    name = "stegvis.structural"
    label = "structural"

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "stegvis.goals"
    label = "goals"

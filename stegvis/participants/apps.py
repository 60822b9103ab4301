from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "stegvis.participants"
    label = "participants"

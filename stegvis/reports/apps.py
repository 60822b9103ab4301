from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "stegvis.reports"
    label = "reports"

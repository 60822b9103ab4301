from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "stegvis.finance"
    label = "finance"

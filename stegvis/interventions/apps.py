from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "stegvis.interventions"
    label = "interventions"

    def ready(self) -> None:
        from stegvis.finance.selectors import register_intervention_describer
        from stegvis.interventions.plan_file import describe_for_plan

        register_intervention_describer(describe_for_plan)

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self):
        # members owns the import_xlsx registry and never imports evaluations: we register here.
        from . import importers

        importers.register_all()

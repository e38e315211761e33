from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đoàn viên"

    def ready(self):
        from . import importers, services  # noqa: F401  (connects the unit_merged receiver)

        importers.register_all()

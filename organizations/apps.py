from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức Đoàn"

    def ready(self):
        from . import collation  # noqa: F401  (SQLite connections get the natural-order collation)

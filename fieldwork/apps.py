from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = "Cán bộ đi cơ sở (1+2)"

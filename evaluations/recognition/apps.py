from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    """ "3 chủ động" recognition: part of evaluations (design card), its own app label so its data
    and migrations stand apart from the annual rating's. The rating may read it; never the reverse."""

    name = "evaluations.recognition"
    label = "recognition"
    verbose_name = "Đoàn cơ sở “3 chủ động”"

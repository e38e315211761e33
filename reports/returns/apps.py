from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Returns to the level above (issue 18): part of reports, its own app label so the frozen
    returns and their migrations stand apart from the report jobs they are made from."""

    name = "reports.returns"
    label = "returns"
    verbose_name = "Báo cáo gửi cấp trên"

"""Presentation helpers for the fieldwork templates."""

from django import template

register = template.Library()

ACTIONS = {
    "create": "tạo",
    "update": "cập nhật",
    "visit_add": "thêm chuyến đi",
    "visit_remove": "bỏ chuyến đi",
    "submit": "đăng ký",
    "merge": "tổng hợp vào kế hoạch ban",
    "forward": "trình Thường trực",
    "approve": "phê duyệt",
    "return": "trả lại",
    "request": "đề xuất đột xuất",
    "consent": "đồng ý",
    "refuse": "không đồng ý",
    "report": "báo cáo kết quả",
    "consolidate": "tổng hợp báo cáo",
}

BADGES = {
    "draft": "secondary",
    "submitted": "info",
    "merged": "primary",
    "forwarded": "primary",
    "approved": "success",
    "returned": "danger",
    "planned": "light",
    "requested": "warning",
    "consented": "success",
    "refused": "danger",
}


@register.filter
def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap colour of a workflow status badge."""
    return BADGES.get(status, "secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None

from django.urls import path

from . import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/tao/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/dang-ky/", views.plan_submit, name="plan_submit"),
    path("ban/<int:pk>/", views.department, name="department"),
    path("ban/<int:pk>/tong-hop/", views.department_merge, name="department_merge"),
    path("ban/<int:pk>/bao-cao-quy/", views.department_consolidate, name="department_consolidate"),
    path("ke-hoach-ban/<int:pk>/", views.department_plan, name="department_plan"),
    path("ke-hoach-ban/<int:pk>/trinh/", views.department_plan_forward, name="department_plan_forward"),
    path("ke-hoach-ban/<int:pk>/duyet/", views.department_plan_approve, name="department_plan_approve"),
    path("ke-hoach-ban/<int:pk>/tra-lai/", views.department_plan_return, name="department_plan_return"),
    path("de-xuat/", views.request_create, name="request_create"),
    path("de-xuat/cho-duyet/", views.requests, name="requests"),
    path("chuyen-di/<int:pk>/", views.visit_detail, name="visit"),
    path("chuyen-di/<int:pk>/xoa/", views.visit_remove, name="visit_remove"),
    path("chuyen-di/<int:pk>/quyet-dinh/", views.request_decide, name="request_decide"),
    path("bao-cao-quy/<int:year>/<int:quarter>/", views.quarter_report, name="quarter_report"),
    path("don-vi/<str:code>/", views.unit_visits, name="unit_visits"),
    path("tong-ket/<str:code>/", views.year_end, name="year_end"),
    path("thiet-lap/<str:code>/", views.setup, name="setup"),
]

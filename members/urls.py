from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.index, name="index"),
    path("chuyen-sinh-hoat/", views.transfers, name="transfers"),
    path("chuyen-sinh-hoat/<int:pk>/<slug:decision>/", views.transfer_decide, name="transfer_decide"),
    path("nhap-excel/", views.import_upload, name="import"),
    path("nhap-excel/mau/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("nhap-excel/<int:pk>/", views.import_job, name="import_job"),
    path("nhap-excel/<int:pk>/tien-do/", views.import_progress, name="import_progress"),
    path("nhap-excel/<int:pk>/loi.xlsx", views.import_errors, name="import_errors"),
    path("nhap-excel/<int:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap-excel/<int:pk>/huy/", views.import_discard, name="import_discard"),
    path("nhap-excel/<int:pk>/chay-lai/", views.import_rerun, name="import_rerun"),
    path("don-vi/<str:code>/", views.unit, name="unit"),
    path("don-vi/<str:code>/xuat-excel/", views.export, name="export"),
    path("don-vi/<str:code>/can-bo-qua-tuoi/", views.overage, name="overage"),
    path("don-vi/<str:code>/them/", views.create, name="create"),
    path("don-vi/<str:code>/ket-nap/", views.create, {"admission": True}, name="admit"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.position_end, name="position_end"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/chuc-vu/", views.position_add, name="position_add"),
    path("<int:pk>/<slug:slug>/", views.action, name="action"),
]

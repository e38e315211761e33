from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tiep-nhan/", views.accept, name="accept"),
    path("<int:pk>/tra-lai/", views.send_back, name="send_back"),
    path("<int:pk>/so-sanh/<int:other>/", views.compare, name="compare"),
    path("<int:pk>/tai-ve.<str:extension>", views.download, name="download"),
    path("tu-bao-cao/<int:job_pk>/", views.submit_job, name="submit_job"),
    path("nhan/<str:code>/", views.received, name="received"),
    path("tong-hop/<str:code>/", views.consolidate, name="consolidate"),
]

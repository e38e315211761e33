from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/tien-do/", views.job_progress, name="progress"),
    path("<int:pk>/chay-lai/", views.job_rerun, name="rerun"),
    path("<int:pk>/tai-ve/", views.download, name="download"),
    path("<int:pk>/tai-ve.pdf", views.download_pdf, name="download_pdf"),
    path("<int:pk>/pdf/", views.job_pdf, name="pdf"),
]

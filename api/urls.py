from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import fieldwork, members, ratings, recognition, report_jobs, token_pages, units

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/units/", units.UnitList.as_view(), name="units"),
    path("v1/units/<str:code>/", units.UnitDetail.as_view(), name="unit"),
    path("v1/units/<str:code>/children/", units.UnitChildren.as_view(), name="unit-children"),
    path("v1/members/", members.MemberList.as_view(), name="members"),
    path("v1/ratings/", ratings.RatingList.as_view(), name="ratings"),
    path("v1/rollups/", ratings.RollupDetail.as_view(), name="rollups"),
    path("v1/recognition/", recognition.RegistrationList.as_view(), name="recognition"),
    path("v1/fieldwork/", fieldwork.FieldworkTallies.as_view(), name="fieldwork"),
    path("v1/report-jobs/", report_jobs.ReportJobList.as_view(), name="report-jobs"),
    path("v1/report-jobs/<int:pk>/", report_jobs.ReportJobDetail.as_view(), name="report-job"),
    path("v1/report-jobs/<int:pk>/download/", report_jobs.ReportJobDownload.as_view(), name="report-job-download"),
    path("tokens/", token_pages.create, name="token-create"),
    path("tokens/<int:pk>/revoke/", token_pages.revoke, name="token-revoke"),
]

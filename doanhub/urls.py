from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.auth_urls")),  # login, logout, password change and reset; the admin's login
    path("tai-khoan/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("don-vi/", include("organizations.urls")),
    path("doan-vien/", include("members.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("3-chu-dong/", include("evaluations.recognition.urls")),
    path("di-co-so/", include("fieldwork.urls")),
    path("bao-cao/", include("reports.urls")),
    path("gui-cap-tren/", include("reports.returns.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("api/", include("api.urls")),  # /api/v1/ (issue 17) and the profile page's token actions
    path("admin/", admin.site.urls),
]

handler400 = "doanhub.errors.bad_request"
handler403 = "doanhub.errors.permission_denied"
handler404 = "doanhub.errors.page_not_found"

"""Logging in and out, and changing or resetting a password, at Vietnamese URLs. Not namespaced:
Django's auth views and the reset email reverse these names as they are."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

FORM_METHODS = ["get", "post"]  # Django's form views would take PUT for POST

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(http_method_names=FORM_METHODS), name="login"),
    path("dang-nhap/ma-xac-thuc/", views.login_code, name="login_code"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(http_method_names=FORM_METHODS), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(http_method_names=FORM_METHODS),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/login/", views.admin_login, name="admin_login"),
]

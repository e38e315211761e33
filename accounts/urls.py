from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("xac-thuc-hai-buoc/bat/", views.second_factor_start, name="second_factor_start"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.second_factor_setup, name="second_factor_setup"),
    path("xac-thuc-hai-buoc/tat/", views.second_factor_off, name="second_factor_off"),
    path("nguoi-dung/<int:pk>/dat-lai-xac-thuc/", views.second_factor_reset, name="second_factor_reset"),
]

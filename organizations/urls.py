from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim-kiem/", views.search, name="search"),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/tao/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_toggle_active, name="user_toggle"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.post_end, name="post_end"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thanh-lap/", views.create, name="create"),
    path("<str:code>/sua/", views.edit, name="edit"),
    path("<str:code>/chuyen/", views.move, name="move"),
    path("<str:code>/hop-nhat/", views.merge, name="merge"),
    path("<str:code>/giai-the/", views.dissolve, name="dissolve"),
]

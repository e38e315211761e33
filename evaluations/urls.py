from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("dot/moi/", views.period_form, name="period_create"),
    path("dot/<int:period_id>/", views.period_detail, name="period"),
    path("dot/<int:period_id>/sua/", views.period_form, name="period_edit"),
    path("dot/<int:period_id>/khoa/", views.lock, name="period_lock"),
    path("dot/<int:period_id>/quy-dinh/moi/", views.policy_form, name="policy_create"),
    path("dot/<int:period_id>/quy-dinh/<int:pk>/", views.policy_form, name="policy_edit"),
    path("dot/<int:period_id>/quy-dinh/<int:pk>/tieu-chi/", views.frame_form, name="frame"),
    path("dot/<int:period_id>/cho-duyet/", views.queue, name="queue"),
    path("dot/<int:period_id>/don-vi/<str:code>/", views.unit_page, name="unit"),
    path("dot/<int:period_id>/don-vi/<str:code>/doan-vien/<int:member_id>/", views.member_save, name="member_save"),
    path("dot/<int:period_id>/don-vi/<str:code>/tu-danh-gia/", views.own_save, name="own_save"),
    path("dot/<int:period_id>/don-vi/<str:code>/gui/", views.submit, name="submit"),
    path("dot/<int:period_id>/don-vi/<str:code>/bien-ban/", views.minutes_pdf, name="minutes_pdf"),
    path("bien-ban/<int:pk>/", views.minutes_download, name="minutes_download"),
    path("bien-ban/<int:pk>/trang-thai/", views.minutes_status, name="minutes_status"),
    path("ho-so/<int:pk>/", views.review, name="review"),
    path("ho-so/<int:pk>/cong-nhan/", views.approve, name="approve"),
    path("ho-so/<int:pk>/tra-lai/", views.return_submission, name="return"),
    path("ho-so/<int:pk>/dau-hieu/<slug:code>/bo-qua/", views.dismiss_flag, name="dismiss_flag"),
    path("ho-so/<int:pk>/phieu/<int:assessment_id>/doi-muc/", views.review_change_level, name="review_change_level"),
    path("phieu/<int:pk>/", views.subject, name="subject"),
    path("phieu/<int:pk>/doi-muc/", views.change_level, name="change_level"),
    path("phieu/<int:pk>/mo-lai/", views.reopen, name="reopen"),
]

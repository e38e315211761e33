from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("", views.index, name="index"),
    path("dot/tao/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign"),
    path("dot/<int:pk>/tieu-chi/them/", views.criterion_edit, name="criterion_add"),
    path("dot/<int:pk>/tieu-chi/<int:number>/", views.criterion_edit, name="criterion_edit"),
    path("dot/<int:pk>/dang-ky/<str:code>/", views.register, name="register"),
    path("dot/<int:pk>/bang/<str:code>/", views.board, name="board"),
    path("dot/<int:pk>/bang/<str:code>/xlsx/", views.board_xlsx, name="board_xlsx"),
    path("dot/<int:pk>/bang/<str:code>/gui-bao-cao/", views.report_send, name="report_send"),
    path("dot/<int:pk>/quyet-dinh/<str:code>/", views.decision_create, name="decision_create"),
    path("dot/<int:pk>/kiem-tra/", views.review, name="review"),
    path("dang-ky/<int:pk>/", views.registration_detail, name="registration"),
    path("dang-ky/<int:pk>/tiep-nhan/", views.accept, name="accept"),
    path("dang-ky/<int:pk>/tra-lai/", views.return_registration, name="return"),
    path("dang-ky/<int:pk>/phan-cong/", views.assign, name="assign"),
    path("dang-ky/<int:pk>/theo-doi/", views.followup, name="followup"),
    path("dang-ky/<int:pk>/danh-gia/", views.evaluate, name="evaluate"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision"),
    path("quyet-dinh/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("dang-ky/<int:pk>/bien-ban/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("van-ban/<int:pk>/", views.document_download, name="document"),
    path("van-ban/<int:pk>/trang-thai/", views.document_status, name="document_status"),
    path("quyet-dinh/<int:pk>/gan-co/", views.flag_add, name="flag_add"),
    path("y-kien/<int:pk>/xu-ly/", views.flag_resolve, name="flag_resolve"),
    path("tuyen-duong/<str:code>/", views.commendation, name="commendation"),
    path("tuyen-duong/<str:code>/xlsx/", views.commendation_xlsx, name="commendation_xlsx"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from mastery.web import views
from mastery.web.forms import SignInForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("sections/<uuid:section_uuid>/", views.section_detail, name="section-detail"),
    path("students/<uuid:student_uuid>/", views.student_detail, name="student-detail"),
]

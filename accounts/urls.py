"""Accounts' addresses: ours first, then Django's own auth URLs for the rest (password change
done, password reset done, confirm and complete), under the names Django gives them."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("settings/", views.account_settings, name="settings"),
    # Django's, extended: claiming a visitor's practice, saying so on log-out, refusing the
    # demo accounts a password change or a reset mail.
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]

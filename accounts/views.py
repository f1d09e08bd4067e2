"""Accounts: sign up, log in (Django's views, plus claiming a visitor's practice), settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import services
from .forms import PasswordResetForm, SettingsForm, SignupForm
from .visitors import visitor_id


def claimed_message(request: HttpRequest, moved: int) -> None:
    if moved:
        messages.success(
            request,
            f"Your practice so far ({moved} quiz{'zes' if moved != 1 else ''}) "
            "is saved to your account.",
        )


def next_page(request: HttpRequest) -> str:
    """Where to go once signed up: `next` if it is a page of this site, else the dashboard."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: never another host, nor a bare word redirect() would take for
    # the name of a view.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; practice done as a visitor comes along. Then on to `next` (a class's
    join link, say), as after logging in."""
    if request.user.is_authenticated:
        return redirect(next_page(request))
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    if request.method == "POST":
        if form.is_valid():
            visitor = visitor_id(request)
            data = form.cleaned_data
            user = services.account_create(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                role=data["role"],
                time_zone=data["time_zone"],
            )
            login(request, user, backend="accounts.backends.ProfileModelBackend")
            claimed_message(request, services.visitor_claim(user=user, visitor=visitor))
            messages.success(request, f"Welcome to Batteries, {user.username}!")
            return redirect(next_page(request))
        return render(request, "accounts/signup.html", context, status=400)
    return render(request, "accounts/signup.html", context)


class LoginView(auth_views.LoginView):
    """Django's log-in, which then hands the visitor's practice to the account."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        visitor = visitor_id(self.request)
        response = super().form_valid(form)
        user = form.get_user()
        assert isinstance(user, User)
        claimed_message(self.request, services.visitor_claim(user=user, visitor=visitor))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LogoutView(auth_views.LogoutView):
    """Django's log-out (POST only), saying that it happened."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have logged out. See you soon!")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, refused to the shared demo accounts."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and services.profile_for(request.user).is_demo:
            return render(
                request,
                "accounts/demo_locked.html",
                {"message": services.DEMO_ACCOUNT_LOCKED},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The learner's time zone, which days and streaks are counted in, and daily goal."""
    assert isinstance(request.user, User)
    profile = services.profile_for(request.user)
    form = SettingsForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Settings saved.")
            return redirect("settings")
        return render(request, "accounts/settings.html", {"form": form}, status=400)
    return render(request, "accounts/settings.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, which never mails a demo account; the mail is plain text."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

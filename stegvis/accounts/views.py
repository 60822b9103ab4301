import base64
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token

from stegvis.accounts import services
from stegvis.accounts.forms import LoginForm, TokenForm
from stegvis.associations.selectors import associations_for_user
from stegvis.associations.tenancy import public_view, site_view
from stegvis.audit.services import audit_log


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        target = super().get_success_url()
        if services.user_needs_second_factor(self.request.user):
            return f"{reverse('accounts:verify')}?{urlencode({'next': target})}"
        return target


login_view = public_view(LoginView.as_view())
logout_view = public_view(auth_views.LogoutView.as_view())


def _throttled(device: Any) -> bool:
    """django-otp makes a user wait longer after each wrong code in a row."""
    return device is not None and not device.verify_is_allowed()[0]


# The key of the authenticator being set up, until its first code confirms it.
ENROL_KEY = "stegvis_enrol_key"
THROTTLED = gettext_lazy("För många felaktiga koder i rad. Vänta en stund och försök igen.")
WRONG_CODE = gettext_lazy(
    "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen."
)


def _second_factor_failed(request: HttpRequest, *, step: str, throttled: bool) -> None:
    """A wrong code, or a code refused unchecked because of the wait after wrong ones.
    The code itself is not logged."""
    audit_log(
        action="user.second_factor_failed",
        actor=request.user,
        obj=request.user,
        kind="auth",
        request=request,
        changes={"step": step, "throttled": throttled},
    )


@site_view()
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of login: a code from the authenticator app or a backup code."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    if services.confirmed_totp(request.user) is None:
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _safe_next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled(services.confirmed_totp(request.user))
        device = None if throttled else match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_log(
                action="user.second_factor_verified",
                actor=request.user,
                obj=request.user,
                kind="auth",
                request=request,
            )
            return redirect(_safe_next(request))
        _second_factor_failed(request, step="verify", throttled=throttled)
        form.add_error("token", THROTTLED if throttled else WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@site_view()
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: a QR code (made here, no outside service) and the key."""
    if services.confirmed_totp(request.user) is not None and not request.user.is_verified():  # type: ignore[union-attr]
        # Replacing a working device needs the old one first.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.path})}")
    key = request.session.get(ENROL_KEY) or services.totp_key_new()
    request.session[ENROL_KEY] = key
    form = TokenForm(request.POST or None)
    device = (
        services.totp_pending(request.user, key)
        if request.method == "POST"
        else services.totp_draft(request.user, key)
    )
    if request.method == "POST" and form.is_valid() and _throttled(device):
        _second_factor_failed(request, step="enrol", throttled=True)
        form.add_error("token", THROTTLED)
    elif request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            request.session.pop(ENROL_KEY, None)
            otp_login(request, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)}
            )
        _second_factor_failed(request, step="enrol", throttled=False)
        form.add_error("token", WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    key_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr.svg_inline(scale=5, title=_("QR-kod för tvåfaktorsappen"))),
            "key_groups": [key_b32[i : i + 4] for i in range(0, len(key_b32), 4)],
            "next": _safe_next(request),
        },
    )


@site_view()
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "choices": associations_for_user(request.user),
            "has_totp": services.confirmed_totp(request.user) is not None,
            "needs_2fa": services.user_needs_second_factor(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    form_class = PasswordChangeForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_log(
            action="user.password_changed",
            actor=self.request.user,
            obj=self.request.user,
            kind="auth",
            request=self.request,
        )
        messages.success(self.request, _("Ditt lösenord är bytt."))
        return response


password_change = site_view()(PasswordChangeView.as_view())

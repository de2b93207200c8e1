from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.forms import LoginForm
from accounts.views import home, two_factor_setup, two_factor_verify

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("federation.api.urls")),
    path("", include("orgs.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("menu.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("people.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("public.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", LoginView.as_view(form_class=LoginForm), name="login"),
    path("accounts/two-factor/", two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/setup/", two_factor_setup, name="two-factor-setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("projects.urls")),
    path("", include("notifications.urls")),
    path("", include("menu.urls")),
    path("", include("cases.urls")),
    path("", include("volunteers.urls")),
    path("", include("people.urls")),
    path("", include("dashboards.urls")),
    path("", include("public.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

admin.site.site_header = _("Women's Federation Project Platform")
admin.site.site_title = _("Women's Federation Project Platform")
admin.site.index_title = _("Workbench")

if settings.DEBUG:
    # The API is also browsable in development only (see production settings).
    urlpatterns += [path("api-auth/", include("rest_framework.urls"))]

handler500 = "core.views.server_error"

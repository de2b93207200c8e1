from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.settings import knox_settings
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer
from accounts.models import User
from accounts.two_factor import has_device, needs_two_factors, verify_code
from core.api import ErrorSerializer
from federation.models import StaffMembership


class TokenView(APIView):
    """Exchange a username and password for an expiring API token.

    The token is stored hashed (django-rest-knox). Failed attempts count towards
    the per-username-and-address lockout of django-axes.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def get_authenticate_header(self, request):
        # Bad credentials are a 401 that tells the client how to authenticate.
        return "Token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=gettext_lazy("A field is missing or too long.")),
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[],
    )
    def post(self, request):
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        code = credentials.validated_data.pop("otp_code")
        # django-axes reads the address from, and marks a lockout on, Django's request.
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            raise AuthenticationFailed(_("The username or password is incorrect."))
        if settings.TWO_FACTOR_REQUIRED and needs_two_factors(user):
            if not has_device(user):
                raise PermissionDenied(
                    _("Set up the second step of signing in on the website first.")
                )
            if verify_code(user, code) is None:
                raise AuthenticationFailed(
                    _("Give the code of your authenticator app (otp_code) as well.")
                )
        instance, token = issue_token(user)
        return Response(
            TokenSerializer({"token": token, "expiry": instance.expiry}).data,
            status=status.HTTP_200_OK,
        )


def issue_token(user):
    """A new token, unless the user already holds TOKEN_LIMIT_PER_USER unexpired ones."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    with transaction.atomic():
        # Two sign-ins at once cannot both take the last place.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        alive = Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True)
        if limit is not None and user.auth_token_set.filter(alive).count() >= limit:
            raise PermissionDenied(
                _(
                    "You already hold the most API tokens allowed (%(limit)s). Sign out with "
                    "one of them, or wait until one expires."
                )
                % {"limit": limit}
            )
        return AuthToken.objects.create(user)


class LogoutView(KnoxLogoutView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class MeView(APIView):
    """The signed-in user, her memberships and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        active = StaffMembership.objects.effective().select_related("federation")
        user = (
            User.objects.herself(request.user)
            .prefetch_related(
                Prefetch("staff_memberships", queryset=active, to_attr="active_memberships")
            )
            .get()
        )
        return Response(MeSerializer(user).data)

from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer
from accounts.models import User
from config.api import ErrorSerializer
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
            429: ErrorSerializer,
        },
        auth=[],
    )
    def post(self, request):
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # django-axes reads the address from, and marks a lockout on, Django's request.
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            raise AuthenticationFailed(_("The username or password is incorrect."))
        instance, token = AuthToken.objects.create(user)
        return Response(
            TokenSerializer({"token": token, "expiry": instance.expiry}).data,
            status=status.HTTP_200_OK,
        )


class LogoutView(KnoxLogoutView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class MeView(APIView):
    """The signed-in user, her memberships and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        active = StaffMembership.objects.filter(is_active=True).select_related("federation")
        user = User.objects.prefetch_related(
            Prefetch("staff_memberships", queryset=active, to_attr="active_memberships")
        ).get(pk=request.user.pk)
        return Response(MeSerializer(user).data)

"""The public's operations for a future mini-program (/api/v1/public/): the same services as
the H5 pages, signed in with a phone-code token (django-rest-knox, like staff tokens)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.phone import phone_code_send, phone_code_verify
from cases import services as cases_services
from cases.models import Case
from core.api import ErrorSerializer
from federation.models import Federation
from menu import services as menu_services
from menu.models import Need
from public import selectors
from public.api.serializers import (
    CheckSerializer,
    DetailSerializer,
    HelpRequestSerializer,
    PhoneCodeSerializer,
    PhoneSerializer,
    PlaceSerializer,
    PublicNeedSerializer,
    PublicOpportunitySerializer,
    PublicSignUpSerializer,
    PublicTokenSerializer,
    PublicVolunteerSerializer,
    RatingSerializer,
)
from volunteers import services as volunteer_services
from volunteers.choices import OpportunityStatus
from volunteers.models import Opportunity, SignUp, Volunteer

TAG = "public"


class IsPublicAccount(permissions.BasePermission):
    """Signed in with her phone (staff accounts have their own API)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_public)


class SignInView(APIView):
    """Open to anyone, throttled per address."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public-sign-in"


class CodeView(SignInView):
    """Send a sign-in code by text message. The answer is the same for every valid number,
    whether or not it has an account."""

    @extend_schema(
        tags=[TAG],
        request=PhoneSerializer,
        responses={202: DetailSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        body = PhoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone_code_send(phone=body.validated_data["phone"], address=request.META.get("REMOTE_ADDR"))
        detail = _(
            "If the number is in service, a code is on its way. It is valid for five minutes."
        )
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class TokenView(SignInView):
    """Exchange the number and its code for an expiring token (her account is created by her
    first right code)."""

    @extend_schema(
        tags=[TAG],
        request=PhoneCodeSerializer,
        responses={200: PublicTokenSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        body = PhoneCodeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = phone_code_verify(
            phone=body.validated_data["phone"], code=body.validated_data["code"]
        )
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry})


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter("q", str, description="Part of the place's name"),
            OpenApiParameter("parent", int, description="The places just below this one"),
        ],
    )
)
class PlaceViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    """Places to post a need at: found by name, or going down from the provinces."""

    permission_classes = [IsPublicAccount]
    serializer_class = PlaceSerializer
    pagination_class = None
    queryset = Federation.objects.none()

    def list(self, request):
        parent = None
        if request.query_params.get("parent", "").isdigit():
            parent = get_object_or_404(Federation, pk=request.query_params["parent"])
        search = request.query_params.get("q", "").strip()[:40]
        found = selectors.places(search=search, parent=parent)
        return Response(PlaceSerializer(found, many=True).data)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG]),
    create=extend_schema(tags=[TAG], responses={201: PublicNeedSerializer, 429: ErrorSerializer}),
)
class NeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Her needs (提需求) and only hers: another's is not found."""

    permission_classes = [IsPublicAccount]
    serializer_class = PublicNeedSerializer
    queryset = Need.objects.none()  # the schema's type of `id`; get_queryset gives hers
    throttle_scope = "public-write"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action == "create" else []

    def get_queryset(self):
        return selectors.her_needs(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = menu_services.need_post(
            actor=self.request.user,
            federation=data["federation"],
            title=data["title"],
            description=data.get("description", ""),
            domain=data["domain"],
            target_group=data["target_group"],
            people_count=data["people_count"],
        )

    @extend_schema(tags=[TAG], request=RatingSerializer, responses=PublicNeedSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """Rate the service that answered it, once delivered; once."""
        body = RatingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        need = menu_services.need_rate(
            actor=request.user, need=self.get_object(), **body.validated_data
        )
        return Response(PublicNeedSerializer(self.get_queryset().get(pk=need.pk)).data)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    create=extend_schema(tags=[TAG], responses={201: HelpRequestSerializer, 429: ErrorSerializer}),
)
class HelpRequestViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """求助: her requests, by number and state only; what she wrote is never sent back."""

    permission_classes = [IsPublicAccount]
    serializer_class = HelpRequestSerializer
    queryset = Case.objects.none()
    throttle_scope = "public-write"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action == "create" else []

    def get_queryset(self):
        return selectors.her_help_requests(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("consent")
        data["categories"] = sorted(data["categories"])
        serializer.instance = cases_services.help_request(actor=self.request.user, **data)


class VolunteerView(APIView):
    """Her volunteer record (GET; 404 before she registers) and registering (POST)."""

    permission_classes = [IsPublicAccount]
    throttle_scope = "public-write"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(tags=[TAG], responses=PublicVolunteerSerializer)
    def get(self, request):
        volunteer = get_object_or_404(
            Volunteer.objects.select_related("federation"), user=request.user
        )
        return Response(PublicVolunteerSerializer(volunteer).data)

    @extend_schema(
        tags=[TAG],
        request=PublicVolunteerSerializer,
        responses={201: PublicVolunteerSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        body = PublicVolunteerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        volunteer = volunteer_services.volunteer_apply(
            actor=request.user,
            federation=data["federation"],
            name=data["name"],
            id_number=data["id_number"],
            skills=data.get("skills", []),
            availability=data.get("availability", ""),
            team=data.get("wanted_team"),
            consent=data["consent"],
        )
        return Response(PublicVolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities open near her (posted at her place or above)."""

    permission_classes = [IsPublicAccount]
    serializer_class = PublicOpportunitySerializer
    queryset = Opportunity.objects.none()

    def get_queryset(self):
        return (
            Opportunity.objects.visible_to(self.request.user)
            .filter(status=OpportunityStatus.OPEN, starts_at__gt=timezone.now())
            .with_places_taken()
            .select_related("federation")
        )

    @extend_schema(tags=[TAG], request=None, responses={201: PublicSignUpSerializer})
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        signup = volunteer_services.signup_create(actor=request.user, opportunity=self.get_object())
        return Response(PublicSignUpSerializer(signup).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class SignUpViewSet(viewsets.ReadOnlyModelViewSet):
    """Her sign-ups, and her scans at the venue."""

    permission_classes = [IsPublicAccount]
    serializer_class = PublicSignUpSerializer
    queryset = SignUp.objects.none()

    def get_queryset(self):
        return (
            SignUp.objects.filter(volunteer__user=self.request.user)
            .select_related("opportunity__federation")
            .order_by("-opportunity__starts_at", "-pk")
        )

    @extend_schema(tags=[TAG], request=None, responses=PublicSignUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        signup = volunteer_services.signup_cancel(actor=request.user, signup=self.get_object())
        return Response(PublicSignUpSerializer(signup).data)

    @extend_schema(tags=[TAG], request=CheckSerializer, responses=PublicSignUpSerializer)
    @action(detail=False, methods=["post"])
    def check(self, request):
        """Check in, then out, with what the activity's QR code holds."""
        body = CheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            signup = volunteer_services.signup_scan(
                actor=request.user, token=body.validated_data["token"]
            )
        except Opportunity.DoesNotExist:
            raise NotFound from None
        return Response(PublicSignUpSerializer(signup).data)

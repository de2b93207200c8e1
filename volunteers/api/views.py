from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from volunteers import services
from volunteers.api.serializers import (
    AttendSerializer,
    OpportunitySerializer,
    SignUpSerializer,
    VolunteerSerializer,
    VolunteerTeamSerializer,
)
from volunteers.filters import (
    OpportunityFilterSet,
    SignUpFilterSet,
    VolunteerFilterSet,
    VolunteerTeamFilterSet,
)
from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam


class VolunteerTeamViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = VolunteerTeam.objects.all()
    serializer_class = VolunteerTeamSerializer
    filterset_class = VolunteerTeamFilterSet


class VolunteerViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Volunteer.objects.all()
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilterSet


class OpportunityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Opportunities of the caller's area; a volunteer signs up or cancels her own sign-up."""

    queryset = Opportunity.objects.with_places_taken()
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet

    @extend_schema(request=None, responses=SignUpSerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        signup = services.signup_create(actor=request.user, opportunity=self.get_object())
        return Response(SignUpSerializer(signup).data)

    @extend_schema(request=None, responses=SignUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        opportunity = self.get_object()
        signup = get_object_or_404(
            SignUp.objects.visible_to(request.user),
            opportunity=opportunity,
            volunteer__user=request.user,
        )
        signup = services.signup_cancel(actor=request.user, signup=signup)
        return Response(SignUpSerializer(signup).data)


class SignUpViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Sign-ups of the caller's area (or her own); coordinators confirm, record attendance with
    hours, or a no-show."""

    queryset = SignUp.objects.select_related("volunteer")
    serializer_class = SignUpSerializer
    filterset_class = SignUpFilterSet

    @extend_schema(request=None, responses=SignUpSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self.respond(services.signup_confirm(actor=request.user, signup=self.get_object()))

    @extend_schema(request=AttendSerializer, responses=SignUpSerializer)
    @action(detail=True, methods=["post"])
    def attend(self, request, pk=None):
        body = AttendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.respond(
            services.signup_attend(
                actor=request.user, signup=self.get_object(), hours=body.validated_data["hours"]
            )
        )

    @extend_schema(request=None, responses=SignUpSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self.respond(services.signup_no_show(actor=request.user, signup=self.get_object()))

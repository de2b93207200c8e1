from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import KeysetPagination, ScopedViewSetMixin, WorkflowActionsMixin, move_action
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
from volunteers.workflows import SIGNUP


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

    pagination_class = KeysetPagination
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
        SIGNUP.move("cancel")  # refused if the process no longer declares it
        opportunity = self.get_object()
        signup = get_object_or_404(
            SignUp.objects.visible_to(request.user),
            opportunity=opportunity,
            volunteer__user=request.user,
        )
        signup = services.signup_cancel(actor=request.user, signup=signup)
        return Response(SignUpSerializer(signup).data)


class SignUpViewSet(WorkflowActionsMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Sign-ups of the caller's area (or her own); coordinators confirm, record attendance with
    hours, or a no-show."""

    pagination_class = KeysetPagination
    # prefetched, not joined: the page of 50 is cut before a volunteer is looked up (joined,
    # every sign-up of a county was joined to its volunteer before the sort)
    queryset = SignUp.objects.prefetch_related("volunteer")
    serializer_class = SignUpSerializer
    filterset_class = SignUpFilterSet
    process = SIGNUP
    record_name = "signup"

    confirm = move_action("confirm", services.signup_confirm)
    attend = move_action("attend", services.signup_attend, AttendSerializer)
    no_show = move_action("no-show", services.signup_no_show)

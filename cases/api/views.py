from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import services
from cases.api.serializers import (
    AssignSerializer,
    CaseEventSerializer,
    EscalateSerializer,
    FollowUpSerializer,
    FullCaseSerializer,
    MaskedCaseSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReferralSerializer,
    ResolveSerializer,
    TriageSerializer,
)
from cases.filters import CaseEventFilterSet, CaseFilterSet, FollowUpFilterSet, ReferralFilterSet
from cases.models import Case, CaseEvent, FollowUp, Referral
from cases.workflows import CASE
from core.api import KeysFirstPagination, ScopedViewSetMixin, WorkflowActionsMixin, move_action


class CaseViewSet(WorkflowActionsMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Cases of the caller's area, masked. The detail is the full record for the assigned
    worker and the owning federation's supervisors (each opening logged), masked otherwise;
    `open` is break-glass: the full record against a reason that is logged and shown."""

    queryset = Case.objects.select_related("federation").prefetch_related("parties")
    serializer_class = MaskedCaseSerializer
    filterset_class = CaseFilterSet
    process = CASE
    record_name = "case"

    @extend_schema(responses=FullCaseSerializer)
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        if services.opens_in_full(request.user, case):
            services.case_open_full(actor=request.user, case=case, via="api")
            return Response(FullCaseSerializer(case).data)
        return Response(MaskedCaseSerializer(case).data)

    @extend_schema(request=ReasonSerializer, responses=FullCaseSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_full(self, request, pk=None):
        case = self.get_object()
        reason = self.body(ReasonSerializer, case)["reason"]
        services.case_open_full(actor=request.user, case=case, via="api", reason=reason)
        return Response(FullCaseSerializer(case).data)

    triage = move_action("triage", services.case_triage, TriageSerializer)
    assign = move_action("assign", services.case_assign, AssignSerializer)
    escalate = move_action("escalate", services.case_escalate, EscalateSerializer)
    resolve = move_action("resolve", services.case_resolve, ResolveSerializer)
    close = move_action("close", services.case_close, NoteSerializer)
    reopen = move_action("reopen", services.case_reopen, ReasonSerializer)


class CaseEventViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The timelines of the caller's cases (`?case=`), without their text."""

    pagination_class = KeysFirstPagination
    queryset = CaseEvent.objects.all()
    serializer_class = CaseEventSerializer
    filterset_class = CaseEventFilterSet


class ReferralViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Referral.objects.all()
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet


class FollowUpViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FollowUp.objects.all()
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet

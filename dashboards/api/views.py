from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ErrorSerializer
from dashboards.selectors import dashboard
from federation.models import Federation


class DashboardQuerySerializer(serializers.Serializer):
    federation = serializers.IntegerField(label=_("federation"), min_value=1, max_value=2**63 - 1)
    start = serializers.DateField(label=pgettext_lazy("date window", "from"), required=False)
    end = serializers.DateField(label=pgettext_lazy("date window", "until"), required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", today.replace(month=1, day=1))
        attrs.setdefault("end", today)
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(_("The period cannot end before it starts."))
        return attrs


class DashboardView(APIView):
    """All blocks of a federation's dashboard for a period (`from`, `to`; this year by default):
    counts and sums of its whole subtree, never personal data. Outside the caller's area: 404."""

    @extend_schema(
        parameters=[
            OpenApiParameter("federation", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description=_("first day of the period")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=_("last day of the period")),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: ErrorSerializer},
    )
    def get(self, request):
        given = request.query_params
        params = {
            "federation": given.get("federation"),
            "start": given.get("from"),
            "end": given.get("to"),
        }
        query = DashboardQuerySerializer(data={k: v for k, v in params.items() if v})
        query.is_valid(raise_exception=True)
        federation = get_object_or_404(
            Federation.objects.visible_to(request.user), pk=query.validated_data["federation"]
        )
        return Response(
            dashboard(federation, query.validated_data["start"], query.validated_data["end"])
        )

"""The register's API: people masked in lists and their full record logged on every opening,
pairings and their stipends' three checks, the growth archive, special funds and insurance; and
a sponsor's own pairings, without the child. Every write goes through people.services."""

from django.db.models import Count
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import KeysetPagination, ScopedViewSetMixin, WorkflowActionsMixin, move_action
from core.errors import NotAllowed
from core.schema import FIELD_ERRORS
from core.scoping import has_role_at, paths_q
from people import services
from people.api.serializers import (
    DonationSerializer,
    FullPersonSerializer,
    FundSerializer,
    FundStatementSerializer,
    GrowthEntrySerializer,
    InsuranceClaimSerializer,
    InsurancePolicySerializer,
    MoveReasonSerializer,
    PairingSerializer,
    PayoutSerializer,
    PeriodSerializer,
    PersonSerializer,
    SponsorPairingSerializer,
    StipendSerializer,
)
from people.filters import (
    ClaimFilterSet,
    DonationFilterSet,
    InsurancePolicyFilterSet,
    PairingFilterSet,
    PayoutFilterSet,
    PersonFilterSet,
    StipendFilterSet,
)
from people.models import (
    FUND_ROLES,
    Claim,
    Donation,
    Fund,
    InsurancePolicy,
    Pairing,
    Payout,
    Person,
    Stipend,
    person_paths,
)
from people.workflows import PAIRING, STIPEND, remember_levels

TAG = "people"


def of_the_register(queryset, user, path_lookup):
    """What the register's officers of her area see of pairings and stipends: a sponsor sees
    her own only at sponsor/pairings/, where nothing tells who the child is."""
    if user.is_superuser:
        return queryset
    return queryset.filter(paths_q(path_lookup, person_paths(user)))


# The register ---------------------------------------------------------------------------------

SEARCH = [
    OpenApiParameter(
        "phone", str, description="Search before registering: her mobile number (any format)"
    ),
    OpenApiParameter(
        "id_number", str, description="Search before registering: her resident ID number"
    ),
]


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(parameters=SEARCH),
    create=extend_schema(responses={201: PersonSerializer}),
)
class PersonViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The people her area's register keeps, masked; `?phone=` or `?id_number=` searches before
    registering (found by the numbers' keyed hashes, in her area only). The detail is her full
    record, and every opening is logged (people.services.person_open)."""

    pagination_class = KeysetPagination
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        people = super().get_queryset()
        if self.action == "list":
            phone = self.request.query_params.get("phone", "").strip()
            id_number = self.request.query_params.get("id_number", "").strip()
            if phone or id_number:
                people = services.person_find(
                    actor=self.request.user, phone=phone, id_number=id_number
                )
        elif self.action == "retrieve":
            return people.select_related("federation", "source_case").prefetch_related(
                "target_groups", "flags", "consents"
            )
        return people.select_related("federation")

    def perform_create(self, serializer):
        serializer.instance = services.person_register(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(responses=FullPersonSerializer)
    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        services.person_open(actor=request.user, person=person, via="api")
        return Response(FullPersonSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], responses=GrowthEntrySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=GrowthEntrySerializer, responses={201: GrowthEntrySerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser, FormParser, MultiPartParser],
        filterset_class=None,
    )
    def growth(self, request, pk=None):
        """Her growth archive (成长档案), newest first: reading it opens her record (logged);
        an entry is added with an optional photo (multipart), which needs her consent."""
        person = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            body = GrowthEntrySerializer(data=request.data, context=context)
            body.is_valid(raise_exception=True)
            entry = services.growth_record(actor=request.user, person=person, **body.validated_data)
            return Response(
                GrowthEntrySerializer(entry, context=context).data, status=status.HTTP_201_CREATED
            )
        services.person_open(actor=request.user, person=person, via="api")
        page = self.paginate_queryset(person.growth.all())
        return self.get_paginated_response(
            GrowthEntrySerializer(page, many=True, context=context).data
        )


# Sponsorship ----------------------------------------------------------------------------------


class RememberLevelsMixin:
    """Each page's federations learn their county and city in one query, for the moves each row
    offers (people.workflows.remember_levels): the same few queries for 1 row or 50."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            remember_levels([self.person_of(record).federation for record in page])
        return page


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(responses={201: PairingSerializer}))
class PairingViewSet(
    RememberLevelsMixin,
    WorkflowActionsMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Her area's pairings (结对帮扶), the child masked; made by the child's county officer, who
    also ends them (the stipends not yet in the checks are cancelled with it)."""

    pagination_class = KeysetPagination
    queryset = Pairing.objects.select_related("person__federation", "sponsor", "fund")
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    process = PAIRING
    record_name = "pairing"

    def get_queryset(self):
        return of_the_register(
            super().get_queryset(), self.request.user, "person__federation__path"
        )

    @staticmethod
    def person_of(pairing):
        return pairing.person

    def perform_create(self, serializer):
        # Person, sponsor, fund and contact were limited to the caller's area by the
        # serializer; the service checks the rest (her county's officer, consent, the fund).
        serializer.instance = services.pairing_create(
            actor=self.request.user, **serializer.validated_data
        )

    end = move_action("end", services.pairing_end, MoveReasonSerializer)


@extend_schema(tags=[TAG])
class StipendViewSet(
    RememberLevelsMixin, WorkflowActionsMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet
):
    """Monthly stipends and their three checks (people.workflows.STIPEND): confirmed by her
    village, checked by her county, released (and paid from the fund) by her city, each by a
    different person; the county or the city may return it with a reason. `?waiting=true`: the
    ones due whose next check is the caller's."""

    pagination_class = KeysetPagination
    queryset = Stipend.objects.select_related("pairing__person__federation")
    serializer_class = StipendSerializer
    filterset_class = StipendFilterSet
    process = STIPEND
    record_name = "stipend"

    def get_queryset(self):
        return of_the_register(
            super().get_queryset(), self.request.user, "pairing__person__federation__path"
        )

    @staticmethod
    def person_of(stipend):
        return stipend.pairing.person

    confirm = move_action("confirm", services.stipend_confirm)
    check = move_action("check", services.stipend_check)
    release = move_action("release", services.stipend_release)
    return_ = move_action("return", services.stipend_return, MoveReasonSerializer)
    cancel = move_action("cancel", services.stipend_cancel, MoveReasonSerializer)


@extend_schema(tags=[TAG])
class SponsorPairingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A sponsor's own pairings (her account is the sponsor's): the months paid and the visits
    made; never who the child is, nor where (people.services.pairing_for_sponsor)."""

    serializer_class = SponsorPairingSerializer
    queryset = Pairing.objects.none()  # the schema's; get_queryset gives hers

    def get_queryset(self):
        return (
            Pairing.objects.of_sponsor(self.request.user)
            .select_related("person")
            .prefetch_related("stipends", "person__growth")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = [services.pairing_for_sponsor(pairing) for pairing in page]
        return self.get_paginated_response(SponsorPairingSerializer(shown, many=True).data)


# Special funds and insurance ------------------------------------------------------------------


@extend_schema(tags=[TAG])
class FundViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Special funds (专项基金) of the caller's area, with their balance; `statement` gives a
    period's money to the cent."""

    queryset = Fund.objects.select_related("federation")
    serializer_class = FundSerializer

    @extend_schema(
        parameters=[PeriodSerializer],
        responses={200: FundStatementSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, url_path="statement")
    def statement(self, request, pk=None):
        """The fund's money from `start` to `end` (inclusive, YYYY-MM-DD): the opening balance,
        what came in and went out, the closing balance; amounts as strings. For the funds of
        the caller's own area (a fund above it shows its balance only)."""
        fund = self.get_object()
        if not has_role_at(request.user, fund.federation, FUND_ROLES):
            # A fund above her area, which it draws on: its balance, not its ledger
            # (people.models.FundChildQuerySet).
            raise NotAllowed(gettext("Your role does not allow this."))
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        statement = services.fund_statement(fund, **period.validated_data)
        return Response(FundStatementSerializer(statement).data)


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(responses={201: DonationSerializer}))
class DonationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Donations to the caller's area's funds; recorded by an administrator or the register's
    officer, with a receipt number of the fund and year (people.services.donation_record)."""

    pagination_class = KeysetPagination
    queryset = Donation.objects.all()
    serializer_class = DonationSerializer
    filterset_class = DonationFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.donation_record(
            actor=self.request.user, **serializer.validated_data
        )


@extend_schema(tags=[TAG])
class PayoutViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Money out of the caller's area's funds: stipends, projects' tranches, premiums."""

    pagination_class = KeysetPagination
    queryset = Payout.objects.all()
    serializer_class = PayoutSerializer
    filterset_class = PayoutFilterSet


@extend_schema(tags=[TAG])
class InsurancePolicyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """女性安康保险 bought from the caller's area's funds, with how many women each covers."""

    queryset = (
        InsurancePolicy.objects.select_related("fund")
        .annotate(insured_count=Count("insured"))
        .order_by("-starts_on", "pk")  # a count's GROUP BY drops the model's ordering
    )
    serializer_class = InsurancePolicySerializer
    filterset_class = InsurancePolicyFilterSet


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(responses={201: InsuranceClaimSerializer}))
class InsuranceClaimViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Claims of the women insured in the caller's area, masked; recorded by the register's
    officer of her village or above (people.services.claim_record)."""

    pagination_class = KeysetPagination
    queryset = Claim.objects.select_related("person", "policy")
    serializer_class = InsuranceClaimSerializer
    filterset_class = ClaimFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.claim_record(
            actor=self.request.user, **serializer.validated_data
        )

"""The register's pages: search before create, her record (each opening logged), attendance,
pairings and their stipends' checks, the growth archive, special funds; and the sponsor's page."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import load_workbook

from core.errors import ServiceError
from core.scoping import user_scope
from core.uploads import serve_stored_file
from core.views import only_for, service_on_form, service_with_message
from federation.choices import Level
from federation.models import Federation
from menu.models import ServiceOrder
from people import services
from people.choices import SponsorKind, StipendStatus
from people.forms import (
    AttendanceSheetForm,
    CardForm,
    ClaimForm,
    ConsentForm,
    DonationForm,
    FlagForm,
    GrowthForm,
    PairingForm,
    PeriodForm,
    PersonForm,
    PolicyForm,
    ReasonForm,
    SearchForm,
)
from people.models import (
    Donation,
    Fund,
    GrowthEntry,
    InsurancePolicy,
    Insured,
    Pairing,
    Payout,
    Person,
    Stipend,
    StipendCheck,
    keeps_funds,
    keeps_people,
)
from people.receipts import receipt_pdf
from people.selectors import reads_the_ledger, stipends_awaiting
from people.workflows import PAIRING, STIPEND, level_path, remember_levels
from projects.models import Activity

PAGE_SIZE = 50


# The register -------------------------------------------------------------------------------


@only_for(keeps_people)
def person_list(request):
    """Her area's people, masked, newest first; and the search that comes before creating."""
    search = SearchForm(request.GET or None)
    found = None
    if search.is_valid():
        found = services.person_find(actor=request.user, **search.cleaned_data).select_related(
            "federation"
        )
    people = Person.objects.visible_to(request.user).select_related("federation")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"search": search, "found": found, "page": page}
    return render(request, "people/list.html", context)


@only_for(keeps_people)
def person_new(request):
    initial = {key: request.GET[key] for key in ("phone", "id_number") if key in request.GET}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = service_on_form(
            form, lambda: services.person_register(actor=request.user, **form.cleaned_data)
        )
        if person is not None:
            messages.success(request, _("She is registered."))
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form})


@only_for(keeps_people)
def person_page(request, pk):
    """Her full record: every opening is written to the access log."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related(
            "federation", "volunteer", "source_case"
        ),
        pk=pk,
    )
    services.person_open(actor=request.user, person=person, via="page")
    # Her service card: printed from this page, scanned at the door (attendance's card field).
    card = segno.make(person.card_code, error="m").svg_data_uri(scale=4)
    attendances = person.attendances.select_related("activity__project", "order")
    context = {
        "person": person,
        "card": card,
        "flags": person.flags.all(),
        "consents": person.consents.order_by("use", "-given_at"),
        "attendances": attendances,
        "pairings": person.pairings.select_related("sponsor", "fund"),
        "growth": person.growth.all(),
        "flag_form": FlagForm(),
        "consent_form": ConsentForm(),
        "growth_form": GrowthForm(),
        "may_pair": PAIRING.plays("county", request.user, person)
        and not person.pairings.filter(status="active").exists(),
        "insured": Insured.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("policy"),
        "claims": person.claims.select_related("policy"),
    }
    return render(request, "people/person.html", context)


def visible_person(request, pk):
    return get_object_or_404(Person.objects.visible_to(request.user), pk=pk)


@require_POST
@only_for(keeps_people)
def person_flag(request, pk):
    person = visible_person(request, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        service_with_message(
            request,
            lambda: services.person_flag(actor=request.user, person=person, **form.cleaned_data),
            _("The flag is recorded."),
        )
    else:
        messages.error(request, _("Choose the flag and its review date."))
    return redirect(person)


@require_POST
@only_for(keeps_people)
def person_consent(request, pk, given):
    person = visible_person(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        service = services.consent_give if given else services.consent_withdraw
        done = _("Her consent is recorded.") if given else _("Her consent is withdrawn.")
        service_with_message(
            request,
            lambda: service(actor=request.user, person=person, use=form.cleaned_data["use"]),
            done,
        )
    return redirect(person)


@only_for(keeps_people)
def growth_add(request, pk):
    person = visible_person(request, pk)
    form = GrowthForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        entry = service_on_form(
            form,
            lambda: services.growth_record(actor=request.user, person=person, **form.cleaned_data),
        )
        if entry is not None:
            messages.success(request, _("Recorded in her growth archive."))
            return redirect(person)
    return render(request, "people/growth_form.html", {"form": form, "person": person})


@only_for(keeps_people)
def growth_photo(request, pk):
    entry = get_object_or_404(GrowthEntry.objects.visible_to(request.user), pk=pk)
    if not entry.photo:
        raise Http404
    return serve_stored_file(entry.photo)


# Attendance ---------------------------------------------------------------------------------

OCCASIONS = {"activity": Activity, "order": ServiceOrder}


@only_for(keeps_people)
def attendance(request, kind, pk):
    """Who was there: ticked on her area's list, a service card scanned, or a sheet imported."""
    if kind not in OCCASIONS:
        raise Http404
    occasion = get_object_or_404(OCCASIONS[kind].objects.visible_to(request.user), pk=pk)
    where = {kind: occasion}
    card_form, sheet_form = CardForm(), AttendanceSheetForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "card":
            card_form = CardForm(request.POST)
            if card_form.is_valid():
                service_on_form(
                    card_form,
                    lambda: services.attendance_by_card(
                        actor=request.user, card_code=card_form.cleaned_data["card_code"], **where
                    ),
                ) and messages.success(request, _("Attendance taken."))
        elif action == "sheet":
            sheet_form = AttendanceSheetForm(request.POST, request.FILES)
            if sheet_form.is_valid():
                import_sheet(request, sheet_form, where)
        else:
            people = Person.objects.visible_to(request.user).filter(
                pk__in=request.POST.getlist("people")
            )
            service_with_message(
                request,
                lambda: services.attendance_take(actor=request.user, people=people, **where),
                _("Attendance taken."),
            )
        if not (card_form.errors or sheet_form.errors):
            return redirect(request.path)
    present = occasion.attendances.visible_to(request.user).select_related("person")
    present_ids = {a.person_id for a in present}
    area = Person.objects.visible_to(request.user).exclude(pk__in=present_ids)[:200]
    context = {
        "occasion": occasion,
        "kind": kind,
        "present": present,
        "area": area,
        "card_form": card_form,
        "sheet_form": sheet_form,
    }
    return render(request, "people/attendance.html", context)


def sheet_rows(upload):
    """(name, phone, ID number) of each row below the heading; ServiceError for a file that is
    not a workbook."""
    try:
        return workbook_rows(upload)
    except Exception:
        raise ServiceError(_("This file cannot be read as an Excel sheet (.xlsx).")) from None


def workbook_rows(upload):
    """(name, phone, ID number) of each row below the heading."""
    sheet = load_workbook(upload, read_only=True, data_only=True).active
    return [
        tuple([*row, None, None, None][:3])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if any(row)
    ]


def import_sheet(request, form, where):
    try:
        rows = sheet_rows(form.cleaned_data["sheet"])
    except Exception:
        form.add_error("sheet", _("This file cannot be read as an Excel sheet (.xlsx)."))
        return
    result = service_on_form(
        form, lambda: services.attendance_import(actor=request.user, rows=rows, **where)
    )
    if result is None:
        return
    added, missing = result
    messages.success(request, _("%(added)s taken from the sheet.") % {"added": added})
    if missing:
        messages.warning(
            request,
            _("Not found in your area (register them first): %(names)s")
            % {"names": "、".join(missing)},
        )


# Pairings and stipends ----------------------------------------------------------------------


@only_for(keeps_people)
def pairing_new(request, pk):
    person = visible_person(request, pk)
    form = PairingForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        pairing = service_on_form(form, lambda: pair(request.user, person, form.cleaned_data))
        if pairing is not None:
            messages.success(request, _("The pairing is made; its stipends are scheduled."))
            return redirect(pairing)
    return render(request, "people/pairing_form.html", {"form": form, "person": person})


def pair(actor, person, data):
    sponsor = data["sponsor"] or services.sponsor_add(
        actor=actor,
        federation=Federation.objects.get(path=level_path(person.federation, Level.COUNTY)),
        kind=data["new_sponsor_kind"] or SponsorKind.PERSON,
        name=data["new_sponsor_name"],
        phone=data["new_sponsor_phone"],
    )
    return services.pairing_create(
        actor=actor,
        person=person,
        sponsor=sponsor,
        fund=data["fund"],
        monthly_amount=data["monthly_amount"],
        months=data["months"],
        starts_on=data["starts_on"],
        village_contact=data["village_contact"].user,
        visit_every_days=data["visit_every_days"],
    )


def with_moves(stipends, user):
    """Each stipend with the moves the user may make on it now; none yet on the months to come
    (the village confirms a month once it is due)."""
    stipends = list(stipends)
    remember_levels([s.pairing.person.federation for s in stipends])
    today = timezone.localdate()
    for stipend in stipends:
        to_come = stipend.status == StipendStatus.SCHEDULED and stipend.due_on > today
        stipend.moves = [] if to_come else STIPEND.available(user, stipend)
    return stipends


@only_for(keeps_people)
def pairing_list(request):
    """Her area's pairings, and the stipends waiting for her check."""
    pairings = Pairing.objects.visible_to(request.user).select_related(
        "person__federation", "sponsor", "fund"
    )
    waiting = stipends_awaiting(request.user).select_related("pairing__person__federation")
    waiting = with_moves(waiting.order_by("due_on", "pk")[:PAGE_SIZE], request.user)
    page = Paginator(pairings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/pairings.html", {"page": page, "waiting": waiting})


@only_for(keeps_people)
def pairing_page(request, pk):
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user).select_related(
            "person__federation", "sponsor", "fund", "village_contact"
        ),
        pk=pk,
    )
    stipends = with_moves(
        pairing.stipends.select_related(
            "village_confirmed_by",
            "county_checked_by",
            "released_by",
            "pairing__person__federation",
        ),
        request.user,
    )
    context = {
        "pairing": pairing,
        "stipends": stipends,
        "checks": StipendCheck.objects.visible_to(request.user)
        .filter(stipend__pairing=pairing)
        .select_related("by", "stipend"),
        "may_end": PAIRING.may("end", request.user, pairing),
        "today": timezone.localdate(),
        "reason_form": ReasonForm(),
    }
    return render(request, "people/pairing.html", context)


STIPEND_DONE = {
    "confirm": gettext_lazy("Confirmed: the county is told."),
    "check": gettext_lazy("Checked: the city is told."),
    "release": gettext_lazy("Released: the stipend is paid from the fund."),
    "return": gettext_lazy("Returned to the village with your reason."),
    "cancel": gettext_lazy("The stipend is cancelled."),
}


@require_POST
@only_for(keeps_people)
def stipend_move(request, pk, move):
    stipend = get_object_or_404(Stipend.objects.visible_to(request.user), pk=pk)
    if not STIPEND.declared(move):
        raise Http404
    service_with_message(
        request,
        lambda: services.stipend_move(
            move, actor=request.user, stipend=stipend, reason=request.POST.get("reason", "")
        ),
        STIPEND_DONE[move],
    )
    if request.POST.get("then") == "list":
        return redirect("pairing-list")
    return redirect(stipend.pairing)


@require_POST
@only_for(keeps_people)
def pairing_end(request, pk):
    pairing = get_object_or_404(Pairing.objects.visible_to(request.user), pk=pk)
    if not PAIRING.declared("end"):
        raise Http404
    service_with_message(
        request,
        lambda: services.pairing_end(
            actor=request.user, pairing=pairing, reason=request.POST.get("reason", "")
        ),
        _("The pairing has ended."),
    )
    return redirect(pairing)


# Special funds ------------------------------------------------------------------------------


@only_for(keeps_funds)
def fund_list(request):
    funds = Fund.objects.visible_to(request.user).select_related("federation")
    return render(request, "people/funds.html", {"funds": funds})


@only_for(keeps_funds)
def fund_page(request, pk):
    fund = get_object_or_404(
        Fund.objects.visible_to(request.user).select_related("federation"), pk=pk
    )
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donation = service_on_form(
            form,
            lambda: services.donation_record(actor=request.user, fund=fund, **form.cleaned_data),
        )
        if donation is not None:
            messages.success(
                request, _("Recorded: receipt %(number)s.") % {"number": donation.receipt_number}
            )
            return redirect(fund)
    # A fund above her area shows its balance; its ledger is its own area's to read.
    reads_ledger = reads_the_ledger(request.user, fund)
    period = PeriodForm(request.GET or None)
    statement = (
        services.fund_statement(fund, **period.cleaned_data)
        if reads_ledger and period.is_valid()
        else None
    )
    context = {
        "fund": fund,
        "form": form,
        "period": period,
        "reads_ledger": reads_ledger,
        "statement": statement,
        "donations": Donation.objects.visible_to(request.user).filter(fund=fund)[:PAGE_SIZE],
        "payouts": Payout.objects.visible_to(request.user).filter(fund=fund)[:PAGE_SIZE],
        "policies": fund.policies.all(),
        "may_insure": keeps_people(user_scope(request.user)),
        # summed only where the page compares it with the kept balance
        "ledger": services.ledger_balance(fund) if reads_ledger else None,
    }
    return render(request, "people/fund.html", context)


@only_for(keeps_funds)
def donation_receipt(request, pk):
    donation = get_object_or_404(
        Donation.objects.visible_to(request.user).select_related("fund__federation"), pk=pk
    )
    response = HttpResponse(receipt_pdf(donation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=_("donation-receipt-%(number)s.pdf") % {"number": donation.receipt_number},
    )
    return response


@only_for(keeps_people)
def policy_new(request, pk):
    """Insure the women of a sheet: found by their numbers, or registered at the village."""
    fund = get_object_or_404(Fund.objects.visible_to(request.user), pk=pk)
    form = PolicyForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        policy = service_on_form(form, lambda: insure(request.user, fund, form.cleaned_data))
        if policy is not None:
            messages.success(request, _("The policy is bought; its premiums are paid."))
            return redirect("policy-page", policy.pk)
    return render(request, "people/policy_form.html", {"form": form, "fund": fund})


def insure(actor, fund, data):
    with transaction.atomic():
        women = services.people_from_rows(
            actor=actor, federation=data["village"], rows=sheet_rows(data["sheet"])
        )
        return services.policy_buy(
            actor=actor,
            fund=fund,
            people=women,
            **{
                key: data[key]
                for key in ("name", "insurer", "starts_on", "ends_on", "premium_per_head")
            },
        )


@only_for(keeps_people)
def policy_page(request, pk):
    policy = get_object_or_404(
        InsurancePolicy.objects.visible_to(request.user).select_related("fund"), pk=pk
    )
    form = ClaimForm(request.POST or None, user=request.user, policy=policy)
    if request.method == "POST" and form.is_valid():
        claim = service_on_form(
            form,
            lambda: services.claim_record(actor=request.user, policy=policy, **form.cleaned_data),
        )
        if claim is not None:
            messages.success(request, _("The claim is recorded."))
            return redirect("policy-page", policy.pk)
    context = {
        "policy": policy,
        "insured": Person.objects.visible_to(request.user)
        .filter(policies=policy)
        .select_related("federation"),
        "claims": policy.claims.visible_to(request.user).select_related("person"),
        "form": form,
    }
    return render(request, "people/policy.html", context)


# The sponsor's page -------------------------------------------------------------------------


@login_required
def sponsor_home(request):
    """Her pairings' progress: the months paid, the visits made; never who the child is."""
    pairings = (
        Pairing.objects.of_sponsor(request.user)
        .select_related("person")
        .prefetch_related("stipends", "person__growth")
    )
    shown = [services.pairing_for_sponsor(pairing) for pairing in pairings]
    return render(request, "people/sponsor.html", {"pairings": shown})

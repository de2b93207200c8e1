"""The case desk: intake (risk first), my queue by urgency, the case page with its timeline and
moves, break-glass opening, and the masked export. Every full opening is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import DateTimeField, F, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import forms, services
from cases.choices import OPEN_STATUSES, PAUSED_STATUSES, RISK_URGENCY
from cases.exports import masked_workbook
from cases.models import Case, FollowUp, Referral, works_on_cases
from cases.workflows import CASE, REFERRAL
from core.errors import ServiceError
from core.views import only_for, service_on_form, service_with_message, xlsx_response

QUEUE_SIZE = 100


# The form and service of each move the case page offers; which of them she sees, and when,
# is cases.workflows.CASE's to say.
PAGE_MOVES = {
    "triage": (forms.TriageForm, services.case_triage),
    "assign": (forms.AssignForm, services.case_assign),
    "claim": (forms.EmptyForm, services.case_claim),
    "event": (forms.EventForm, services.event_add),
    "referral": (forms.ReferralForm, services.referral_send),
    "follow-up": (forms.FollowUpForm, services.follow_up_schedule),
    "start": (forms.EmptyForm, services.case_start),
    "wait": (forms.NoteForm, services.case_wait),
    "unreachable": (forms.NoteForm, services.case_unreachable),
    "resume": (forms.EmptyForm, services.case_resume),
    "resolve": (forms.ResolveForm, services.case_resolve),
    "close": (forms.NoteForm, services.case_close),
    "escalate": (forms.EscalateForm, services.case_escalate),
    "transfer": (forms.RequiredNoteForm, services.case_transfer),
    "withdraw": (forms.NoteForm, services.case_withdraw),
    "reopen": (forms.ReasonForm, services.case_reopen),
    "urge": (forms.ReasonForm, services.case_urge),
}


def visible_cases(user):
    return Case.objects.visible_to(user).select_related("federation", "organization", "assigned_to")


def case_for(request, pk) -> Case:
    return get_object_or_404(visible_cases(request.user), pk=pk)


# The queue --------------------------------------------------------------------------------


def next_deadline():
    """The deadline that runs now: first contact until she is reached, then resolution; a
    paused clock (waiting, unreachable) has none."""
    return SqlCase(
        When(status__in=PAUSED_STATUSES, then=Value(None)),
        When(first_contacted_at__isnull=True, then=F("first_contact_due")),
        default=F("resolution_due"),
        output_field=DateTimeField(),
    )


def urgency():
    return SqlCase(
        *(When(risk=risk, then=Value(rank)) for risk, rank in RISK_URGENCY.items()),
        output_field=IntegerField(),
    )


@only_for(works_on_cases)
def queue(request):
    """Open cases by urgency (crisis first, then the nearest due time), and due follow-ups."""
    cases = visible_cases(request.user).filter(status__in=OPEN_STATUSES)
    mine = request.GET.get("mine") == "1"
    if mine:
        cases = cases.filter(assigned_to=request.user)
    cases = cases.prefetch_related("parties").order_by(
        next_deadline().asc(nulls_last=True), urgency(), "pk"
    )
    follow_ups = FollowUp.objects.visible_to(request.user).filter(
        done_at__isnull=True, case__status__in=OPEN_STATUSES
    )
    if mine:
        follow_ups = follow_ups.filter(case__assigned_to=request.user)
    query = request.GET.get("q", "")
    context = {
        "query": query,
        "found": services.cases_search(actor=request.user, text=query) if query.strip() else None,
        "cases": cases[:QUEUE_SIZE],
        "follow_ups": follow_ups.select_related("case").order_by("due_on")[:QUEUE_SIZE],
        "mine": mine,
        "now": timezone.now(),
        "today": timezone.localdate(),
        "may_export": request.user.has_perm("cases.export_case"),
    }
    return render(request, "cases/queue.html", context)


# Intake -----------------------------------------------------------------------------------


@login_required
def intake(request):
    """Risk first; before a new case is opened, a known caller is offered her existing cases."""
    form = forms.IntakeForm(request.POST or None, user=request.user)
    if not form.fields["federation"].queryset.exists():
        raise Http404  # she takes no calls: no form full of refusals
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = services.matching_cases(
            actor=request.user, phone=data["phone"], id_number=data["id_number"]
        )
        services.lookups_log(actor=request.user, cases=matches)
        if "new_case" in request.POST or not matches:
            case = service_on_form(form, lambda: services.case_intake(actor=request.user, **data))
            if case:
                messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
                return redirect("case-page", pk=case.pk)
    return render(request, "cases/intake.html", {"form": form, "matches": matches})


@require_POST
@login_required
def call_on_existing(request, pk):
    """The caller is known: the call is added to her case instead of opening another."""
    case = case_for(request, pk)
    service_with_message(
        request,
        lambda: services.call_log(actor=request.user, case=case, outcome="reached"),
        _("The call is added to case %(number)s.") % {"number": case.number},
    )
    return redirect("case-page", pk=case.pk)


# The case page ----------------------------------------------------------------------------


@login_required
def case_detail(request, pk):
    case = case_for(request, pk)
    if services.opens_in_full(request.user, case):
        services.case_open_full(actor=request.user, case=case, via="page")
        return render_case(request, case, full=True)
    return render_case(request, case, full=False)


@require_POST
@login_required
def break_glass(request, pk):
    """Open a case outside one's circle, with a reason that is logged and shown."""
    case = case_for(request, pk)
    form = forms.BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            services.case_open_full(
                actor=request.user, case=case, via="page", reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            raise PermissionDenied(error.message) from error
        return render_case(request, case, full=True)
    return render_case(request, case, full=False, glass=form, status=400)


def render_case(request, case, *, full, failed=None, glass=None, status=200):
    moves = []
    for move in CASE.available(request.user, case):
        if move.name in PAGE_MOVES:
            form_class = PAGE_MOVES[move.name][0]
            form = failed[1] if failed and failed[0] == move.name else None
            form = form or form_class(case=case, user=request.user, prefix=move.name)
            moves.append((move.name, move, form))
    referrals = list(case.referrals.select_related("organization", "case__federation"))
    for referral in referrals:
        referral.moves = REFERRAL.available(request.user, referral)
    context = {
        "case": case,
        "full": full,
        "parties": case.parties.all(),
        "events": case.events.select_related("worker"),
        "referrals": referrals,
        "follow_ups": case.follow_ups.all(),
        "moves": moves,
        "may_act": CASE.may("follow-up", request.user, case),
        "glass": glass
        or (
            forms.BreakGlassForm()
            if not full and services.may_break_glass(request.user, case)
            else None
        ),
        "break_glass_log": case.access_log.filter(break_glass=True).select_related("user")
        if services.supervises(request.user, case)
        else None,
        "refusal": failed[1].non_field_errors() if failed else None,
        "now": timezone.now(),
    }
    return render(request, "cases/case.html", context, status=status)


@require_POST
@login_required
def case_move(request, pk, name):
    case = case_for(request, pk)
    if name not in PAGE_MOVES or not CASE.declared(name):
        raise Http404
    form_class, service = PAGE_MOVES[name]
    form = form_class(request.POST, case=case, user=request.user, prefix=name)
    if form.is_valid() and service_on_form(
        form, lambda: service(actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("Saved: %(move)s") % {"move": CASE.move(name).label})
        return redirect("case-page", pk=case.pk)
    case.refresh_from_db()
    full = services.opens_in_full(request.user, case)
    if full:  # the page shows the full record again: that is an opening too
        services.case_open_full(actor=request.user, case=case, via="page")
    return render_case(request, case, full=full, failed=(name, form), status=400)


@require_POST
@login_required
def follow_up_done(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    form = forms.FollowUpDoneForm(
        request.POST, case=follow_up.case, user=request.user, prefix=f"done-{pk}"
    )
    return answer(
        request,
        follow_up.case,
        form,
        lambda data: services.follow_up_done(actor=request.user, follow_up=follow_up, **data),
    )


@require_POST
@login_required
def referral_update(request, pk, verb):
    referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)
    if not REFERRAL.declared(verb):
        raise Http404
    form = forms.ReferralAnswerForm(
        request.POST, case=referral.case, user=request.user, prefix=f"referral-{pk}"
    )
    return answer(
        request,
        referral.case,
        form,
        lambda data: services.referral_update(
            actor=request.user, referral=referral, verb=verb, **data
        ),
    )


def answer(request, case, form, run):
    """A small form under an item of the case: saved, or its refusal shown as a message."""
    if form.is_valid():
        service_with_message(request, lambda: run(form.cleaned_data), _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("case-page", pk=case.pk)


# Export -----------------------------------------------------------------------------------


@login_required
def export(request):
    """Masked case data as Excel, for those with the export permission."""
    if not request.user.has_perm("cases.export_case"):
        raise PermissionDenied
    cases = services.supervised_cases(request.user).prefetch_related("parties")
    return xlsx_response(masked_workbook(cases), "cases.xlsx")

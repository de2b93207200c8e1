"""The case desk: intake (risk first), my queue by urgency, the case page with its timeline and
moves, break-glass opening, and the masked export. Every full opening is logged."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import forms, services
from cases.choices import ENDED_STATUSES, OPEN_STATUSES, RISK_URGENCY, SUPERVISED_CLOSING
from cases.choices import CaseStatus as S
from cases.exports import masked_workbook
from cases.models import Case, FollowUp, Referral
from core.errors import ServiceError
from core.views import xlsx_response

QUEUE_SIZE = 100
NOT_ENDED = frozenset(OPEN_STATUSES)
REOPENABLE = frozenset({S.RESOLVED, S.FOLLOW_UP, S.UNREACHABLE, *ENDED_STATUSES})


@dataclass(frozen=True)
class Move:
    label: Any
    form: type
    service: Any  # called with actor, case and the form's data
    who: str  # staff, supervisor, worker (or supervisor), claimant, closer
    states: frozenset


MOVES = {
    "triage": Move(
        gettext_lazy("Triage"),
        forms.TriageForm,
        services.case_triage,
        "staff",
        frozenset({S.RECEIVED, S.TRIAGED}),
    ),
    "assign": Move(
        gettext_lazy("Assign"),
        forms.AssignForm,
        services.case_assign,
        "supervisor",
        frozenset({S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS}),
    ),
    "claim": Move(
        gettext_lazy("Take this case"),
        forms.EmptyForm,
        services.case_claim,
        "claimant",
        frozenset({S.TRIAGED}),
    ),
    "event": Move(
        gettext_lazy("Add to the timeline"),
        forms.EventForm,
        services.event_add,
        "worker",
        NOT_ENDED,
    ),
    "referral": Move(
        gettext_lazy("Refer"), forms.ReferralForm, services.referral_send, "worker", NOT_ENDED
    ),
    "follow-up": Move(
        gettext_lazy("Schedule a follow-up"),
        forms.FollowUpForm,
        services.follow_up_schedule,
        "worker",
        NOT_ENDED,
    ),
    "start": Move(
        gettext_lazy("Start work"),
        forms.EmptyForm,
        services.case_start,
        "worker",
        frozenset({S.ASSIGNED}),
    ),
    "wait": Move(
        gettext_lazy("Waiting for a department"),
        forms.NoteForm,
        services.case_wait,
        "worker",
        frozenset({S.IN_PROGRESS}),
    ),
    "unreachable": Move(
        gettext_lazy("Mark unreachable"),
        forms.NoteForm,
        services.case_unreachable,
        "worker",
        frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING}),
    ),
    "resume": Move(
        gettext_lazy("Resume"),
        forms.EmptyForm,
        services.case_resume,
        "worker",
        frozenset({S.WAITING, S.UNREACHABLE}),
    ),
    "resolve": Move(
        gettext_lazy("Resolve"),
        forms.ResolveForm,
        services.case_resolve,
        "worker",
        frozenset({S.IN_PROGRESS, S.WAITING}),
    ),
    "close": Move(
        gettext_lazy("Close"),
        forms.NoteForm,
        services.case_close,
        "closer",
        frozenset({S.RESOLVED, S.FOLLOW_UP}),
    ),
    "escalate": Move(
        gettext_lazy("Escalate to a federation below"),
        forms.EscalateForm,
        services.case_escalate,
        "staff",
        frozenset({S.RECEIVED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS}),
    ),
    "transfer": Move(
        gettext_lazy("Transfer out"),
        forms.RequiredNoteForm,
        services.case_transfer,
        "staff",
        NOT_ENDED,
    ),
    "withdraw": Move(
        gettext_lazy("She withdrew"), forms.NoteForm, services.case_withdraw, "staff", NOT_ENDED
    ),
    "reopen": Move(
        gettext_lazy("Reopen"), forms.ReasonForm, services.case_reopen, "staff", REOPENABLE
    ),
}


def parts_of(user, case) -> set[str]:
    """The parts the user may play in this case."""
    parts = set()
    if services.works_on_cases_at(user, case.federation):
        parts.add("staff")
    if services.supervises(user, case):
        parts |= {"supervisor", "worker", "closer"}
    if user.pk == case.assigned_to_id:
        parts.add("worker")
        if case.risk not in SUPERVISED_CLOSING:
            parts.add("closer")
    if case.assigned_to_id is None and services.eligible_worker(user, case):
        parts.add("claimant")
    return parts


def visible_cases(user):
    return Case.objects.visible_to(user).select_related("federation", "organization", "assigned_to")


def case_for(request, pk) -> Case:
    return get_object_or_404(visible_cases(request.user), pk=pk)


# The queue --------------------------------------------------------------------------------


def urgency():
    return SqlCase(
        *(When(risk=risk, then=Value(rank)) for risk, rank in RISK_URGENCY.items()),
        output_field=IntegerField(),
    )


@login_required
def queue(request):
    """Open cases by urgency (crisis first, then the nearest due time), and due follow-ups."""
    cases = visible_cases(request.user).filter(status__in=OPEN_STATUSES)
    mine = request.GET.get("mine") == "1"
    if mine:
        cases = cases.filter(assigned_to=request.user)
    cases = cases.prefetch_related("parties").order_by(urgency(), "resolution_due", "pk")
    follow_ups = FollowUp.objects.visible_to(request.user).filter(
        done_at__isnull=True, case__status__in=OPEN_STATUSES
    )
    if mine:
        follow_ups = follow_ups.filter(case__assigned_to=request.user)
    context = {
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
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = services.matching_cases(
            actor=request.user, phone=data["phone"], id_number=data["id_number"]
        )
        services.lookups_log(actor=request.user, cases=matches)
        if "new_case" in request.POST or not matches:
            try:
                case = services.case_intake(actor=request.user, **data)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
                return redirect("case-page", pk=case.pk)
    return render(request, "cases/intake.html", {"form": form, "matches": matches})


@require_POST
@login_required
def call_on_existing(request, pk):
    """The caller is known: the call is added to her case instead of opening another."""
    case = case_for(request, pk)
    try:
        services.call_log(actor=request.user, case=case, outcome="reached")
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The call is added to case %(number)s.") % {"number": case.number}
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
    parts = parts_of(request.user, case)
    moves = []
    for name, move in MOVES.items():
        if move.who not in parts or case.status not in move.states:
            continue
        form = failed[1] if failed and failed[0] == name else None
        moves.append((name, move, form or move.form(case=case, user=request.user, prefix=name)))
    context = {
        "case": case,
        "full": full,
        "parties": case.parties.all(),
        "events": case.events.select_related("worker"),
        "referrals": case.referrals.select_related("organization"),
        "follow_ups": case.follow_ups.all(),
        "moves": moves,
        "may_act": bool(parts & {"worker", "supervisor"}),
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
    move = MOVES.get(name)
    if move is None:
        raise Http404
    form = move.form(request.POST, case=case, user=request.user, prefix=name)
    if form.is_valid():
        try:
            move.service(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved: %(move)s") % {"move": move.label})
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
    if verb not in services.REFERRAL_MOVES:
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
        try:
            run(form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
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

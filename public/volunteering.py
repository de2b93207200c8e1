"""The volunteer's pages on her phone: registering (志愿者注册), activities nearby, checking in
and out by the activity's QR code (扫码签到/签退), her record and her hours certificate, and the
public check of a certificate."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import ServiceError
from core.personal_data import mask_name
from core.views import service_on_form, service_with_message
from public.forms import VolunteerForm
from public.views import WRITE_RATE, chosen_place, public_login_required
from volunteers import services
from volunteers.certificates import certificate_pdf
from volunteers.choices import OpportunityStatus, SignUpStatus, VolunteerStatus
from volunteers.models import Opportunity, SignUp, Volunteer


def her_volunteer(user):
    return Volunteer.objects.filter(user=user).select_related("federation").first()


@public_login_required
def volunteer_home(request):
    """Where she stands: register, wait for approval, or the activities and her sign-ups."""
    volunteer = her_volunteer(request.user)
    context = {"volunteer": volunteer}
    if volunteer is not None and volunteer.status == VolunteerStatus.ACTIVE:
        signups = volunteer.signups.select_related("opportunity__federation").order_by(
            "-opportunity__starts_at"
        )
        taken = {
            signup.opportunity_id for signup in signups if signup.status != SignUpStatus.CANCELLED
        }
        context |= {
            "signups": signups,
            "opportunities": Opportunity.objects.visible_to(request.user)
            .filter(status=OpportunityStatus.OPEN, starts_at__gt=timezone.now())
            .exclude(pk__in=taken)
            .with_places_taken()
            .select_related("federation")[:30],
            "hours": services.volunteer_hours(volunteer),
        }
    return render(request, "public/volunteer.html", context)


@public_login_required
@ratelimit(key="ip", rate=WRITE_RATE, method="POST", block=True)
def volunteer_register(request):
    place = chosen_place(request, services.VOLUNTEER_LEVELS)
    if place is None:
        return redirect(f"{reverse('public-places')}?for=volunteer")
    form = VolunteerForm(request.POST or None, place=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registered = service_on_form(
            form,
            lambda: services.volunteer_apply(
                actor=request.user,
                federation=place,
                name=data["name"],
                id_number=data["id_number"],
                skills=data["skills"],
                availability=data["availability"],
                team=data["team"],
                consent=data["consent"],
            ),
        )
        if registered is not None:
            return redirect("public-volunteer")
    return render(request, "public/volunteer_form.html", {"form": form, "place": place})


@require_POST
@public_login_required
def cancel(request, pk):
    signup = get_object_or_404(SignUp.objects.filter(volunteer__user=request.user), pk=pk)
    service_with_message(
        request,
        lambda: services.signup_cancel(actor=request.user, signup=signup),
        _("The sign-up is cancelled."),
    )
    return redirect("public-volunteer")


@public_login_required
def check(request, token):
    """The page her phone opens from the venue's QR code; her tap checks her in, then out."""
    try:
        opportunity = services.opportunity_of_token(token)
    except (ServiceError, Opportunity.DoesNotExist) as error:
        message = getattr(error, "message", _("This is not a check-in code of the platform."))
        return render(request, "public/refused.html", {"message": message}, status=400)
    if request.method == "POST":
        service_with_message(
            request,
            lambda: services.signup_scan(actor=request.user, token=token),
            _("Done. Thank you!"),
        )
        return redirect("public-check", token=token)
    signup = SignUp.objects.filter(opportunity=opportunity, volunteer__user=request.user).first()
    return render(request, "public/check.html", {"opportunity": opportunity, "signup": signup})


@public_login_required
def certificate(request):
    volunteer = her_volunteer(request.user)
    if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
        messages.error(request, _("The certificate is for approved volunteers."))
        return redirect("public-volunteer")
    pdf = certificate_pdf(
        volunteer,
        lambda code: request.build_absolute_uri(reverse("public-certificate-check", args=[code])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_("volunteer-service-hours.pdf")
    )
    return response


def certificate_check(request, code):
    """Anyone who scans the certificate's QR code: the masked name, the hours, who issued it."""
    try:
        issued = services.certificate_of_code(code)
    except ServiceError as error:
        return render(request, "public/refused.html", {"message": error.message}, status=404)
    context = {
        "masked_name": mask_name(issued["volunteer"].name),
        "hours": issued["hours"],
        "issued": issued["issued"],
        "federation": issued["volunteer"].federation.name,
    }
    return render(request, "public/certificate_check.html", context)

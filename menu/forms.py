"""The menu pages' forms: ordering, requests, and one small form per move of an order.

The forms only gather input and limit choices to the user's area; every rule is checked by
menu.services, whose refusals the views put back on the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import BootstrapFormMixin
from federation.models import Federation, Venue
from menu.choices import NeedStatus
from menu.models import MenuItem, Need
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup
from projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RATINGS = [(value, f"{'★' * value} {value}") for value in range(5, 0, -1)]


class WhereAndWhenForm(BootstrapFormMixin, forms.Form):
    """For whom, where and when a service is wanted, and which project pays."""

    federation = forms.ModelChoiceField(
        label=_("for federation"), queryset=Federation.objects.none(), empty_label=None
    )
    venue = forms.ModelChoiceField(
        label=_("venue"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("(no particular venue)"),
    )
    window_start = forms.DateField(label=pgettext_lazy("date window", "from"), widget=DATE)
    window_end = forms.DateField(label=pgettext_lazy("date window", "until"), widget=DATE)
    expected_participants = forms.IntegerField(
        label=_("expected participants"), min_value=1, max_value=100000
    )
    project = forms.ModelChoiceField(
        label=_("charged to project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("(not charged to a project)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = Federation.objects.visible_to(user).order_by("path")
        self.fields["venue"].queryset = Venue.objects.visible_to(user).filter(is_active=True)
        self.fields["project"].queryset = Project.objects.payable_by(user).order_by("code")

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The window cannot end before it starts."))
        return data


class OrderForm(WhereAndWhenForm):
    """点单: the item is the page's."""


class RequestForm(WhereAndWhenForm):
    """A service request without an item, to dispatch or open for claiming."""

    title = forms.CharField(label=_("service asked for"), max_length=200)
    domain = forms.ModelChoiceField(label=_("service domain"), queryset=ServiceDomain.objects.all())
    target_group = forms.ModelChoiceField(
        label=_("target group"), queryset=TargetGroup.objects.all(), required=False
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("needs it answers"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["title", "domain", "target_group", "needs"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["needs"].queryset = Need.objects.visible_to(user).filter(
            status__in=(NeedStatus.OPEN, NeedStatus.ANSWERED)
        )
        self.style_widgets()


# One form per move --------------------------------------------------------------------------


class OrderMoveForm(BootstrapFormMixin, forms.Form):
    """A move of one order; `order` and `user` limit the choices."""

    def __init__(self, *args, order, user, **kwargs):
        self.order, self.user = order, user
        super().__init__(*args, **kwargs)

    @property
    def leaves_no_choice(self) -> bool:
        """A list to choose from that is empty (no federation below a village's): the page
        does not offer the move at all."""
        return any(
            isinstance(field, forms.ModelChoiceField) and not field.queryset.exists()
            for field in self.fields.values()
        )


class DispatchDownForm(OrderMoveForm):
    to_federation = forms.ModelChoiceField(
        label=_("to a federation below"), queryset=Federation.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handler = self.order.handler or self.order.federation
        self.fields["to_federation"].queryset = handler.descendants().order_by("path")


class DispatchToOrganizationForm(OrderMoveForm):
    to_organization = forms.ModelChoiceField(
        label=_("to an organization"), queryset=SocialOrganization.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handler = self.order.handler or self.order.federation
        self.fields["to_organization"].queryset = SocialOrganization.objects.serving(
            handler
        ).order_by("name")


class ItemChoiceForm(OrderMoveForm):
    """Which of her organization's services answers the request."""

    item = forms.ModelChoiceField(label=_("with your service"), queryset=MenuItem.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = self.item_choices()
        self.fields["item"].queryset = choices
        if len(choices) == 1:  # her only matching service, chosen already
            self.fields["item"].initial = choices[0].pk
            self.fields["item"].empty_label = None

    def item_choices(self):
        return MenuItem.objects.offered_by(self.user).filter(
            organization_id=self.order.organization_id
        )


class AcceptForm(ItemChoiceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.order.item_id is not None:  # an order names its item already
            del self.fields["item"]


class ClaimForm(ItemChoiceForm):
    def item_choices(self):
        return MenuItem.objects.offered_by(self.user) & MenuItem.objects.qualified_for(self.order)


class DeclineForm(OrderMoveForm):
    reason = forms.CharField(label=_("reason for declining"), max_length=300)


class ScheduleForm(OrderMoveForm):
    scheduled_at = forms.DateTimeField(label=_("scheduled for"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=200)


class DeliverForm(OrderMoveForm):
    actual_participants = forms.IntegerField(
        label=_("actual participants"), min_value=0, max_value=100000
    )
    volunteers = forms.IntegerField(
        label=_("volunteers"), min_value=0, max_value=100000, initial=0, required=False
    )
    photo = forms.FileField(
        label=_("photo of the service"), required=False, help_text=_("JPG or PNG, at most 20 MB.")
    )

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "actual_participants": data["actual_participants"],
            "volunteers": data["volunteers"] or 0,
            "photos": [data["photo"]] if data.get("photo") else [],
        }


class AddPhotoForm(OrderMoveForm):
    upload = forms.FileField(
        label=_("photo of the service"), help_text=_("JPG or PNG, at most 20 MB.")
    )


class ConfirmForm(OrderMoveForm):
    rating = forms.TypedChoiceField(
        label=_("rating"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    feedback = forms.CharField(
        label=_("feedback"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmptyMoveForm(OrderMoveForm):
    """Moves that need nothing but the button (cancel, open for claiming)."""


class CardRatingForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the service?"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    feedback = forms.CharField(
        label=_("Anything to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MenuItemForm(BootstrapFormMixin, forms.ModelForm):
    """An organization's own service, as it offers it."""

    class Meta:
        model = MenuItem
        fields = [
            "organization",
            "title",
            "description",
            "domain",
            "target_groups",
            "format",
            "duration_minutes",
            "capacity_per_session",
            "sessions_per_month",
            "unit_cost",
            "eligibility",
            "min_age",
            "max_age",
            "areas",
            "availability",
            "status",
            "photo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        # Areas: the guiding federations' own areas, where such an organization works.
        guiding = [org.guiding_federation for org in organizations if org.guiding_federation]
        areas = Federation.objects.none()
        for federation in guiding:
            areas |= federation.descendants(include_self=True)
        self.fields["areas"].queryset = areas.filter(depth__lte=max_area_depth(guiding))
        self.fields["areas"].help_text = _(
            "Leave empty to serve wherever a federation puts the item on its menu."
        )


def max_area_depth(federations):
    """Offer areas two levels below the guiding federation at most: a list, not the tree."""
    return max((federation.depth for federation in federations), default=0) + 2


class NeedMoveForm(BootstrapFormMixin, forms.Form):
    """A review move on one need posted by the public (accepting needs nothing else)."""

    def __init__(self, *args, need, user, **kwargs):
        self.need, self.user = need, user
        super().__init__(*args, **kwargs)


class RejectNeedForm(NeedMoveForm):
    reason = forms.CharField(label=_("reason (sent to her by text message)"), max_length=200)


class MergeNeedForm(NeedMoveForm):
    """`candidates`: the accepted needs of the same place, read once for a whole page of needs
    (otherwise from the database, when the form comes back)."""

    into = forms.ModelChoiceField(label=_("the need it repeats"), queryset=Need.objects.none())

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = mergeable_into(self.user, self.need)
        if candidates is not None:
            self.fields["into"].choices = [("", "---------")] + [
                (candidate.pk, candidate.title) for candidate in candidates
            ]

    @property
    def leaves_no_choice(self) -> bool:
        return len(self.fields["into"].choices) <= 1


def mergeable_into(user, need):
    return (
        Need.objects.visible_to(user)
        .filter(
            federation=need.federation,
            status__in=(NeedStatus.OPEN, NeedStatus.ANSWERED),
            merged_into=None,
        )
        .exclude(pk=need.pk)
    )

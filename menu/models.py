"""The service menu (服务菜单): needs, menu items published by federations, and orders (点单)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.scoping import EqualsAny, ScopedQuerySet, paths_q, subtree_q, user_scope
from core.uploads import PHOTOS, PolicyFileField
from federation.models import area_ids, path_and_ancestors, reaches_a_province
from menu.choices import (
    DELIVERED_ORDER_STATUSES,
    ItemStatus,
    NeedSource,
    NeedStatus,
    OrderChannel,
    OrderStatus,
    PublicationStatus,
    ServiceFormat,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class NeedQuerySet(ScopedQuerySet):
    def posted_by_her(self, user):
        """Hers, whatever their state: what a member of the public sees (and only that)."""
        return self.filter(posted_by=user)


class Need(models.Model):
    """A demand collected at the grassroots (群众出题)."""

    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("collected by"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        "orgs.ServiceDomain", verbose_name=_("service domain"), on_delete=models.PROTECT
    )
    target_group = models.ForeignKey(
        "orgs.TargetGroup", verbose_name=_("target group"), on_delete=models.PROTECT
    )
    people_count = models.PositiveIntegerField(_("people asking"), default=1)
    source = models.CharField(_("source"), max_length=16, choices=NeedSource.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("answered by projects"), blank=True, related_name="needs"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Posted by a member of the public (提需求): reviewed before it is worked on; she follows it
    # and rates the service that answered it. Her words are shown to staff only.
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posted_needs",
    )
    photo = PolicyFileField(_("photo"), upload_to="needs/%Y/%m/", policy=PHOTOS.name, blank=True)
    decision_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    # When an order first answered it: the dashboards' time to answer.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("her rating"), null=True, blank=True)
    feedback = models.CharField(_("her feedback"), max_length=500, blank=True)

    # The collecting federation's subtree sees it, and so does every federation above it.
    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["posted_by", "-created_at"], name="need_by_poster")]

    def __str__(self):
        return self.title

    def followed(self) -> "Need":
        """The need whose progress its poster follows: itself, or the one it was merged into."""
        return self.merged_into if self.merged_into_id else self

    def progress(self) -> tuple[str, str]:
        """(step, words) as its poster follows it: received, accepted, answered by a service,
        delivered — or not accepted, with the reason."""
        need = self.followed()
        if self.status == NeedStatus.REJECTED:
            return "rejected", _("Not accepted: %(reason)s") % {"reason": self.decision_reason}
        if need.status == NeedStatus.PENDING:
            return "received", _("Received: the federation is reviewing it")
        orders = list(need.service_orders.all())
        if any(order.status in DELIVERED_ORDER_STATUSES for order in orders):
            return "delivered", _("Delivered")
        if orders or need.status == NeedStatus.ANSWERED:
            return "answered", _("Answered by a service: %(service)s") % {
                "service": "、".join(order.title for order in orders)
            }
        if need.status == NeedStatus.CLOSED:
            return "closed", _("Closed")
        return "accepted", _("Accepted: waiting for a service")


class MenuItemQuerySet(ScopedQuerySet):
    """An organization sees its items; a federation the items published on its menu or above it,
    and those of the organizations it guides."""

    scope_path = "organization__guiding_federation__path"

    def offered_by_staff_of(self, user):
        """The items of the organizations where the user is staff: hers to edit."""
        return self.filter(organization_id__in=user_scope(user).organization_ids)

    def scope_filter(self, user):
        scope = user_scope(user)
        published_above = models.Q(pk__in=[])
        for path in scope.federation_paths:
            published_above |= models.Q(
                publications__federation__path__in=path_and_ancestors(path),
                publications__status=PublicationStatus.PUBLISHED,
            )
        guided = paths_q(self.scope_path, scope.federation_paths)
        own = models.Q(organization_id__in=scope.organization_ids)
        return models.Q(
            pk__in=self.model.objects.filter(published_above | guided | own).values("pk")
        )

    def available_to(self, user):
        """The menu as the user sees it: items published at or above her nodes, and her own."""
        if user.is_superuser:
            return self.filter(status=ItemStatus.ACTIVE)
        scope = user_scope(user)
        paths = {above for path in scope.federation_paths for above in path_and_ancestors(path)}
        published = MenuPublication.objects.filter(
            federation__path__in=paths, status=PublicationStatus.PUBLISHED
        ).values("item_id")
        return self.filter(
            models.Q(status=ItemStatus.ACTIVE, pk__in=published)
            | models.Q(organization_id__in=scope.organization_ids)
        )

    def offered_by(self, user):
        """The active items of the organizations the user works for."""
        return self.filter(
            organization_id__in=user_scope(user).organization_ids, status=ItemStatus.ACTIVE
        )

    def published_for(self, federation):
        """Active items on the menu of this federation or of any federation above it, and
        deliverable there (an item that names its areas serves those and what lies below)."""
        above = path_and_ancestors(federation.path)
        deliverable = models.Q(areas__isnull=True) | models.Q(areas__path__in=above)
        return self.filter(
            status=ItemStatus.ACTIVE,
            pk__in=MenuPublication.objects.filter(
                federation__path__in=above, status=PublicationStatus.PUBLISHED
            ).values("item_id"),
        ).filter(pk__in=self.model.objects.filter(deliverable).values("pk"))

    def qualified_for(self, order):
        """Items that may claim a request: of its domain, on the menu where it is needed."""
        return self.published_for(order.federation).filter(domain_id=order.domain_id)


class MenuItem(models.Model):
    """A concrete service an organization offers (服务菜单项)."""

    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="menu_items",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        "orgs.ServiceDomain", verbose_name=_("service domain"), on_delete=models.PROTECT
    )
    target_groups = models.ManyToManyField(
        "orgs.TargetGroup", verbose_name=_("target groups"), blank=True
    )
    format = models.CharField(_("format"), max_length=16, choices=ServiceFormat.choices)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1)]
    )
    capacity_per_session = models.PositiveIntegerField(
        _("capacity per session"), validators=[MinValueValidator(1)]
    )
    sessions_per_month = models.PositiveIntegerField(
        _("sessions per month"), validators=[MinValueValidator(1)]
    )
    unit_cost = models.DecimalField(
        _("cost per session (CNY)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    eligibility = models.CharField(_("eligibility"), max_length=200, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    areas = models.ManyToManyField(
        "federation.Federation",
        verbose_name=_("where it can be delivered"),
        blank=True,
        related_name="deliverable_items",
    )
    availability = models.CharField(_("when it can be delivered"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs it answers"), blank=True, related_name="menu_items"
    )
    # Private like every upload: served by a view that checks who may see the item.
    photo = PolicyFileField(
        _("photo"), upload_to="menu/items/%Y/%m/", blank=True, policy=PHOTOS.name
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MenuItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The maximum age is below the minimum age.")})


class MenuPublication(models.Model):
    """An item on a federation's menu, once that federation approves it."""

    item = models.ForeignKey(
        MenuItem, verbose_name=_("menu item"), on_delete=models.CASCADE, related_name="publications"
    )
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="menu_publications",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("menu publication")
        verbose_name_plural = _("menu publications")
        constraints = [
            models.UniqueConstraint(fields=["item", "federation"], name="publication_unique")
        ]

    def __str__(self):
        return f"{self.item} @ {self.federation}"


class OrderQuerySet(ScopedQuerySet):
    """The ordering federation's subtree sees an order, and so does a federation it was
    dispatched down to; an organization sees its orders and the requests it may claim."""

    scope_path = "federation__path"

    def scope_filter(self, user):
        scope = user_scope(user)
        return (
            self.in_area_q(scope.federation_paths)
            | models.Q(organization_id__in=scope.organization_ids)
            | self.claimable_q(scope.organization_ids)
        )

    @staticmethod
    def in_area_q(paths) -> models.Q:
        """Ordered in her area or dispatched into it. Below a province, her area's federations
        once, as an array on the order's own two columns (two index scans): an OR of the two
        joined paths made PostgreSQL join every order of the province first. A province's or
        the nation's area holds most orders: the newest are hers, read down the orders' index."""
        if reaches_a_province(paths):
            return paths_q("federation__path", paths) | paths_q("handler__path", paths)
        area = area_ids(paths)
        return models.Q(EqualsAny("federation_id", area)) | models.Q(EqualsAny("handler_id", area))

    def claimable_by(self, user):
        return self.filter(self.claimable_q(user_scope(user).organization_ids))

    @staticmethod
    def claimable_q(organization_ids) -> models.Q:
        """Open requests matching the domain and menu area of one of these organizations' items
        (the same rule as MenuItem.objects.qualified_for, read from the item's side)."""
        claimable = models.Q(pk__in=[])
        if not organization_ids:
            return claimable
        items = MenuItem.objects.filter(
            organization_id__in=organization_ids, status=ItemStatus.ACTIVE
        ).prefetch_related(
            models.Prefetch(
                "publications",
                queryset=MenuPublication.objects.filter(
                    status=PublicationStatus.PUBLISHED
                ).select_related("federation"),
            ),
            "areas",
        )
        for item in items:
            for publication in item.publications.all():
                where = subtree_q("federation__path", publication.federation)
                areas = paths_q("federation__path", [area.path for area in item.areas.all()])
                claimable |= (
                    models.Q(domain_id=item.domain_id)
                    & where
                    & (areas if item.areas.all() else models.Q())
                )
        return models.Q(status=OrderStatus.OPEN) & claimable


class ServiceOrder(models.Model):
    """A federation's order (点单) of a published item for a place and a date window — or a
    service request without an item, dispatched (派单) or opened for claiming (抢单) until an
    organization takes it with one of its items; from then on it is an order like any other."""

    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("ordering federation"),
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=OrderChannel.choices, default=OrderChannel.ORDER
    )
    title = models.CharField(_("service asked for"), max_length=200)
    domain = models.ForeignKey(
        "orgs.ServiceDomain", verbose_name=_("service domain"), on_delete=models.PROTECT
    )
    target_group = models.ForeignKey(
        "orgs.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs it answers"), blank=True, related_name="service_orders"
    )
    handler = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("dispatched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_service_orders",
        help_text=_("The federation that decides who delivers a request."),
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
    )
    item = models.ForeignKey(
        MenuItem,
        verbose_name=_("menu item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    venue = models.ForeignKey(
        "federation.Venue",
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
    )
    window_start = models.DateField(pgettext_lazy("date window", "from"))
    window_end = models.DateField(pgettext_lazy("date window", "until"))
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), validators=[MinValueValidator(1)]
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("charged to project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
    )
    cost = models.DecimalField(_("cost (CNY)"), default=Decimal("0"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.REQUESTED
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    actual_participants = models.PositiveIntegerField(
        _("actual participants"), null=True, blank=True
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("feedback"), blank=True)
    activity = models.OneToOneField(
        "projects.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_order",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["item", "status", "window_start"]),
            models.Index(fields=["status", "domain"]),
        ]

    def __str__(self):
        return f"{self.title} → {self.federation}"

    def get_absolute_url(self):
        return reverse("menu-order", args=[self.pk])

    @property
    def public_rating(self):
        """The average of the ratings given on rating cards, and how many there are."""
        return self.rating_cards.filter(rating__isnull=False).aggregate(
            average=models.Avg("rating"), count=models.Count("pk")
        )


class OrderPhotoQuerySet(ScopedQuerySet):
    """A photo is seen by whoever sees its order."""

    def scope_filter(self, user):
        orders = ServiceOrder.objects.all()
        return models.Q(order__in=orders.filter(orders.scope_filter(user)).values("pk"))


class OrderPhoto(models.Model):
    """A photo of a delivered service (private, like every upload)."""

    order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    file = PolicyFileField(_("file"), upload_to="menu/orders/%Y/%m/", policy=PHOTOS.name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = OrderPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class RatingCard(models.Model):
    """A one-use code, printed as a QR code, with which a participant rates a delivered
    service without an account (评单)."""

    order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        on_delete=models.CASCADE,
        related_name="rating_cards",
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("feedback"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating card")
        verbose_name_plural = _("rating cards")
        ordering = ["pk"]

    def __str__(self):
        return self.code

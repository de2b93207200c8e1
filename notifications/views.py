from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications.services import notification_mark_read


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Her notice, opened: marked read, and on to what it is about."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    unread = request.user.notifications.filter(read_at__isnull=True).values_list("pk", flat=True)
    notification_mark_read(user=request.user, notification_ids=list(unread))
    return redirect("notifications")

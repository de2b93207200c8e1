from django import template

from dashboards.workbench import workbench

register = template.Library()

LATEST_NOTICES = 5


@register.inclusion_tag("dashboards/_workbench.html", takes_context=True)
def workbench_panel(context):
    """The workbench (工作台) on the admin's index and the portal's home."""
    user = context["request"].user
    return {
        "work": workbench(user),
        "notices": user.notifications.all()[:LATEST_NOTICES],
    }

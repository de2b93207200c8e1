"""Every spreadsheet the platform writes treats a cell as text, never as a formula.

A name such as `=HYPERLINK("http://…","…")` typed into a record would otherwise run when a
colleague opens the export in Excel, LibreOffice or WPS. The case export, the dashboard export
and every django-import-export resource go through `neutralised`.
"""

from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets

# A cell starting with one of these is a formula to Excel, LibreOffice and WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """Text that a spreadsheet would run as a formula is written as text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised_row(values) -> list:
    return [neutralised(value) for value in values]


class FormulaSafeResource(resources.ModelResource):
    """The base of every import-export resource: each exported cell is neutralised.

    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (settings) only strips a leading "=", so
    resources do not rely on it alone."""

    def export_field(self, field, instance, **kwargs):
        return neutralised(super().export_field(field, instance, **kwargs))


class YesNoWidget(widgets.BooleanWidget):
    """是 / 否 in the sheet, and read back (with 1/0 and true/false, as the package reads)."""

    def clean(self, value, row=None, **kwargs):
        if value in ("是", "否"):
            return value == "是"
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(_("yes") if value else _("no"))

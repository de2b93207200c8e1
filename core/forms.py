class BootstrapFormMixin:
    """Gives every widget Bootstrap's class, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self):
        """Call again after adding fields."""
        style_widgets(self.fields.values())


def style_widgets(fields):
    """Bootstrap's class on each widget (for forms we do not define, e.g. a filterset's)."""
    for field in fields:
        input_type = getattr(field.widget, "input_type", "")
        css = {"select": "form-select", "checkbox": "form-check-input", "radio": "form-check-input"}
        field.widget.attrs.setdefault("class", css.get(input_type, "form-control"))

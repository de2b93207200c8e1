class BootstrapFormMixin:
    """Gives every widget Bootstrap's class, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self):
        """Call again after adding fields."""
        for field in self.fields.values():
            input_type = getattr(field.widget, "input_type", "")
            css = {"select": "form-select", "checkbox": "form-check-input"}.get(
                input_type, "form-control"
            )
            field.widget.attrs.setdefault("class", css)

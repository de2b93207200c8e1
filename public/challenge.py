"""A simple question after repeated posts from one address (a household's, a village office's
phone may post a few; a script posting many meets a question it must answer each time).

The question is two small numbers to add; what they are travels signed in the form, so no state
is kept between showing the question and checking the answer."""

import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Posts an hour from one address before the question is asked.
FREE_POSTS = 5
SALT = "public.challenge"
ANSWER_MINUTES = 10


def posts_key(request) -> str:
    return f"public-posts:{request.META.get('REMOTE_ADDR', '')}"


def count_post(request) -> None:
    key = posts_key(request)
    cache.add(key, 0, timeout=3600)
    cache.incr(key)


def is_challenged(request) -> bool:
    return (cache.get(posts_key(request)) or 0) >= FREE_POSTS


class ChallengeMixin:
    """A form that asks the question when `challenged`: `challenge` (hidden, signed numbers)
    and `answer`."""

    def __init__(self, *args, challenged=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not challenged:
            return
        posted = self.data.get("challenge") if self.is_bound else None
        numbers = numbers_of(posted) or (secrets.randbelow(9) + 1, secrets.randbelow(9) + 1)
        self.fields["challenge"] = forms.CharField(widget=forms.HiddenInput)
        self.initial["challenge"] = signing.dumps(numbers, salt=SALT)
        self.fields["answer"] = forms.IntegerField(
            label=_("To go on, add these: %(a)s + %(b)s = ?") % {"a": numbers[0], "b": numbers[1]},
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
        )

    def clean(self):
        cleaned = super().clean()
        if "answer" in self.fields and "answer" in cleaned:
            numbers = numbers_of(cleaned.get("challenge"))
            if numbers is None or cleaned["answer"] != sum(numbers):
                self.add_error("answer", WRONG)
        return cleaned


WRONG = gettext_lazy("That is not the sum. Please try again.")


def numbers_of(token):
    if not token:
        return None
    try:
        return tuple(signing.loads(token, salt=SALT, max_age=ANSWER_MINUTES * 60))
    except signing.BadSignature:
        return None

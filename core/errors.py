"""Errors that services raise, each with a message fit to show the user (translated)."""

from rest_framework import status


class ServiceError(Exception):
    """A refused request: bad input for the current state of things."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    """The user may see the record but her role does not allow this step."""

    status_code = status.HTTP_403_FORBIDDEN


class InvalidTransition(ServiceError):
    """The record's state does not allow this step (perhaps someone else moved it first)."""

    status_code = status.HTTP_409_CONFLICT


class TooManyRequests(ServiceError):
    """Asked too often (a sign-in code, a public form): wait and try again."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS

"""OpenAPI schema generation (drf-spectacular), kept apart from core.api.

DRF imports the pagination class from core.api while it is still loading its
generics; drf-spectacular imports those generics, so the two cannot share a module.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from core.api import ErrorSerializer

FIELD_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Bad input: {field: [messages]} or {detail: message}, translated.",
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error responses every operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.possible_error_codes():
            if code not in responses:
                body = FIELD_ERRORS if code == "400" else ErrorSerializer
                responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses

    def possible_error_codes(self) -> list[str]:
        codes = ["400"] if self.method in {"POST", "PUT", "PATCH"} or self._is_list_view() else []
        if self.view.permission_classes:
            codes += ["401", "403"]
        if self.method != "POST" or "{" in self.path:
            codes.append("404")
        if self.method in {"POST", "PATCH", "PUT"} and "{" in self.path:
            codes.append("409")  # the record's state does not allow this step
        return codes

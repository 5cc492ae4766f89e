"""The OpenAPI schema's description of the Bearer token (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "個人の API トークン（Authorization: Bearer tk_…）",
        }


def empty_means_absent(result, generator, request, public):
    """Every optional query parameter may be sent empty (``?office=&from=``, as a spreadsheet
    builds its URL): the API reads an empty value as no filter, as the pages do."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result

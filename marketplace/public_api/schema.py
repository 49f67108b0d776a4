"""OpenAPI: the public API's optional partner key (``X-Api-Key``)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "marketplace.public_api.auth.ApiKeyAuthentication"
    name = "clePartenaire"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "X-Api-Key",
            "description": "Facultative : la clé que la ville donne à un partenaire (débit plus élevé). "
            "Sans clé, le débit est limité par adresse IP.",
        }

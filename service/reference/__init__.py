"""The API reference: the OpenAPI description, its local Swagger UI page, and the front page."""

"""The OpenAPI description: bearer security, local pages, strict request schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from service.reference.document import DescribedJson
from service.reference.pages import SCHEMA, LocalSwagger

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Schema
    from litestar.typing import FieldDefinition

BEARER = "bearer"


class StrictStructs(StructSchemaPlugin):
    """msgspec structs, with `additionalProperties: false` where unknown fields are refused."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        config = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(config, msgspec.inspect.StructType) and config.forbid_unknown_fields:
            schema.additional_properties = False
        return schema


def openapi_config(description: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="jiaogongti 教共体台账",
        version="1",
        description=description,
        path=SCHEMA,
        # No Elements, RapiDoc or Redoc: Litestar's load their files from CDNs.
        render_plugins=[LocalSwagger(), DescribedJson()],
        create_examples=False,
        use_handler_docstrings=True,
        security=[{BEARER: []}],
        components=Components(
            security_schemes={
                BEARER: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="jgt_…",
                    description="A county's token (`jgt token create`, `POST /v1/tokens`) or"
                    " the platform operator's.",
                )
            }
        ),
    )

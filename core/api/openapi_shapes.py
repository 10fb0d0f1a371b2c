"""JSON Schemas of what the three dialects answer (``core.api.openapi`` attaches them).

Each mirrors a representation function (``*/api/representations.py``,
``checkout/api/cart_representations.py``, ``partners/api.py``); the schemathesis run in the
test suite checks every answer a live server gives against them, so a drift either way fails.
"""


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": "Display units"}
BOOL = {"type": "boolean"}
OBJECT = {"type": "object"}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$"}
RATE = {"type": "number", "description": "Percent (10 for 10 %)"}


def obj(properties: dict, *, optional: tuple[str, ...] = (), closed: bool = False) -> dict:
    """An object whose properties are all required except ``optional``."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


def ok(data: dict) -> dict:
    """The actions API's success envelope."""
    return obj(
        {"data": data, "warnings": {"type": "array", "items": ref("Warning")}},
        optional=("warnings",),
    )


ACTION_ERROR = obj(
    {
        "data": {"type": "null"},
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": obj({"message": STRING, "layer": STRING}),
        },
    }
)
CART_ERROR = obj(
    {
        "error": obj(
            {"status": {"type": "integer"}, "code": STRING, "message": STRING},
        )
    }
)
WARNING = obj({"message": STRING, "layer": STRING, "aiHint": STRING}, optional=("aiHint",))
COMPONENTS = {"ActionError": ACTION_ERROR, "CartError": CART_ERROR, "Warning": WARNING}

"""Request and response models (Pydantic v2), one module per resource: the OpenAPI document is
generated from these."""

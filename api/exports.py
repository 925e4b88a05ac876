"""Exports of the register and list routes: the page a route answers, as CSV or XLSX instead of JSON.

One helper for every list: the route builds its JSON answer as always and hands it here with the
name of its rows. The format comes from `?format=csv|xlsx|json` or else the Accept header
(`text/csv`, the XLSX type); JSON stays the default. The columns are the JSON item's fields in
order, a nested object's fields as `object.field`, a list or free-form object as compact JSON
text. A page is a page: `limit` and `after` apply, and the next page's address is in a `Link`
header (`rel="next"`). Contact details (a field whose name ends in `contact`) never leave in an
export. Every answer carries `Cache-Control: no-store` (the middleware), exports included.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Literal, TypeVar, Union

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.openapi import LIST
from api.problems import ApiProblem

M = TypeVar("M", bound=BaseModel)
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["json", "csv", "xlsx"]
FormatQuery = Annotated[
    Format | None,
    Query(
        alias="format",
        description="`csv` or `xlsx` for a spreadsheet of this page's rows (same columns as the "
        "JSON items); default JSON, or what Accept asks for",
    ),
]
# The 200 answer's other media types, for `responses=` of an exportable list route.
EXPORT_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            CSV_TYPE: {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}
LIST_EXPORTS = LIST | EXPORT_CONTENT  # `responses=` of an exportable list route
# A cell a spreadsheet would run as a formula (CSV injection): kept as text with a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def wanted(request: Request, fmt: Format | None) -> Format:
    """`?format=` first, then the first of the Accept header's types that we serve."""
    if fmt is not None:
        return fmt
    for part in request.headers.get("accept", "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == CSV_TYPE:
            return "csv"
        if media == XLSX_TYPE:
            return "xlsx"
        if media in ("application/json", "*/*", "application/*"):
            return "json"
    return "json"


def exported(request: Request, result: M, rows: str, name: str, fmt: Format | None) -> M | Response:
    """The route's answer as it asked (`result` itself for JSON)."""
    chosen = wanted(request, fmt)
    if chosen == "json":
        return result
    items = getattr(result, rows) or []
    item_type = _item_type(type(result).model_fields[rows].annotation)
    columns = columns_of(item_type)
    table = [[_cell(_get(item.model_dump(mode="json"), c)) for c in columns] for item in items]
    headers = {"Content-Disposition": f'attachment; filename="{name}.{chosen}"'}
    following = getattr(result, "next", None)
    if following:
        headers["Link"] = f'<{request.url.include_query_params(after=following)}>; rel="next"'
    if chosen == "csv":
        return Response(_csv(columns, table), media_type=f"{CSV_TYPE}; charset=utf-8", headers=headers)
    return Response(_xlsx(name, columns, table), media_type=XLSX_TYPE, headers=headers)


def _item_type(annotation: Any) -> type[BaseModel]:
    for arg in _flat_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    raise ApiProblem.invalid("format", "this list cannot be exported")


def _flat_args(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin in (list, Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _flat_args(arg)
    else:
        yield annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an object field holds (`Model` or `Model | None`), not one inside a list."""
    if typing.get_origin(annotation) is list:
        return None
    for arg in _flat_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def columns_of(model: type[BaseModel]) -> list[str]:
    """The export's columns for rows of `model`: its fields, nested ones dotted; no contact."""
    return [c for c in _columns(model) if not c.endswith("contact")]


def _columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    out: list[str] = []
    for field_name, info in model.model_fields.items():
        key = info.alias or field_name
        inner = _model_in(info.annotation)
        if inner is not None:
            out += _columns(inner, f"{prefix}{key}.")
        else:
            out.append(prefix + key)
    return out


def _get(item: dict[str, Any], column: str) -> Any:
    value: Any = item
    for part in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(columns: list[str], table: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(columns)
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


def _xlsx(name: str, columns: list[str], table: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name[:31])  # Excel's limit on a sheet name
    sheet.append(columns)
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

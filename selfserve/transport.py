"""GraphQL over HTTP (the GraphQL-over-HTTP spec): POST and GET, `application/graphql-response+json`
and `application/json`, multipart uploads (the GraphQL multipart request spec), and typed errors for
every malformed request. Batched requests are refused."""

from __future__ import annotations

import json
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.types.graphql import OperationType as StrawberryOperationType

from core.http import BodyTooLarge, limited_request
from schema.errors import request_error_code
from schema.inputs import bad_text

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_UPLOAD_FILES = 10


class RequestError(Exception):
    """The HTTP request itself is unusable (4xx before any GraphQL execution)."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


def negotiate(accept: str | None) -> str:
    """The response media type for an `Accept` header (no header means legacy `application/json`)."""
    if not accept:
        return JSON
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media == GRAPHQL_RESPONSE:
            ranked.append((-quality, index, GRAPHQL_RESPONSE))
        elif media in (JSON, "application/*", "*/*"):
            # Wildcards get the legacy type: clients that send */* predate the new media type.
            ranked.append((-quality, index, JSON))
    if not ranked:
        raise RequestError(406, "NOT_ACCEPTABLE", f"can only answer {GRAPHQL_RESPONSE} or {JSON}")
    return sorted(ranked)[0][2]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes without reading it all (chunked or not)."""
    try:
        return await limited_request(request, limit).body()
    except BodyTooLarge:
        raise RequestError(413, "PAYLOAD_TOO_LARGE", f"request body over {limit} bytes") from None


class GraphQLJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate echoed in a message becomes U+FFFD instead of a
    UnicodeEncodeError (a 500)."""

    def render(self, content: Any) -> bytes:
        try:
            # orjson writes the same compact UTF-8 JSON several times faster; what it refuses (a
            # lone surrogate, an integer past 64 bits) takes the forgiving path below.
            return orjson.dumps(content)
        except (orjson.JSONEncodeError, TypeError):
            pass
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", errors="replace")


def _check_params(params: Any) -> dict[str, Any]:
    if isinstance(params, list):
        raise RequestError(400, "BATCH_NOT_SUPPORTED", "batched requests are not supported")
    if not isinstance(params, dict):
        raise RequestError(400, "BAD_REQUEST", "the body must be a JSON object")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "BAD_REQUEST", "`extensions` must be an object")
    document_id = params.get("documentId")
    if document_id is not None and not isinstance(document_id, str):
        raise RequestError(400, "BAD_REQUEST", "`documentId` must be a string")
    query = params.get("query")
    # A persisted document (selfserve/persisted.py) may come by hash alone: no query text.
    by_hash = query is None and (document_id is not None or "persistedQuery" in (extensions or {}))
    if not by_hash and (not isinstance(query, str) or not query.strip()):
        raise RequestError(400, "BAD_REQUEST", "`query` must be a non-empty string")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "BAD_REQUEST", "`variables` must be an object")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "BAD_REQUEST", "`operationName` must be a string")
    # Clients send "" for "no name"; it then selects the only operation, as null does.
    operation_name = operation_name or None
    return {
        "query": query,
        "variables": variables or {},
        "operation_name": operation_name,
        "extensions": extensions or {},
        "document_id": document_id,
    }


def _loads(text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RequestError(400, "BAD_REQUEST", f"{what} is not valid JSON") from None
    except RecursionError:
        # Nesting deeper than the interpreter's stack; anything shallower is bounded by the
        # input check (`schema.inputs`) before it reaches GraphQL coercion.
        raise RequestError(400, "BAD_REQUEST", f"{what} is nested too deeply") from None


def _set_path(variables: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    if not parts or parts[0] != "variables":
        raise RequestError(400, "BAD_REQUEST", f"multipart map path {path!r} must start with 'variables'")
    target: Any = variables
    for part in parts[1:-1]:
        key: Any = int(part) if part.isdigit() and isinstance(target, list) else part
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            raise RequestError(400, "BAD_REQUEST", f"multipart map path {path!r} does not exist") from None
    last: Any = parts[-1]
    if isinstance(target, list) and last.isdigit():
        last = int(last)
    try:
        target[last] = value
    except (IndexError, TypeError):
        raise RequestError(400, "BAD_REQUEST", f"multipart map path {path!r} does not exist") from None


async def read_form(request: Request, limit: int) -> FormData:
    """The multipart form, reading at most `limit` bytes whatever the framing. Parts spooled to
    temporary files are closed by the parser when reading fails; the caller closes the form."""
    try:
        return await limited_request(request, limit).form(
            max_files=MAX_UPLOAD_FILES, max_fields=20, max_part_size=100_000
        )
    except BodyTooLarge:
        raise RequestError(413, "PAYLOAD_TOO_LARGE", f"upload over {limit} bytes") from None
    except Exception as error:  # python-multipart and starlette raise several kinds
        raise RequestError(
            400, "BAD_REQUEST", f"unreadable multipart body ({error.__class__.__name__})"
        ) from None


def multipart_params(form: FormData) -> dict[str, Any]:
    """Operations, map and files of a GraphQL multipart request."""
    operations = form.get("operations")
    mapping = form.get("map")
    if not isinstance(operations, str) or not isinstance(mapping, str):
        raise RequestError(400, "BAD_REQUEST", "multipart requests need `operations` and `map` fields")
    params = _check_params(_loads(operations, "operations"))
    file_map = _loads(mapping, "map")
    if not isinstance(file_map, dict):
        raise RequestError(400, "BAD_REQUEST", "`map` must be an object")
    for name, paths in file_map.items():
        upload = form.get(name)
        if upload is None or isinstance(upload, str) or not isinstance(paths, list):
            raise RequestError(400, "BAD_REQUEST", f"file {name!r} is missing from the request")
        if bad_text(upload.filename or "") or bad_text(upload.content_type or ""):
            # The same rule as every text input (schema/inputs.py): file names are stored.
            raise RequestError(400, "INVALID_TEXT", "a file name holds NUL or an unpaired surrogate")
        for path in paths:
            if not isinstance(path, str):
                raise RequestError(400, "BAD_REQUEST", "map paths must be strings")
            _set_path(params["variables"], path, upload)
    return params


def is_multipart(request: Request) -> bool:
    """True for a multipart (upload) request."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "multipart/form-data"


async def post_params(request: Request, settings: Any, forms: list[FormData]) -> dict[str, Any]:
    """Request parameters of a POST by its content type; a multipart form read is appended to
    `forms` so the caller can close its temporary files when the request ends."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await read_form(request, settings.upload_max_bytes * 2)
        forms.append(form)
        return multipart_params(form)
    if content_type not in (JSON, "application/graphql+json", ""):
        raise RequestError(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json or multipart/form-data")
    body = await read_body(request, settings.max_body_bytes)
    return _check_params(_loads(body, "the body"))


def get_params(request: Request) -> dict[str, Any]:
    """Request parameters of a GET (query string)."""
    query = request.query_params.get("query")
    params: dict[str, Any] = {"query": query}
    if "variables" in request.query_params:
        params["variables"] = _loads(request.query_params["variables"], "`variables`")
    if "operationName" in request.query_params:
        params["operationName"] = request.query_params["operationName"]
    if "extensions" in request.query_params:
        params["extensions"] = _loads(request.query_params["extensions"], "`extensions`")
    if "documentId" in request.query_params:
        params["documentId"] = request.query_params["documentId"]
    return _check_params(params)


def error_response(error: RequestError, media_type: str) -> Response:
    """A request error as a GraphQL response body."""
    body = {"errors": [{"message": error.detail, "extensions": {"code": error.code}}]}
    return GraphQLJSONResponse(body, status_code=error.status, headers=error.headers, media_type=media_type)


def unavailable_response(message: str, retry_after: int, media_type: str, request_id: str) -> Response:
    """503 while a dependency is down: a GraphQL error body the client can read, `Retry-After`, and
    nothing that closes the keep-alive connection."""
    body = {
        "errors": [
            {"message": message, "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfter": retry_after}}
        ]
    }
    headers = {"Retry-After": str(retry_after), "X-Request-ID": request_id}
    return JSONResponse(body, status_code=503, headers=headers, media_type=f"{media_type}; charset=utf-8")


def _formatted(error: GraphQLError) -> dict[str, Any]:
    """The error as JSON; parse and validation errors get a code too (the schema's error shaping
    runs only once execution starts)."""
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = dict(formatted.get("extensions") or {})
    if "code" not in extensions:
        extensions["code"] = request_error_code(error)
        formatted["extensions"] = extensions
    return formatted


def is_request_error(result: Any) -> bool:
    """True when nothing executed: the document failed to parse or validate."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def result_response(result: Any, media_type: str) -> Response:
    """An execution result, with the status code the spec asks for that media type."""
    body: dict[str, Any] = {}
    errors = result.errors or []
    if errors:
        body["errors"] = [_formatted(error) for error in errors]
    status = 200
    if is_request_error(result):
        # Nothing executed: a parse or validation failure (the spec's "request error").
        if media_type == GRAPHQL_RESPONSE:
            status = 400
    else:
        body["data"] = result.data
    if result.extensions:
        body["extensions"] = result.extensions
    return GraphQLJSONResponse(body, status_code=status, media_type=f"{media_type}; charset=utf-8")


ALLOWED_ON_POST = {StrawberryOperationType.QUERY, StrawberryOperationType.MUTATION}
ALLOWED_ON_GET = {StrawberryOperationType.QUERY}

"""The Bot API as data (api.json): method lookup, decoding and type checks.

Bots post parameters as JSON, as a query string, or as form fields where
every non-string value is a JSON-encoded string (python-telegram-bot does
this). The field types in api.json tell how to read each value back, and
then each value is checked against its declared type, recursively for
objects, so a malformed call fails here as it would on api.telegram.org.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from emulator import markup
from emulator.errors import ApiError, bad_request
from emulator.files import UploadedFile

_INTEGER = re.compile(r"^-?\d+$")
# Telegram's own words for some missing fields; others read "<field> is empty".
_MISSING = {
    "text": "message text is empty",
    "photo": "there is no photo in the request",
    "document": "there is no document in the request",
    "voice": "there is no voice in the request",
    "callback_query_id": "QUERY_ID_INVALID",
}
# Rules stated in prose in the spec, checked after the generic type check.
_EXTRA_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "InlineKeyboardMarkup": markup.check_inline_keyboard,
    "ReplyKeyboardMarkup": markup.check_reply_keyboard,
}
_MARKUP_TYPES = {"InlineKeyboardMarkup", "ReplyKeyboardMarkup", "ReplyKeyboardRemove", "ForceReply"}


@dataclass(frozen=True)
class Field:
    """One parameter of a method or field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class MethodSpec:
    """One Bot API method: its canonical name and parameters."""

    name: str
    fields: dict[str, Field]
    returns: tuple[str, ...]


class _TypeMismatch(Exception):
    """A value does not fit a type; carries the reason for the error text."""


class Spec:
    """api.json, indexed for lookups and validation."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "")
        self.methods: dict[str, MethodSpec] = {}
        for name, body in data["methods"].items():
            fields = {f["name"]: _field(f) for f in body.get("fields", [])}
            self.methods[name.lower()] = MethodSpec(name, fields, tuple(body.get("returns", [])))
        self.types: dict[str, dict[str, Any]] = data["types"]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Spec:
        """The spec shipped beside this module (parsed once per process)."""
        text = resources.files("emulator").joinpath("api.json").read_text(encoding="utf-8")
        return cls(json.loads(text))

    def method(self, name: str) -> MethodSpec | None:
        """A method by name; Telegram treats method names case-insensitively."""
        return self.methods.get(name.lower())

    def decode(self, method: MethodSpec, raw: dict[str, Any]) -> dict[str, Any]:
        """Typed, checked parameters of a call, or a 400 ApiError.

        A text value where the field wants a number, boolean or object is
        read back from text, wherever it came from: forms carry nothing but
        text, and Telegram reads "123" or a JSON-encoded reply_markup inside
        a JSON body the same way. Unknown parameters are kept as they came.
        """
        params: dict[str, Any] = {}
        for name, value in raw.items():
            spec_field = method.fields.get(name)
            if spec_field is None or value is None:
                if value is not None:
                    params[name] = value
                continue
            if isinstance(value, str) and value.startswith("attach://"):
                value = raw.get(value[len("attach://") :], value)
            params[name] = self._decode_value(spec_field, value)
        for spec_field in method.fields.values():
            if spec_field.required and name_missing(params, spec_field.name):
                reason = _MISSING.get(spec_field.name, f"{spec_field.name} is empty")
                raise bad_request(reason)
        return params

    def _decode_value(self, spec_field: Field, value: Any) -> Any:
        types, name = spec_field.types, spec_field.name
        if isinstance(value, UploadedFile):
            if "InputFile" in types:
                return value
            raise bad_request(f'field "{name}" must be of type {_type_words(types)}')
        if isinstance(value, str):
            value = self._from_text(spec_field, value)
        reasons: list[tuple[str, str]] = []
        for type_name in types:
            try:
                return self.check(value, type_name)
            except _TypeMismatch as exc:
                reasons.append((type_name, str(exc)))
        if set(types) & _MARKUP_TYPES:
            kind = markup.markup_kind(value)
            if kind in types:
                try:
                    self.check(value, kind, strict=True)  # raises with the precise reason
                except _TypeMismatch as exc:
                    raise bad_request(f"can't parse {kind}: {exc}") from None
            raise bad_request("can't parse reply keyboard markup JSON object")
        for type_name, reason in reasons:
            # The value has the right shape, so say what is wrong inside it.
            is_array = type_name.startswith("Array of") and isinstance(value, list)
            if is_array or (type_name in self.types and isinstance(value, dict)):
                raise bad_request(f"can't parse {name}: {reason}")
        raise bad_request(f'field "{name}" must be of type {_type_words(types)}')

    def _from_text(self, spec_field: Field, text: str) -> Any:
        """Read a form value back: JSON for anything that is not plainly a String."""
        types = spec_field.types
        if types == ("String",) or (types == ("InputFile", "String")):
            return text
        if "Integer" in types and _INTEGER.match(text):
            return int(text)
        if "Boolean" in types and text.lower() in ("true", "false", "1", "0"):
            return text.lower() in ("true", "1")
        if "Float" in types:
            try:
                return float(text)
            except ValueError:
                pass
        if "String" in types:
            return text
        try:
            return json.loads(text)
        except ValueError:
            if set(types) & _MARKUP_TYPES:
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            if any(t.startswith("Array of") or t in self.types for t in types):
                raise bad_request(f"can't parse {spec_field.name} JSON object") from None
            return text  # left for the type check to refuse with the field's name

    def check(self, value: Any, type_name: str, strict: bool = False) -> Any:
        """Check `value` against a Bot API type; return it (numbers normalised).

        Raises _TypeMismatch, or with `strict` the ApiError of a keyboard rule.
        """
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise _TypeMismatch("an Array is expected")
            return [self.check(item, type_name[len("Array of ") :], strict) for item in value]
        checker = _PRIMITIVES.get(type_name)
        if checker is not None:
            return checker(value)
        if type_name == "KeyboardButton" and isinstance(value, str):
            return value  # reply keyboards still accept bare strings as buttons
        body = self.types.get(type_name)
        if body is None:
            return value  # a type api.json leaves undescribed: nothing to hold it to
        if not isinstance(value, dict):
            raise _TypeMismatch(f"{type_name} must be an Object")
        if body.get("subtypes"):
            return self._check_union(value, body["subtypes"], type_name)
        for sub in body.get("fields", []):
            name = sub["name"]
            if name not in value or value[name] is None:
                if sub["required"]:
                    raise _TypeMismatch(f'Field "{name}" must be present in {type_name}')
                continue
            for option in sub["types"]:
                try:
                    value[name] = self.check(value[name], option, strict)
                    break
                except _TypeMismatch:
                    continue
            else:
                raise _TypeMismatch(f'Field "{name}" must be of type {_type_words(sub["types"])}')
        extra = _EXTRA_CHECKS.get(type_name)
        if extra is not None:
            try:
                extra(value)
            except ApiError:
                if strict:
                    raise
                raise _TypeMismatch(f"{type_name} breaks a keyboard rule") from None
        return value

    def _check_union(self, value: dict[str, Any], subtypes: list[str], type_name: str) -> Any:
        for subtype in subtypes:
            try:
                return self.check(value, subtype)
            except _TypeMismatch:
                continue
        raise _TypeMismatch(f"{type_name} matches none of {', '.join(subtypes)}")


def name_missing(params: dict[str, Any], name: str) -> bool:
    """True when a parameter is absent or an empty string."""
    value = params.get(name)
    return value is None or value == ""


def _field(raw: dict[str, Any]) -> Field:
    return Field(raw["name"], tuple(raw["types"]), bool(raw.get("required")))


def _type_words(types: tuple[str, ...] | list[str]) -> str:
    return " or ".join(types)


def _integer(value: Any) -> int:
    # Telegram reads "123" as 123 wherever an Integer is expected.
    if isinstance(value, bool):
        raise _TypeMismatch("Integer expected")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    raise _TypeMismatch("Integer expected")


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _TypeMismatch("Float expected")
    try:
        return float(value)
    except ValueError:
        raise _TypeMismatch("Float expected") from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _TypeMismatch("Boolean expected")


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _TypeMismatch("String expected")


def _input_file(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return value
    raise _TypeMismatch("InputFile expected")


_PRIMITIVES: dict[str, Callable[[Any], Any]] = {
    "Integer": _integer,
    "Float": _float,
    "Boolean": _boolean,
    "String": _string,
    "InputFile": _input_file,
}

"""The rule catalog: YAML files in rules/, validated strictly, every error pointing into the file.

Rules are data; each picks one check kind (auditor/kinds.py), written once in Python.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .errors import ConfigError, first_to_fix
from .expr import ExprError, parse_expr, signed_terms
from .resources import rules_dir
from .yaml_lines import line_of_item

Severity = Literal["error", "warning", "info"]
KINDS = ("identity", "base_equals", "repeat", "percent_fraction", "percent_share", "percent_implied",
         "percent_range", "percent_partition", "breakdown_sum", "table_columns", "table_shape", "table_formula", "crossref", "same_sentence", "part_whole", "fraction_order", "rank", "count_list", "date_valid", "period_order",
         "reference_date", "numbering", "across_carry_over", "across_sum")
# kinds that compare reports kept in a --db store (auditor/across.py), not one report alone
ACROSS_KINDS = ("across_carry_over", "across_sum")


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vi: str
    en: str


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fail: str | None = None
    pass_: str | None = None

    def __init__(self, **data):
        if "pass" in data:
            data["pass_"] = data.pop("pass")
        super().__init__(**data)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    kind: Literal[KINDS]  # type: ignore[valid-type]
    severity: Severity
    message: Text
    why: Text
    examples: Examples = Examples()
    # identity
    lhs: str | None = None
    rhs: str | None = None
    optional: list[str] = []
    unless: list[str] = []  # the rule does not apply where one of these keys is stated
    derive: bool = False
    # base_equals
    key: str | None = None
    equals: list[str] = []
    # where the rule came from (filled by the loader)
    source: str = ""
    line: int = 0

    @field_validator("code")
    @classmethod
    def _code_shape(cls, v: str) -> str:
        if not (2 <= len(v) <= 12 and v[:2].isalpha() and v[:2].isupper() and v[2:].isalnum()):
            raise ValueError("mã luật phải có dạng hai chữ hoa và số, ví dụ AR001")
        return v

    @model_validator(mode="after")
    def _kind_fields(self) -> "Rule":
        if self.kind == "identity":
            if not self.lhs or not self.rhs:
                raise ValueError("luật identity cần 'lhs' và 'rhs'")
            try:
                terms = signed_terms(parse_expr(self.rhs))
            except ExprError as exc:
                raise ValueError(str(exc)) from None
            names = {n for _, n in terms}
            unknown = [o for o in self.optional if o not in names]
            if unknown:
                raise ValueError(f"'optional' nêu khóa không có trong rhs: {', '.join(unknown)}")
        if self.kind == "base_equals" and (not self.key or not self.equals):
            raise ValueError("luật base_equals cần 'key' và 'equals'")
        return self

    def rhs_terms(self) -> list[tuple[int, str]]:
        return signed_terms(parse_expr(self.rhs or ""))


class KeyName(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vi: str
    en: str


# libyaml's safe loader when the machine has it (ten times faster to start), else the pure-Python one
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loading (no Python tags) that remembers the line of each rule mapping."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _strip_lines(obj):
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


def _load_yaml(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: YAML không hợp lệ: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được: {exc}") from None


class Catalog:
    def __init__(self, rules: list[Rule], keys: dict[str, KeyName]):
        self.rules = rules
        self.keys = keys
        self.by_code = {r.code: r for r in rules}

    def key_name(self, key: str, lang: str) -> str:
        name = self.keys.get(key)
        return getattr(name, lang) if name else key


def _rules_from(path: Path, data) -> list[Rule]:
    if data is None:
        return []
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        line = data.get("__line__", 1) if isinstance(data, dict) else 1
        raise ConfigError(f"{path}:{line}: cần một danh sách luật ('rules: [...]')")
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            steps = (("rules",) if isinstance(data, dict) else ()) + (index,)
            raise ConfigError(f"{path}:{line_of_item(path, *steps)}: mỗi luật phải là một ánh xạ (mapping)")
        line = item.get("__line__", 0)
        try:
            rule = Rule.model_validate(_strip_lines(item))
        except ValidationError as exc:
            err = first_to_fix(exc.errors())
            loc = ".".join(str(x) for x in err["loc"]) or "luật"
            field_line = line
            if err["loc"] and isinstance(item.get(err["loc"][0]), dict):
                field_line = item[err["loc"][0]].get("__line__", line)
            raise ConfigError(f"{path}:{field_line}: luật {item.get('code', '?')}: {loc}: {err['msg']}") from None
        rule.source, rule.line = str(path), line
        out.append(rule)
    return out


def _files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if target.is_file():
        return [target]
    raise ConfigError(f"{target}: không có tệp hay thư mục luật này")


def load_catalog(extra: list[Path] | None = None) -> Catalog:
    rules: list[Rule] = []
    keys: dict[str, KeyName] = {}
    for path in _files(rules_dir()) + [f for t in (extra or []) for f in _files(t)]:
        data = _load_yaml(path)
        if isinstance(data, dict) and "keys" in data:
            if not isinstance(data["keys"], dict):
                raise ConfigError(f"{path}:{line_of_item(path, 'keys')}: 'keys' phải là một ánh xạ")
            for k, v in _strip_lines(data["keys"]).items():
                try:
                    keys[k] = KeyName.model_validate(v)
                except ValidationError as exc:
                    raise ConfigError(f"{path}:{line_of_item(path, 'keys', k)}: keys.{k}: {first_to_fix(exc.errors())['msg']}") from None
            if "rules" not in data:
                continue
        for rule in _rules_from(path, data):
            if any(r.code == rule.code for r in rules):
                first = next(r for r in rules if r.code == rule.code)
                raise ConfigError(f"{path}:{rule.line}: mã luật {rule.code} trùng với {first.source}:{first.line}")
            rules.append(rule)
    return Catalog(rules, keys)

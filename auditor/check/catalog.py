"""The rule catalog: YAML files in rules/, validated strictly, every error pointing into the file.

Rules are data: each picks one check kind (auditor/check/kinds), whose typed spec validates its
fields. A misspelt kind, an unknown fact key (checked against the lexicon), a message slot the
kind does not fill, a duplicate code: each is refused with its file and line.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ..build_cache import built
from ..errors import ConfigError, first_to_fix
from ..lexicon import default_lexicon
from ..resources import grammar_path, rules_dir
from ..yaml_lines import line_of_item
from .kinds import KINDS, Rule


@lru_cache(maxsize=1)
def _rule_adapter() -> TypeAdapter:
    # built when a rule file is validated, not at import: a start that reads the kept catalog needs none
    return TypeAdapter(Rule)


class KeyName(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    vi: str
    en: str


# libyaml's safe loader when the machine has it (ten times faster to start), else the pure-Python one
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loading (no Python tags) that remembers the line of each mapping."""


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
    def __init__(self, rules: list, keys: dict[str, KeyName]):
        self.rules = rules
        self.keys = keys
        self.by_code = {r.code: r for r in rules}

    def key_name(self, key: str, lang: str) -> str:
        name = self.keys.get(key)
        return getattr(name, lang) if name else key


def known_keys() -> set[str]:
    """Fact keys extraction can produce: the lexicon's labels, the bases they name, the rates' keys."""
    lex = default_lexicon()
    keys = set(lex.keys)
    for lab in lex.labels:
        if lab.base:
            keys.add(lab.base)
    for spec, _ in lex.rates:
        keys.update((spec.numerator, spec.denominator))
    return keys


def _slot_errors(rule) -> tuple[str, list[str]]:
    """The first template (message, then passed) that uses a slot its kind does not fill, and those slots."""
    slots = set(KINDS[rule.kind].SLOTS) | {"arithmetic"}
    for name in ("message", "passed"):
        text = getattr(rule, name)
        if text is None:
            continue
        bad: list[str] = []
        for template in (text.vi, text.en):
            try:
                fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            except ValueError as exc:
                bad.append(f"mẫu thông báo hỏng ({exc})")
                continue
            bad += [f"{{{f}}}" for f in sorted(fields - slots)]
        if bad:
            return name, list(dict.fromkeys(bad))
    return "", []


def _rules_from(path: Path, data, keys: set[str]) -> list:
    if data is None:
        return []
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        line = data.get("__line__", 1) if isinstance(data, dict) else 1
        raise ConfigError(f"{path}:{line}: cần một danh sách luật ('rules: [...]')")
    out = []
    steps = ("rules",) if isinstance(data, dict) else ()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ConfigError(f"{path}:{line_of_item(path, *steps, index)}: mỗi luật phải là một ánh xạ (mapping)")
        line = item.get("__line__", 0)
        code = item.get("code", "?")

        def key_line(*loc) -> int:
            """The line of one of this rule's keys (or of a key under it); the rule's own line when
            the key is not there."""
            found, node = [], item
            for step in loc:
                if not (isinstance(node, dict) and step in node):
                    break
                found.append(step)
                node = node[step]
            return line_of_item(path, *steps, index, *found) if found else line

        try:
            rule = _rule_adapter().validate_python(_strip_lines(item))
        except ValidationError as exc:
            err = first_to_fix(exc.errors())
            fields = [x for x in err["loc"] if not (isinstance(x, str) and x in KINDS)]
            where = ".".join(map(str, fields))
            msg = err["msg"].removeprefix("Value error, ")
            if err.get("type") == "union_tag_invalid":
                fields, where = ["kind"], "kind"
                msg = f"loại kiểm tra '{item.get('kind')}' không có; các loại: {', '.join(KINDS)}"
            elif err.get("type") == "union_tag_not_found":
                fields, where = [], "kind"
                msg = f"thiếu loại kiểm tra; các loại: {', '.join(KINDS)}"
            elif not fields:
                # a check across fields (a spec's validator): point at the field it names or quotes
                named = _field_named(item, msg)
                fields = [named] if named else []
            field_line = key_line(*fields)
            where = f"{where}: " if where else ""
            raise ConfigError(f"{path}:{field_line}: luật {code}: {where}{msg}") from None
        unknown = [k for k in rule.keys() if k not in keys]
        if unknown:
            field = next((f for f, v in item.items() if f != "__line__" and _names_key(v, unknown[0])), None)
            raise ConfigError(f"{path}:{key_line(field) if field else line}: luật {code}: khóa số liệu không có "
                              f"trong từ vựng: {', '.join(unknown)} (xem grammars/lexicon.yaml)")
        field, bad = _slot_errors(rule)
        if bad:
            slots = ", ".join("{" + s + "}" for s in (*KINDS[rule.kind].SLOTS, "arithmetic"))
            raise ConfigError(f"{path}:{key_line(field)}: luật {code}: {field}: thông báo dùng chỗ trống "
                              f"không có: {', '.join(bad)} (loại {rule.kind} có: {slots})")
        rule.source, rule.line = str(path), line
        out.append(rule)
    return out


def _field_named(item: dict, msg: str) -> str | None:
    """The field a whole-rule error speaks of: one it names ('optional'), else one whose value it quotes."""
    fields = [f for f in item if f != "__line__"]
    named = next((f for f in fields if f"'{f}'" in msg), None)
    return named or next((f for f in fields if isinstance(item[f], str) and f"'{item[f]}'" in msg), None)


def _names_key(value, key: str) -> bool:
    """Whether a rule field's value names the fact key: a key, a list of keys, an expression of keys."""
    if isinstance(value, list):
        return any(_names_key(v, key) for v in value)
    return isinstance(value, str) and key in re.split(r"[^\w.%]+", value)


def _files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if target.is_file():
        return [target]
    raise ConfigError(f"{target}: không có tệp hay thư mục luật này")


def load_catalog(extra: list[Path] | None = None) -> Catalog:
    """The bundled rules (kept between runs, like the lexicon: auditor/build_cache.py), then the user's."""
    bundled = _files(rules_dir())
    rules, names = built("catalog", bundled + [grammar_path("lexicon.yaml")], lambda: _read_rules(bundled, [], {}))
    extras = [f for t in (extra or []) for f in _files(t)]
    if extras:
        rules, names = _read_rules(extras, list(rules), dict(names))
    return Catalog(rules, names)


def _read_rules(paths: list[Path], rules: list, names: dict[str, KeyName]) -> tuple[list, dict[str, KeyName]]:
    keys = known_keys()
    for path in paths:
        data = _load_yaml(path)
        if isinstance(data, dict) and "keys" in data:
            if not isinstance(data["keys"], dict):
                raise ConfigError(f"{path}:{line_of_item(path, 'keys')}: 'keys' phải là một ánh xạ")
            for k, v in _strip_lines(data["keys"]).items():
                try:
                    names[k] = KeyName.model_validate(v)
                except ValidationError as exc:
                    raise ConfigError(f"{path}:{line_of_item(path, 'keys', k)}: keys.{k}: {first_to_fix(exc.errors())['msg']}") from None
            if "rules" not in data:
                continue
        for rule in _rules_from(path, data, keys):
            if rule.code in {r.code for r in rules}:
                first = next(r for r in rules if r.code == rule.code)
                raise ConfigError(f"{path}:{rule.line}: mã luật {rule.code} trùng với {first.source}:{first.line}")
            rules.append(rule)
    return rules, names

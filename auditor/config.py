"""`.tthc-audit.yaml`: select/ignore, severity overrides, extra rule files, language.

Found by walking up from the report's folder; command-line flags win over it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfigError, first_to_fix
from .yaml_lines import line_of_item

CONFIG_NAME = ".tthc-audit.yaml"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    select: list[str] = []
    ignore: list[str] = []
    severity: dict[str, Literal["error", "warning", "info"]] = {}
    rules: list[Path] = []
    lang: Literal["vi", "en"] | None = None


def find_config(start: Path) -> Path | None:
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: YAML không hợp lệ: {getattr(exc, 'problem', exc)}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: không đọc được: {exc.strerror}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: cấu hình phải là một ánh xạ (select, ignore, severity, rules, lang)")
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        e = first_to_fix(exc.errors())
        key = str(e["loc"][0]) if e["loc"] else "?"
        line = line_of_item(path, key)
        raise ConfigError(f"{path}:{line}: {'.'.join(str(x) for x in e['loc'])}: {e['msg']}") from None
    config.select = [s.upper() for s in config.select]
    config.ignore = [s.upper() for s in config.ignore]
    config.severity = {code.upper(): level for code, level in config.severity.items()}
    config.rules = [(path.parent / r) for r in config.rules]
    return config

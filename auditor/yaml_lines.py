"""Where an entry sits in a YAML file, for error messages: the file is read again only on that path."""
from __future__ import annotations

from pathlib import Path

import yaml


def _tree(path: Path):
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def line_of_item(path: Path, *where: object) -> int:
    """1-based line of the entry at `where` (mapping keys, sequence indexes): the line of its key
    in a mapping, of the item in a sequence; 1 when the file cannot be walked that far."""
    try:
        node = _tree(path)
        line = node.start_mark.line
        for step in where:
            if isinstance(node, yaml.MappingNode):
                key, node = next((k, v) for k, v in node.value if k.value == str(step))
                line = key.start_mark.line
            else:
                node = node.value[int(step)]  # type: ignore[arg-type]
                line = node.start_mark.line
        return line + 1
    except Exception:  # noqa: BLE001 - the file was already parsed once; this is only a better pointer
        return 1


def line_of_scalar(path: Path, value: str) -> int:
    """1-based line of the first scalar whose value is `value` (a lexicon pattern), or 1."""
    try:
        todo = [_tree(path)]
        while todo:
            node = todo.pop(0)
            if isinstance(node, yaml.ScalarNode):
                if node.value == value:
                    return node.start_mark.line + 1
            elif isinstance(node, yaml.MappingNode):
                todo[:0] = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                todo[:0] = list(node.value)
    except Exception:  # noqa: BLE001
        pass
    return 1

"""The tokens a standards file knows: its rules' own, and its `vocabulary` section.

A case record's token (a role, an agency, a tool...) that neither lists is
most often a typo (`schol_nurse`) or a local word the standards have not been
told of; either way a rule may miss it, so the run warns (`case.warnings`).
The `vocabulary` section lists, by category, the tokens that are known but
that no rule names: an agency, a method, a need the rules do not look for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from cp_audit.case.values import Token

if TYPE_CHECKING:
    from cp_audit.standards.spec import Standards

CATEGORIES = (
    "roles", "agencies", "methods", "tools", "needs", "flags", "referral_sources",
    "outcomes", "kinds",
)


class Vocabulary(BaseModel):
    """The standards' `vocabulary` section: known tokens by category."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: tuple[Token, ...] = ()
    agencies: tuple[Token, ...] = ()
    methods: tuple[Token, ...] = ()
    tools: tuple[Token, ...] = ()
    needs: tuple[Token, ...] = ()
    flags: tuple[Token, ...] = ()
    referral_sources: tuple[Token, ...] = ()
    outcomes: tuple[Token, ...] = ()
    kinds: tuple[Token, ...] = ()


@dataclass(frozen=True)
class KnownTokens:
    """Every token of the rules (any category), and the vocabulary's by category."""

    rules: frozenset[str]
    by_category: dict[str, frozenset[str]]

    def knows(self, category: str, token: str) -> bool:
        return token in self.rules or token in self.by_category.get(category, frozenset())

    def choices(self, category: str) -> tuple[list[str], list[str]]:
        """What a did-you-mean picks from: the category's words, else the rules'."""
        return sorted(self.by_category.get(category, ())), sorted(self.rules)


def known_tokens(standards: Standards) -> KnownTokens:
    """The rules' options as validated (their defaults included), role groups, fathers."""
    spec = standards.spec
    rules: set[str] = set(spec.father_relationships)
    for members in spec.role_groups.values():
        rules.update(members)
    for rule in standards.rules:
        for value in rule.options.model_dump().values():  # the values, not the option names
            rules.update(_strings(value))
    vocabulary = spec.vocabulary
    return KnownTokens(
        frozenset(rules),
        {name: frozenset(getattr(vocabulary, name)) for name in CATEGORIES},
    )


def _strings(value: Any) -> Iterator[str]:
    """Every string in an option's value, keys of mappings included (`needs_to_tools`)."""
    if isinstance(value, str):
        if not value.startswith("@"):  # a role group: its members are counted already
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)

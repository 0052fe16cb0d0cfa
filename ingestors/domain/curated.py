"""The curated registry: what no API gives, kept as YAML in the repository.

One file per organisation under ``warehouse/registry/organizations/<id>.yaml``. Each
file records the organisation's type, headquarters, website and identifiers,
its layers in the value chain with the evidence for each, its dependencies on
other organisations, data-center capacity announcements, GPU deployments and
funding rounds.
Every fact carries a source: the URL (http or https) of a public page that
states it and the date of that page, optionally the publication's name; and,
where it applies, a confidence (reported, estimated, claimed). A fact without
both a URL and a date is refused. ``presence`` lists the countries where the
organisation operates (headquarters, office, facility, cloud region, cable
landing, cluster), each with its evidence: presence, not headquarters, is
where capacity sits.

``cadena registry check`` validates every file and prints errors that name the
file, the line and the field. The source ``curated_registry`` loads the files
as raw tables like any other source.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingestors.core.config import REPO_ROOT
from ingestors.core.iso import CURRENCIES
from ingestors.domain.countries import ISO3166_ALPHA2

log = logging.getLogger(__name__)

REGISTRY_DIR = REPO_ROOT / "warehouse" / "registry" / "organizations"
LAYERS_SEED = REPO_ROOT / "dbt_project" / "seeds" / "value_chain_layers.csv"
SUB_LAYERS_SEED = REPO_ROOT / "dbt_project" / "seeds" / "value_chain_sub_layers.csv"

OrgType = Literal["startup", "corporate", "university", "public_institute", "non_profit", "government", "investor"]
Confidence = Literal["reported", "estimated", "claimed"]
PresenceKind = Literal["headquarters", "office", "facility", "cloud_region", "cable_landing", "cluster"]
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@cache
def layer_codes() -> frozenset[str]:
    with LAYERS_SEED.open(encoding="utf-8") as fh:
        return frozenset(row["layer_code"] for row in csv.DictReader(fh))


@cache
def sub_layer_codes() -> frozenset[tuple[str, str]]:
    with SUB_LAYERS_SEED.open(encoding="utf-8") as fh:
        return frozenset((row["layer_code"], row["sub_layer_code"]) for row in csv.DictReader(fh))


def _iso_country(value: str) -> str:
    if value not in ISO3166_ALPHA2:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$"), AfterValidator(_iso_country)]


def _iso_currency(value: str | None) -> str | None:
    if value is not None and value not in CURRENCIES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


CurrencyCode = Annotated[str | None, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso_currency)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Evidence(_Strict):
    """Where a fact comes from: the public page that states it (``url``) and that page's date.

    Both are required, so every fact can be checked by opening one page. ``date`` is the page's publication
    date (or, for a page that is kept up to date, such as a list of cloud regions, the day it was read).
    ``publication`` optionally names the outlet or report (e.g. "Cushman & Wakefield, Americas Data Center
    Update H2 2024").
    """

    url: str
    publication: str | None = None
    date: dt.date

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value


class Headquarters(_Strict):
    country: CountryCode
    city: str | None = None


class LayerMembership(_Strict):
    layer: str
    sub_layer: str | None = None
    confidence: Confidence = "reported"
    source: Evidence

    @field_validator("layer")
    @classmethod
    def _known_layer(cls, value: str) -> str:
        if value not in layer_codes():
            raise ValueError(f"unknown layer {value!r}; one of {sorted(layer_codes())}")
        return value

    @model_validator(mode="after")
    def _known_sub_layer(self) -> LayerMembership:
        if self.sub_layer and (self.layer, self.sub_layer) not in sub_layer_codes():
            raise ValueError(f"unknown sub_layer {self.sub_layer!r} for layer {self.layer}")
        return self


class Dependency(_Strict):
    to: str
    kind: Literal["runs_on", "builds_on", "partner", "owned_by", "customer_of", "supplier_of"]
    note: str | None = None
    source: Evidence


class CapacityAnnouncement(_Strict):
    site: str
    country: CountryCode
    city: str | None = None
    mw: float = Field(gt=0)
    status: Literal["operating", "under_construction", "planned", "announced"]
    as_of: dt.date | None = None
    confidence: Confidence = "reported"
    note: str | None = None
    source: Evidence


class GpuDeployment(_Strict):
    site: str
    country: CountryCode
    gpu_model: str
    gpu_count: int = Field(gt=0)
    status: Literal["operating", "planned", "announced"]
    as_of: dt.date | None = None
    confidence: Confidence = "reported"
    source: Evidence


class FundingRound(_Strict):
    """A round as a publication states it; the funding pipeline converts and reconciles it."""

    date: dt.date
    round_type: str  # as stated (seed, series A, debt, green debentures, ...); mapped to a canonical list later
    amount: float | None = Field(default=None, gt=0)
    currency: CurrencyCode = None
    investors: list[str] = []
    lead_investors: list[str] = []
    confidence: Confidence = "reported"
    note: str | None = None
    source: Evidence


class Presence(_Strict):
    """A country where the organisation operates, and how: its capacity sits where its facilities are."""

    country: CountryCode
    kind: PresenceKind
    city: str | None = None
    note: str | None = None
    source: Evidence


class Organization(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    type: OrgType
    hq: Headquarters
    website: str | None = None
    founded: int | None = Field(default=None, ge=1800, le=2100)
    status: Literal["active", "acquired", "closed"] = "active"
    wikidata: str | None = Field(default=None, pattern=r"^Q[0-9]+$")
    huggingface: str | None = None
    description: str | None = None
    layers: list[LayerMembership] = []
    presence: list[Presence] = []
    dependencies: list[Dependency] = []
    capacity: list[CapacityAnnouncement] = []
    gpu_deployments: list[GpuDeployment] = []
    funding_rounds: list[FundingRound] = []
    same_as: list[str] = []
    not_same_as: list[str] = []
    sources: list[Evidence] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("id must be lower-case words joined by '-'")
        return value


class RegistryError(Exception):
    """Every problem found, one per line: ``file:line: field: message``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    organization: Organization
    path: Path


def _line_of(node: yaml.Node, loc: Iterable[Any]) -> int:
    """The 1-based line of the YAML node at ``loc`` (as deep as it exists)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 10x faster
    """YAML without implicit timestamps: ``2024-02-30`` stays a string for pydantic to refuse with a
    line number, instead of crashing the YAML parser with a bare ``ValueError``."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def decode(path: Path, data: bytes) -> tuple[str | None, list[str]]:
    """The text of a registry file, or the ``file:line: file: not UTF-8 ...`` problem."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [f"{_relative(path)}:{line}: file: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                      f"{exc.start}); save it as UTF-8"]


def parse_file(path: Path, text: str | None = None) -> tuple[Organization | None, list[str]]:
    """Validate one file; returns the organisation (or None) and its problems. Never raises on content."""
    if text is None:
        text, problems = decode(path, path.read_bytes())
        if text is None:
            return None, problems
    where = _relative(path)
    try:
        node, data = _compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [f"{where}:{line}: yaml: {getattr(exc, 'problem', exc)}"]
    except (ValueError, TypeError, RecursionError) as exc:  # a constructor that still fails
        return None, [f"{where}:1: yaml: {exc}"]
    if not isinstance(data, dict):
        return None, [f"{where}:1: file: expected a mapping of fields"]
    try:
        org = Organization.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            field = ".".join(str(p) for p in loc) or "file"
            problems.append(f"{where}:{_line_of(node, loc)}: {field}: {err['msg']}")
        return None, problems
    if org.id != path.stem:
        return None, [f"{where}:{_line_of(node, ['id'])}: id: {org.id!r} must match the file name {path.stem!r}"]
    return org, []


def cross_file_problems(entries: list[Entry], texts: dict[Path, str]) -> list[tuple[str, str]]:
    """References to organisations that are not in the registry, as (organisation id, problem)."""
    ids = {e.organization.id for e in entries}
    problems = []
    for entry in entries:
        org, where = entry.organization, _relative(entry.path)
        node, _ = _compose_and_load(texts[entry.path])
        refs = [("dependencies", i, "to", dep.to) for i, dep in enumerate(org.dependencies)]
        refs += [(field, i, None, other) for field in ("same_as", "not_same_as")
                 for i, other in enumerate(getattr(org, field))]
        for field, i, leaf, target in refs:
            if target not in ids:
                loc = [field, i] + ([leaf] if leaf else [])
                name = ".".join(str(p) for p in loc)
                problems.append((org.id, f"{where}:{_line_of(node, loc)}: {name}: no organisation {target!r} "
                                         "in the registry"))
    return problems


def load(directory: Path = REGISTRY_DIR) -> list[Entry]:
    """Every organisation, validated file by file and across files; raises :class:`RegistryError`."""
    entries, problems, texts = [], [], {}
    for path in sorted(directory.glob("*.yaml")):
        text, found = decode(path, path.read_bytes())
        if text is not None:
            texts[path] = text
            org, found = parse_file(path, text)
            if org is not None:
                entries.append(Entry(org, path))
        problems += found
    problems += [p for _, p in cross_file_problems(entries, texts)]
    if problems:
        raise RegistryError(problems)
    return entries


def valid_entries(directory: Path = REGISTRY_DIR) -> list[Entry]:
    """The organisations of every file that validates on its own, for sources that only *read* the
    registry (Form D, Hugging Face): a broken file is left out with a warning and fails only the
    registry's own load (``curated_registry``, ``cadena registry check``)."""
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        org, problems = parse_file(path)
        if org is None:
            log.warning("registry file left out: %s", problems[0] if problems else path)
            continue
        entries.append(Entry(org, path))
    return entries


def huggingface_handles(directory: Path = REGISTRY_DIR) -> list[tuple[str, str]]:
    """(organisation id, Hugging Face handle) for every organisation that has one."""
    return [(e.organization.id, e.organization.huggingface) for e in valid_entries(directory)
            if e.organization.huggingface]

"""The curated registry (``warehouse/registry/organizations/*.yaml``) as a source.

Nothing is fetched over the network: the files in the repository are the
publisher. Each run copies them into a snapshot (so a change to the registry is
a new snapshot, and an unchanged registry is recognised), then parses them into
raw tables. A file that fails validation is quarantined whole, with the
``file:line: field: message`` problems as its reason; a dependency on an
organisation that is not in the registry is quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import curated

NAME = "curated_registry"


class Organization(Row):
    organization_id: str
    name: str
    aliases: list[str]
    org_type: str
    hq_country_iso2: str
    hq_city: str | None
    website: str | None
    founded: int | None
    status: str
    wikidata_qid: str | None
    huggingface_handle: str | None
    description: str | None
    same_as: list[str]
    not_same_as: list[str]
    source_urls: list[str]
    file_path: str


class LayerMembership(Row):
    organization_id: str
    layer_code: str
    sub_layer_code: str  # '' when the membership is of the whole layer (key columns cannot be null)
    confidence: str
    evidence_url: str | None
    evidence_publication: str | None
    evidence_date: date | None


class Presence(Row):
    organization_id: str
    presence_index: int
    country_code: str
    presence_kind: str
    city: str | None
    note: str | None
    source_url: str | None
    source_publication: str | None
    source_date: date | None


class Dependency(Row):
    from_organization_id: str
    to_organization_id: str
    kind: str
    note: str | None
    source_url: str | None
    source_publication: str | None
    source_date: date | None


class Capacity(Row):
    organization_id: str
    announcement_index: int
    site: str
    country_iso2: str
    city: str | None
    mw: float
    status: str
    as_of: date | None
    confidence: str
    note: str | None
    source_url: str | None
    source_publication: str | None
    source_date: date | None


class GpuDeployment(Row):
    organization_id: str
    deployment_index: int
    site: str
    country_iso2: str
    gpu_model: str
    gpu_count: int
    status: str
    as_of: date | None
    confidence: str
    source_url: str | None
    source_publication: str | None
    source_date: date | None


class FundingRound(Row):
    organization_id: str
    round_index: int
    round_date: date
    round_type: str
    amount: float | None
    currency: str | None
    investors: list[str]
    lead_investors: list[str]
    confidence: str
    note: str | None
    source_url: str | None
    source_publication: str | None
    source_date: date | None


def fetch(ctx) -> None:
    for path in sorted(curated.REGISTRY_DIR.glob("*.yaml")):
        ctx.add_file(path.name, path.read_bytes(), path.resolve().as_uri())


def _evidence(prefix: str, ev: curated.Evidence) -> dict:
    return {f"{prefix}_url": ev.url, f"{prefix}_publication": ev.publication, f"{prefix}_date": ev.date}


def parse(snapshot) -> Iterator[Record | Reject]:
    entries, texts = [], {}
    for name in snapshot.names():
        if not name.endswith(".yaml"):
            continue
        path = curated.REGISTRY_DIR / name
        text, problems = curated.decode(path, snapshot.read_bytes(name))
        if text is None:
            yield Reject("organizations", name, " | ".join(problems))
            continue
        texts[path] = text
        org, problems = curated.parse_file(path, text)
        if org is None:
            yield Reject("organizations", name, " | ".join(problems), text[:2000])
        else:
            entries.append(curated.Entry(org, path))
    bad_refs = {}
    for org_id, problem in curated.cross_file_problems(entries, texts):
        bad_refs.setdefault(org_id, []).append(problem)
    known = {e.organization.id for e in entries}
    for entry in entries:
        org, rel = entry.organization, f"warehouse/registry/organizations/{entry.path.name}"
        yield Record("organizations", {
            "organization_id": org.id, "name": org.name, "aliases": org.aliases, "org_type": org.type,
            "hq_country_iso2": org.hq.country, "hq_city": org.hq.city, "website": org.website,
            "founded": org.founded, "status": org.status, "wikidata_qid": org.wikidata,
            "huggingface_handle": org.huggingface, "description": org.description,
            "same_as": [o for o in org.same_as if o in known],
            "not_same_as": [o for o in org.not_same_as if o in known],
            "source_urls": [s.url for s in org.sources if s.url], "file_path": rel,
        }, record_id=rel, record_url=org.website)
        for m in org.layers:
            yield Record("organization_layers", {
                "organization_id": org.id, "layer_code": m.layer, "sub_layer_code": m.sub_layer or "",
                "confidence": m.confidence, **_evidence("evidence", m.source),
            }, record_id=f"{rel}#layers/{m.layer}/{m.sub_layer or ''}", record_url=m.source.url)
        for i, p in enumerate(org.presence):
            yield Record("organization_presence", {
                "organization_id": org.id, "presence_index": i, "country_code": p.country,
                "presence_kind": p.kind, "city": p.city, "note": p.note, **_evidence("source", p.source),
            }, record_id=f"{rel}#presence/{i}", record_url=p.source.url)
        for i, dep in enumerate(org.dependencies):
            data = {"from_organization_id": org.id, "to_organization_id": dep.to, "kind": dep.kind,
                    "note": dep.note, **_evidence("source", dep.source)}
            if dep.to not in known:
                reason = next((p for p in bad_refs.get(org.id, []) if f"dependencies.{i}.to" in p), "unknown target")
                yield Reject("organization_dependencies", f"{rel}#dependencies/{i}", reason, data)
                continue
            yield Record("organization_dependencies", data, record_id=f"{rel}#dependencies/{i}",
                         record_url=dep.source.url)
        for i, cap in enumerate(org.capacity):
            yield Record("capacity_announcements", {
                "organization_id": org.id, "announcement_index": i, "site": cap.site, "country_iso2": cap.country,
                "city": cap.city, "mw": cap.mw, "status": cap.status, "as_of": cap.as_of,
                "confidence": cap.confidence, "note": cap.note, **_evidence("source", cap.source),
            }, record_id=f"{rel}#capacity/{i}", record_url=cap.source.url)
        for i, gpu in enumerate(org.gpu_deployments):
            yield Record("gpu_deployments", {
                "organization_id": org.id, "deployment_index": i, "site": gpu.site, "country_iso2": gpu.country,
                "gpu_model": gpu.gpu_model, "gpu_count": gpu.gpu_count, "status": gpu.status, "as_of": gpu.as_of,
                "confidence": gpu.confidence, **_evidence("source", gpu.source),
            }, record_id=f"{rel}#gpu_deployments/{i}", record_url=gpu.source.url)
        for i, rnd in enumerate(org.funding_rounds):
            yield Record("funding_rounds", {
                "organization_id": org.id, "round_index": i, "round_date": rnd.date, "round_type": rnd.round_type,
                "amount": rnd.amount, "currency": rnd.currency, "investors": rnd.investors,
                "lead_investors": rnd.lead_investors, "confidence": rnd.confidence, "note": rnd.note,
                **_evidence("source", rnd.source),
            }, record_id=f"{rel}#funding_rounds/{i}", record_url=rnd.source.url)


SOURCE = Source(
    name=NAME,
    family="organisations",
    title="Curated registry",
    endpoint='the YAML files in `warehouse/registry/organizations/` (no network)',
    description="Organisations, their value-chain layers and countries of presence with evidence, dependencies, "
                "capacity and GPU announcements, kept by hand in warehouse/registry/organizations/*.yaml.",
    homepage="https://github.com/cadena-latam/cadena/tree/main/warehouse/registry/organizations",
    licence="CC BY 4.0 (Cadena contributors); each fact cites its own source",
    cadence="daily",
    tables=(
        Table("organizations", Organization, ("organization_id",), "One organisation per registry file."),
        Table("organization_layers", LayerMembership, ("organization_id", "layer_code", "sub_layer_code"),
              "Layer memberships with their evidence."),
        Table("organization_presence", Presence, ("organization_id", "presence_index"),
              "Countries where each organisation operates (headquarters, office, facility, cloud region, cable "
              "landing, cluster), with evidence.", min_rows=0),
        Table("organization_dependencies", Dependency, ("from_organization_id", "to_organization_id", "kind"),
              "Who runs on, builds on, partners with or is owned by whom.", min_rows=0),
        Table("capacity_announcements", Capacity, ("organization_id", "announcement_index"),
              "Data-center capacity announcements (MW, status, date).", min_rows=0),
        Table("gpu_deployments", GpuDeployment, ("organization_id", "deployment_index"),
              "GPU deployments (model, count, site, status).", min_rows=0),
        Table("funding_rounds", FundingRound, ("organization_id", "round_index"),
              "Funding rounds as publications state them (amount in original currency).", min_rows=0),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(reads_local_files=True),
)



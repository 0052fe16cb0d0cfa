"""The curated registry: schema, error messages that name file/line/field, and the source."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from ingestors.domain import curated
from ingestors.sources import curated_registry
from tests.ingestors.helpers import parse_files

GOOD = textwrap.dedent("""\
    id: acme-ai
    name: Acme AI
    type: startup
    hq: {country: BR, city: Recife}
    layers:
      - layer: applications
        source: {url: https://acme.example, date: 2025-01-02}
    presence:
      - {country: MX, kind: office, city: Monterrey, source: {url: https://acme.example/mx, date: 2025-02-03}}
    dependencies:
      - to: big-cloud
        kind: runs_on
        source: {url: https://acme.example/blog, publication: Acme blog, date: 2024-11-30}
    sources:
      - {url: https://acme.example, date: 2025-01-02}
""")
CLOUD = textwrap.dedent("""\
    id: big-cloud
    name: Big Cloud
    type: corporate
    hq: {country: US}
    layers:
      - {layer: hardware_infrastructure, sub_layer: cloud, source: {url: https://big.example/regions, date: 2025-03-04}}
    sources: [{url: https://big.example, date: 2025-03-04}]
""")


def write(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_repository_registry_is_valid():
    entries = curated.load()
    countries = {e.organization.hq.country for e in entries}
    layers = {m.layer for e in entries for m in e.organization.layers}
    assert len(entries) >= 30
    assert len(countries & {"BR", "MX", "CL", "CO", "AR", "UY", "PE", "CR"}) == 8
    assert layers == curated.layer_codes()  # every layer of the taxonomy has organisations


def test_a_valid_registry_loads(tmp_path):
    entries = curated.load(write(tmp_path, {"acme-ai.yaml": GOOD, "big-cloud.yaml": CLOUD}))
    acme = next(e.organization for e in entries if e.organization.id == "acme-ai")
    assert acme.layers[0].source.date.isoformat() == "2025-01-02"
    assert acme.dependencies[0].to == "big-cloud"


@pytest.mark.parametrize("change, expected", [
    (("layer: applications", "layer: apps"), "acme-ai.yaml:6: layers.0.layer: Value error, unknown layer 'apps'"),
    (("country: BR", "country: Brazil"), "acme-ai.yaml:4: hq.country: String should match pattern"),
    (("type: startup", "type: unicorn"), "acme-ai.yaml:3: type: Input should be 'startup'"),
    (("source: {url: https://acme.example, date: 2025-01-02}", "source: {date: 2025-01-02}"),
     "acme-ai.yaml:7: layers.0.source.url: Field required"),
    (("source: {url: https://acme.example, date: 2025-01-02}", "source: {url: https://acme.example}"),
     "acme-ai.yaml:7: layers.0.source.date: Field required"),
    (("source: {url: https://acme.example, date: 2025-01-02}", "source: {url: acme.example, date: 2025-01-02}"),
     "acme-ai.yaml:7: layers.0.source.url: Value error, url must start with http:// or https://"),
    (("source: {url: https://acme.example/mx, date: 2025-02-03}", "source: {publication: Acme news, date: 2025-02-03}"),
     "acme-ai.yaml:9: presence.0.source.url: Field required"),
    (("kind: office", "kind: branch"), "acme-ai.yaml:9: presence.0.kind: Input should be 'headquarters'"),
    (("country: MX", "country: XX"),
     "acme-ai.yaml:9: presence.0.country: Value error, 'XX' is not an ISO 3166-1 alpha-2 country code"),
    (("hq: {country: BR", "hq: {country: XX"),
     "acme-ai.yaml:4: hq.country: Value error, 'XX' is not an ISO 3166-1 alpha-2 country code"),
    (("id: acme-ai", "id: acme"), "acme-ai.yaml:1: id: 'acme' must match the file name 'acme-ai'"),
    (("name: Acme AI\n", "name: Acme AI\nfounded: soon\n"), "acme-ai.yaml:3: founded: Input should be a valid integer"),
])
def test_errors_name_file_line_and_field(tmp_path, change, expected):
    write(tmp_path, {"acme-ai.yaml": GOOD.replace(*change), "big-cloud.yaml": CLOUD})
    with pytest.raises(curated.RegistryError) as err:
        curated.load(tmp_path)
    assert len(err.value.problems) == 1
    problem = err.value.problems[0]
    assert problem[problem.index("acme-ai.yaml"):].startswith(expected), problem


def test_a_dependency_on_an_unknown_organisation_is_an_error(tmp_path):
    write(tmp_path, {"acme-ai.yaml": GOOD})
    with pytest.raises(curated.RegistryError) as err:
        curated.load(tmp_path)
    assert err.value.problems[0].endswith("acme-ai.yaml:11: dependencies.0.to: no organisation 'big-cloud' "
                                          "in the registry")


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    write(tmp_path, {"acme-ai.yaml": GOOD.replace("hq: {country: BR, city: Recife}", "hq: {country: BR")})
    with pytest.raises(curated.RegistryError) as err:
        curated.load(tmp_path)
    assert ":5: yaml:" in err.value.problems[0]


def test_the_source_quarantines_a_bad_file_and_keeps_the_rest(tmp_path):
    bad = GOOD.replace("id: acme-ai", "id: acme-two").replace("layer: applications", "layer: apps")
    result = parse_files(tmp_path, curated_registry.SOURCE,
                         {"acme-ai.yaml": GOOD.encode(), "big-cloud.yaml": CLOUD.encode(),
                          "acme-two.yaml": bad.encode()})
    assert sorted(r["organization_id"] for r in result.rows["organizations"]) == ["acme-ai", "big-cloud"]
    assert [(q["record_id"], q["reason"].split("/")[-1]) for q in result.quarantine] == [
        ("acme-two.yaml", "acme-two.yaml:6: layers.0.layer: Value error, unknown layer 'apps'; one of "
                          "['applications', 'data', 'end_users', 'foundation_models', 'hardware_infrastructure', "
                          "'integration', 'mlops_tooling', 'research']"),
    ]
    layers = result.rows["organization_layers"]
    assert {(r["organization_id"], r["layer_code"], r["sub_layer_code"]) for r in layers} == {
        ("acme-ai", "applications", ""), ("big-cloud", "hardware_infrastructure", "cloud")}
    assert result.rows["organization_dependencies"][0]["to_organization_id"] == "big-cloud"
    presence = result.rows["organization_presence"]
    assert [(r["organization_id"], r["presence_index"], r["country_code"], r["presence_kind"], r["city"],
             r["source_url"], r["source_date"].isoformat()) for r in presence] == [
        ("acme-ai", 0, "MX", "office", "Monterrey", "https://acme.example/mx", "2025-02-03")]


def test_an_investor_is_an_organisation_type(tmp_path):
    investor = CLOUD.replace("id: big-cloud", "id: big-fund").replace("type: corporate", "type: investor")
    entries = curated.load(write(tmp_path, {"big-fund.yaml": investor}))
    assert entries[0].organization.type == "investor"


def test_registry_check_command(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from orchestration.cli import main

    assert CliRunner().invoke(main, ["registry", "check"]).exit_code == 0
    folder = tmp_path / "organizations"
    shutil.copytree(curated.REGISTRY_DIR, folder)
    (folder / "cenia.yaml").write_text((folder / "cenia.yaml").read_text().replace("type: public_institute",
                                                                                   "type: lab"))
    monkeypatch.setattr(curated, "REGISTRY_DIR", folder)
    monkeypatch.setattr(curated.load, "__defaults__", (folder,))
    result = CliRunner().invoke(main, ["registry", "check"])
    assert result.exit_code == 1
    assert "cenia.yaml:6: type: Input should be" in result.output


# --- issue 11: a bad registry file is a one-line problem, never a crash ---------------------------


@pytest.mark.parametrize("change, expected", [
    (("date: 2025-01-02", "date: 2024-02-30"), "acme-ai.yaml:7: layers.0.source.date: Input should be a valid date"),
    (("country: BR", "country: XX"), "acme-ai.yaml:4: hq.country: Value error, 'XX' is not an ISO 3166-1"),
    (("country: BR", "country: ZZ"), "acme-ai.yaml:4: hq.country: Value error, 'ZZ' is not an ISO 3166-1"),
])
def test_impossible_dates_and_countries_are_problems_with_a_line(tmp_path, change, expected):
    write(tmp_path, {"acme-ai.yaml": GOOD.replace(*change), "big-cloud.yaml": CLOUD})
    with pytest.raises(curated.RegistryError) as err:
        curated.load(tmp_path)
    assert err.value.problems[0].split("/")[-1].startswith(expected), err.value.problems


def test_a_file_not_in_utf8_is_a_problem_with_a_line(tmp_path):
    write(tmp_path, {"big-cloud.yaml": CLOUD})
    (tmp_path / "acme-ai.yaml").write_bytes(GOOD.replace("Recife", "Recife São").encode("latin-1"))
    with pytest.raises(curated.RegistryError) as err:
        curated.load(tmp_path)
    assert err.value.problems[0].split("/")[-1].startswith("acme-ai.yaml:4: file: not UTF-8 text (byte 0xe3")


def _broken_registry(tmp_path):
    folder = tmp_path / "organizations"
    shutil.copytree(curated.REGISTRY_DIR, folder)
    (folder / "zz-broken.yaml").write_bytes(b"id: zz-broken\nname: Caf\xe9\n")
    (folder / "zz-date.yaml").write_text(GOOD.replace("acme-ai", "zz-date").replace("2025-01-02", "2024-02-30"))
    return folder


def test_a_broken_registry_file_breaks_only_the_registry(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ingestors.sources import huggingface, sec_form_d
    from orchestration.cli import main

    folder = _broken_registry(tmp_path)
    monkeypatch.setattr(curated, "REGISTRY_DIR", folder)
    for fn in (curated.load, curated.valid_entries, curated.huggingface_handles):
        monkeypatch.setattr(fn, "__defaults__", (folder,))
    # the readers of the registry keep working with the valid files
    assert len(curated.valid_entries()) == len(list(curated.REGISTRY_DIR.glob("*.yaml"))) - 2
    assert sec_form_d.registry_names() and huggingface._handles() is not None
    # the registry's own check names both files, one line each, and exits 1 without a traceback
    result = CliRunner().invoke(main, ["registry", "check"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if "zz-" in line]
    assert any("zz-broken.yaml:2: file: not UTF-8" in line for line in lines)
    assert any("zz-date.yaml:7: layers.0.source.date" in line for line in lines)

"""SEC Form D data sets: the sample, value traps, ZIP caps, quarters, index links, contact, fetch, offline run."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.domain.countries import by_iso2
from ingestors.sources import sec_form_d as sec
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

FIXTURES = Path(__file__).parent / "fixtures" / "sec_form_d" / "2025Q2_d"
SAMPLE_ZIP = SAMPLES_DIR / "sec_form_d" / "2025q2_d.zip"
SAMPLE_INDEX = SAMPLES_DIR / "sec_form_d" / "form-d-data-sets.html"
REGISTRY = [{"organization_id": "tractian", "name": "Tractian"},
            {"organization_id": "exemplo-dados", "name": "Exemplo Dados"},
            {"organization_id": "exemplo-dados", "name": "Exemplo Dados Tecnologia"}]
BR, MX, US_HOLDCO, CL_FUND, PR = ("0009990101-25-000004", "0009990102-25-000002", "0009990103-25-000001",
                                  "0009990104-25-000001", "0009990105-25-000003")
US, TEST, CO_ISSUER, BAD, AR = ("0009990106-25-000001", "0009990107-25-000001", "0009990108-25-000002",
                                "0009990109-25-000001", "0009990110-25-000005")
TODAY = date(2026, 11, 23)


# --- helpers ----------------------------------------------------------------------------------


def _members() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(FIXTURES.iterdir())}


def _zip(members: dict[str, bytes], folder: str = "2025Q2_d/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(folder + name, data)
    return buffer.getvalue()


def _with(member: str, accession: str, **cells: str) -> bytes:
    """The sample ZIP with some cells of one filing's row of one member set to new text."""
    members = _members()
    header, *lines = members[member].decode().split("\n")
    columns = header.split("\t")
    rows = [line.split("\t") for line in lines]
    row = next(r for r in rows if r[0] == accession)
    for column, value in cells.items():
        row[columns.index(column)] = value
    members[member] = "\n".join([header, *("\t".join(r) for r in rows)]).encode()
    return _zip(members)


def _renamed(member: str, column: str, new: str) -> bytes:
    """The sample ZIP with one column of one member renamed."""
    members = _members()
    header, rest = members[member].decode().split("\n", 1)
    members[member] = "\t".join(new if c == column else c for c in header.split("\t")).encode() + b"\n" + rest.encode()
    return _zip(members)


def _parse(tmp_path: Path, zip_bytes: bytes | Path = SAMPLE_ZIP, registry=REGISTRY):
    files = {"2025q2_d.zip": zip_bytes, sec.REGISTRY_FILE: json.dumps(registry).encode()}
    return parse_files(tmp_path, sec.SOURCE, files)


def _rows(result) -> dict[str, dict]:
    return {r["accession_number"]: r for r in result.rows.get("offerings", [])}


def _reasons(result) -> list[tuple[str, str]]:
    return [(q["record_id"], q["reason"]) for q in result.quarantine]


def _unlimited():
    """The source without its rate limit, so fetch tests do not sleep."""
    return dataclasses.replace(sec.SOURCE, plan=FetchPlan(sample_routes=sec.SOURCE.plan.sample_routes,
                                                             max_requests=sec.SOURCE.plan.max_requests))


REAL_REGISTRY_NAMES = sec.registry_names  # before the fixture below replaces it


@pytest.fixture(autouse=True)
def _fixed(monkeypatch):
    """A fixed day and registry, and no quarter window from the environment."""
    monkeypatch.setattr(sec, "_today", lambda: TODAY)
    monkeypatch.setattr(sec, "registry_names", lambda: list(REGISTRY))
    monkeypatch.delenv(sec.SINCE_ENV, raising=False)


# --- the sample -------------------------------------------------------------------------------


def test_the_sample_zip_holds_exactly_the_fixture_tsvs():
    with zipfile.ZipFile(SAMPLE_ZIP) as zf:
        shipped = {i.filename: zf.read(i) for i in zf.infolist()}
    assert shipped == {f"2025Q2_d/{name}": data for name, data in _members().items()}


def test_parse_sample_keeps_latam_addresses_and_registry_names(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert {a: (r["match_reason"], r["country_iso2"], r["matched_registry_id"]) for a, r in rows.items()} == {
        BR: ("latam_address", "BR", "exemplo-dados"),
        MX: ("latam_address", "MX", None),
        US_HOLDCO: ("registry_name", None, "tractian"),
        CL_FUND: ("latam_address", "CL", None),
        PR: ("latam_address", "PR", None),
        AR: ("latam_address", "AR", None),
    }
    assert not {US, TEST, CO_ISSUER} & set(rows)  # a US issuer, a TEST filing, a LatAm issuer only as co-issuer
    assert _reasons(result) == [(BAD, "TOTALAMOUNTSOLD: not a number: '2,5OO,000'")]


def test_parse_sample_exact_row(tmp_path):
    row = _rows(_parse(tmp_path))[BR]
    assert {k: v for k, v in row.items() if not k.startswith("_")} == {
        "accession_number": BR,
        "quarter": "2025Q2",
        "submission_type": "D",
        "filing_date": date(2025, 4, 22),
        "file_num": "021-999101",  # right-padded in the file
        "cik": "0009990101",
        "entity_name": "Exemplo Dados Tecnologia Ltda.",
        "issuer_city": "SAO PAULO",
        "issuer_state_or_country": "D5",
        "issuer_state_or_country_description": "BRAZIL",
        "country_iso2": "BR",
        "jurisdiction_of_inc": "BRAZIL",
        "entity_type": "Limited Liability Company",
        "year_of_inc": 2021,
        "industry_group_type": "Other Technology",
        "investment_fund_type": None,
        "is_pooled_investment_fund": False,
        "is_amendment": False,
        "previous_accession_number": None,
        "sale_date": date(2025, 4, 10),
        "sale_yet_to_occur": None,
        "is_equity": True,
        "is_debt": None,
        "federal_exemptions": "06b",
        "total_offering_amount": 5_000_000.0,
        "offering_amount_indefinite": False,
        "total_amount_sold": 3_250_000.0,
        "total_remaining": 1_750_000.0,
        "total_number_already_invested": 7,
        "minimum_investment_accepted": 0.0,
        "match_reason": "latam_address",
        "matched_registry_id": "exemplo-dados",
        "related_persons": ["Ana Exemplo", "Bruno Amostra"],
    }
    assert row["_record_url"] == "https://www.sec.gov/Archives/edgar/data/9990101/000999010125000004/"
    assert row["_record_id"] == BR


def test_amendment_with_indefinite_amounts_and_non_breaking_spaces(tmp_path):
    row = _rows(_parse(tmp_path))[MX]
    assert (row["submission_type"], row["is_amendment"], row["previous_accession_number"]) == (
        "D/A", True, "0009990102-24-000001")
    assert (row["total_offering_amount"], row["offering_amount_indefinite"], row["total_remaining"]) == (
        None, True, None)
    assert (row["total_amount_sold"], row["is_equity"], row["is_debt"]) == (1_200_000.0, False, True)
    assert row["entity_name"] == "Ejemplo Nube, S.A.P.I. de C.V."  # a non-breaking space in the file
    assert row["related_persons"] == ["Carla Ejemplo Ruiz"]


def test_pooled_fund_without_a_first_sale_and_an_entity_as_related_person(tmp_path):
    row = _rows(_parse(tmp_path))[CL_FUND]
    assert (row["is_pooled_investment_fund"], row["investment_fund_type"], row["sale_date"],
            row["sale_yet_to_occur"]) == (True, "Venture Capital Fund", None, True)
    assert row["related_persons"] == ["Fondo Ejemplo Andino GP Ltd.", "Elena Muestra"]  # FIRSTNAME 'N/A' dropped


def test_puerto_rico_and_amounts_with_cents(tmp_path):
    rows = _rows(_parse(tmp_path))
    assert (rows[PR]["issuer_state_or_country"], rows[PR]["country_iso2"]) == ("PR", "PR")
    assert (rows[AR]["total_amount_sold"], rows[AR]["total_remaining"], rows[AR]["minimum_investment_accepted"]) == (
        1_500_000.5, 499_999.5, 100_000.0)
    assert rows[AR]["related_persons"] == ["Julia Muestra", "Kevin Ejemplar", "Lucia Amostra"]  # file order


def test_without_the_registry_only_latam_addresses_are_kept(tmp_path):
    rows = _rows(_parse(tmp_path, registry=[]))
    assert US_HOLDCO not in rows and rows[BR]["matched_registry_id"] is None and len(rows) == 5


def test_a_name_two_organisations_share_matches_neither(tmp_path):
    registry = [{"organization_id": "tractian", "name": "Tractian"},
                {"organization_id": "tractian-two", "name": "Tractian Inc."}]
    assert US_HOLDCO not in _rows(_parse(tmp_path, registry=registry))


# --- value traps ------------------------------------------------------------------------------


def test_d_a_marks_an_amendment_even_when_isamendment_is_blank(tmp_path):
    assert _rows(_parse(tmp_path, _with("OFFERING.tsv", MX, ISAMENDMENT="")))[MX]["is_amendment"] is True


def test_the_industry_group_marks_a_pooled_fund_when_the_flag_is_blank(tmp_path):
    zip_bytes = _with("OFFERING.tsv", CL_FUND, ISPOOLEDINVESTMENTFUNDTYPE="")
    assert _rows(_parse(tmp_path, zip_bytes))[CL_FUND]["is_pooled_investment_fund"] is True


def test_two_digit_year_filing_dates_are_read(tmp_path):
    zip_bytes = _with("FORMDSUBMISSION.tsv", BR, FILING_DATE="22-apr-25")
    assert _rows(_parse(tmp_path, zip_bytes))[BR]["filing_date"] == date(2025, 4, 22)


@pytest.mark.parametrize(
    ("member", "cells", "reason"),
    [
        ("FORMDSUBMISSION.tsv", {"FILING_DATE": "2025/04/22"},
         "FILING_DATE: not a date (DD-MON-YYYY or DD-MON-YY or YYYY-MM-DD): '2025/04/22'"),
        ("FORMDSUBMISSION.tsv", {"FILING_DATE": " "}, "FILING_DATE: empty"),
        ("FORMDSUBMISSION.tsv", {"ACCESSIONNUMBER": "0009990199-25-000009"},
         "no FORMDSUBMISSION.tsv row for this accession number"),
        ("OFFERING.tsv", {"SALE_DATE": "10/04/2025"},
         "SALE_DATE: not a date (DD-MON-YYYY or DD-MON-YY or YYYY-MM-DD): '10/04/2025'"),
        ("OFFERING.tsv", {"ISAMENDMENT": "maybe"}, "ISAMENDMENT: not true/false: 'maybe'"),
        ("OFFERING.tsv", {"TOTALOFFERINGAMOUNT": "-5000000"}, "TOTALOFFERINGAMOUNT: below 0: '-5000000'"),
        ("OFFERING.tsv", {"TOTALNUMBERALREADYINVESTED": "seven"},
         "TOTALNUMBERALREADYINVESTED: not a number: 'seven'"),
        ("OFFERING.tsv", {"TOTALNUMBERALREADYINVESTED": "7.5"},
         "TOTALNUMBERALREADYINVESTED: not a whole number: '7.5'"),
        ("ISSUERS.tsv", {"YEAROFINC_VALUE_ENTERED": "20X1"}, "YEAROFINC_VALUE_ENTERED: not a number: '20X1'"),
    ],
)
def test_a_bad_value_quarantines_the_offering(tmp_path, member, cells, reason):
    result = _parse(tmp_path, _with(member, BR, **cells))
    assert BR not in _rows(result)
    assert (BR, reason) in _reasons(result)
    assert len(_rows(result)) == 5  # the others still load


def test_the_first_issuer_stands_in_when_none_is_flagged_primary(tmp_path):
    zip_bytes = _with("ISSUERS.tsv", BR, IS_PRIMARYISSUER_FLAG="NO")
    assert _rows(_parse(tmp_path, zip_bytes))[BR]["entity_name"] == "Exemplo Dados Tecnologia Ltda."


def test_quotes_are_data_and_latin_1_files_are_read(tmp_path):
    members = _members()
    issuers = members["ISSUERS.tsv"].decode().replace("Exemplo Dados Tecnologia Ltda.", '"Exemplo" Dados Ltda.')
    members["ISSUERS.tsv"] = issuers.replace("SAO PAULO", "SÃO PAULO").encode("latin-1")
    row = _rows(_parse(tmp_path, _zip(members)))[BR]
    assert (row["entity_name"], row["issuer_city"]) == ('"Exemplo" Dados Ltda.', "SÃO PAULO")


def test_members_are_found_in_any_folder_and_blank_lines_skipped(tmp_path):
    members = _members()
    members["OFFERING.tsv"] += b"\n\n"
    assert len(_rows(_parse(tmp_path, _zip(members, folder="")))) == 6


def test_optional_columns_may_be_absent(tmp_path):
    members = _members()
    lines = [line.split("\t") for line in members["OFFERING.tsv"].decode().split("\n")]
    gone = {lines[0].index(c) for c in ("INVESTMENTFUNDTYPE", "YETTOOCCUR", "TOTALREMAINING")}
    members["OFFERING.tsv"] = "\n".join("\t".join(c for i, c in enumerate(line) if i not in gone)
                                        for line in lines).encode()
    row = _rows(_parse(tmp_path, _zip(members)))[CL_FUND]
    assert (row["investment_fund_type"], row["sale_yet_to_occur"], row["total_remaining"]) == (None, None, None)
    assert row["total_offering_amount"] == 50_000_000.0


def test_the_zip_url_stands_in_when_no_edgar_folder_can_be_derived(tmp_path):
    zip_bytes = _with("ISSUERS.tsv", BR, CIK="N/A")
    row = _rows(_parse(tmp_path, zip_bytes))[BR]
    assert (row["cik"], row["_record_url"]) == ("N/A", "https://example.invalid/2025q2_d.zip")
    assert sec.filing_url("0001234567", "0001234567-25-000001") == (
        "https://www.sec.gov/Archives/edgar/data/1234567/000123456725000001/")


# --- wholly wrong payloads --------------------------------------------------------------------


def _payload_error(tmp_path, zip_bytes, **kwargs) -> str:
    with pytest.raises(PayloadError) as err:
        _parse(tmp_path, zip_bytes, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_missing_member_fails(tmp_path):
    members = _members()
    del members["RELATEDPERSONS.tsv"]
    message = _payload_error(tmp_path, _zip(members))
    assert message.endswith("2025q2_d.zip: no RELATEDPERSONS.tsv in the ZIP (members: 2025Q2_d/FORMDSUBMISSION.tsv, "
                            "2025Q2_d/FormD_readme.html, 2025Q2_d/ISSUERS.tsv, 2025Q2_d/OFFERING.tsv, "
                            "2025Q2_d/RECIPIENTS.tsv, 2025Q2_d/SIGNATURES.tsv)")


def test_a_missing_required_column_fails(tmp_path):
    message = _payload_error(tmp_path, _renamed("OFFERING.tsv", "TOTALAMOUNTSOLD", "AMOUNTSOLD"))
    assert message.endswith("2025q2_d.zip: OFFERING.tsv: required column(s) missing: TOTALAMOUNTSOLD")


def test_too_many_members_fail(tmp_path):
    members = {**_members(), **{f"extra-{i}.txt": b"x" for i in range(30)}}
    assert _payload_error(tmp_path, _zip(members)).endswith("2025q2_d.zip: 37 members, over the cap of 32")


def test_a_member_unpacking_past_the_cap_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(sec, "MAX_MEMBER_BYTES", 100_000)
    members = _members()
    members["OFFERING.tsv"] += b"\t" * 200_000  # compresses to almost nothing
    assert len(_zip(members)) < 10_000
    message = _payload_error(tmp_path, _zip(members))
    assert message.endswith("2025Q2_d/OFFERING.tsv unpacks to more than the cap of 100000 bytes")


def test_a_member_lying_about_its_size_is_not_unpacked_past_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sec, "MAX_MEMBER_BYTES", 100_000)
    members = _members()
    members["OFFERING.tsv"] += b"\t" * 200_000
    zip_bytes = bytearray(_zip(members))
    with zipfile.ZipFile(io.BytesIO(bytes(zip_bytes))) as zf:
        info = zf.getinfo("2025Q2_d/OFFERING.tsv")
    declared = info.file_size.to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    assert zip_bytes.count(declared) == 2  # local header and central directory
    message = _payload_error(tmp_path, bytes(zip_bytes.replace(declared, small)))
    assert message.endswith("2025Q2_d/OFFERING.tsv cannot be unpacked (Bad CRC-32 for file '2025Q2_d/OFFERING.tsv')")


def test_a_runaway_field_fails_naming_the_line(tmp_path):
    message = _payload_error(tmp_path, _with("RELATEDPERSONS.tsv", BR, RELATIONSHIPCLARIFICATION="x" * 200_000))
    assert message.endswith("2025q2_d.zip: RELATEDPERSONS.tsv: line 2: field larger than field limit (131072)")


def test_a_snapshot_without_a_data_set_fails(tmp_path):
    with pytest.raises(PayloadError, match="no Form D data set \\(<yyyy>q<n>_d.zip\\) in the snapshot$"):
        parse_files(tmp_path, sec.SOURCE, {sec.REGISTRY_FILE: b"[]"})


def test_a_malformed_registry_file_fails(tmp_path):
    with pytest.raises(PayloadError, match="registry_names.json: expected a list of \\{organization_id, name\\}$"):
        _parse(tmp_path, registry=[{"id": "x"}])


# --- quarters, links, codes, contact ----------------------------------------------------------


@pytest.mark.parametrize(("today", "quarter"), [
    (date(2026, 11, 23), (2026, 3)), (date(2026, 1, 5), (2025, 4)), (date(2026, 4, 1), (2026, 1)),
])
def test_last_completed_quarter(today, quarter):
    assert sec.last_completed_quarter(today) == quarter


def test_the_default_window_is_the_last_eight_completed_quarters():
    quarters = sec.wanted_quarters(TODAY, None)
    assert [sec.quarter_label(q) for q in quarters] == [
        "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]


def test_since_sets_the_first_quarter():
    assert [sec.quarter_label(q) for q in sec.wanted_quarters(TODAY, " 2025q4 ")] == ["2025Q4", "2026Q1", "2026Q2",
                                                                                        "2026Q3"]


@pytest.mark.parametrize(("since", "reason"), [
    ("2024-01", "'2024-01' is not a quarter like 2024Q1"),
    ("2026Q4", "2026Q4 is after the last completed quarter 2026Q3"),
])
def test_a_bad_since_fails(since, reason):
    with pytest.raises(FetchError, match=f"sec_form_d: fetch failed for env:CADENA_SEC_FORM_D_SINCE: {reason}$"):
        sec.wanted_quarters(TODAY, since)


def test_data_set_links_come_from_both_folders_and_re_uploads():
    links = sec.dataset_links(SAMPLE_INDEX.read_bytes(), sec.INDEX_URL)
    base = "https://www.sec.gov/files"
    assert links[(2026, 3)] == f"{base}/datastandardsinnovation/data/form-d-data-sets/2026q3_d.zip"
    assert links[(2026, 1)] == f"{base}/structureddata/data/form-d-data-sets/2026q1_d.zip"
    assert links[(2019, 2)] == f"{base}/structureddata/data/form-d-data-sets/2019q2_d_0.zip"
    assert len(links) == 8  # the financial statement data set is not a Form D data set


def test_every_latam_country_with_an_edgar_code_is_mapped():
    seed = set(by_iso2())
    assert set(sec.EDGAR_LATAM.values()) <= seed
    assert len(set(sec.EDGAR_LATAM.values())) == len(sec.EDGAR_LATAM)
    assert seed - set(sec.EDGAR_LATAM.values()) == {"CW", "SX", "BQ"}  # EDGAR has only the old P8 for them
    assert (sec.EDGAR_LATAM["D5"], sec.EDGAR_LATAM["O5"], sec.EDGAR_LATAM["C1"]) == ("BR", "MX", "AR")


@pytest.mark.parametrize(("contact", "usable"), [
    ("you@example.org", True),
    ("  data.team+sec@cadena.example  ", True),
    ("cadena-maintainers@users.noreply.github.com", False),
    ("no-reply@example.org", False),
    ("Cadena maintainers", False),
    ("https://github.com/cadena-latam/cadena", False),
])
def test_contact_email(contact, usable):
    assert (sec.contact_email(contact) is not None) is usable


def test_without_a_contact_e_mail_the_live_fetch_is_skipped(settings):
    settings = dataclasses.replace(settings, contact="cadena-maintainers@users.noreply.github.com")

    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
        raise AssertionError("no request without a contact")

    with pytest.raises(SourceSkipped, match="sec_form_d: skipped: the SEC asks for a User-Agent naming a contact "
                                            "e-mail it can reach; set CADENA_CONTACT to yours"):
        run_source(_unlimited(), settings, transport=httpx.MockTransport(handler))


# --- fetch ------------------------------------------------------------------------------------


def _index(links: dict[str, str]) -> bytes:
    anchors = "".join(f'<a href="{href}">{label}</a>' for label, href in links.items())
    return f"<html><body>{anchors}</body></html>".encode()


class FakeSec:
    """The index page and ZIPs; every path in ``missing`` answers 404; ETags honoured."""

    def __init__(self, page: bytes, missing: tuple[str, ...] = ()):
        self.page, self.missing = page, missing
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.url.host == "www.sec.gov"
        path = request.url.path
        if path.endswith("/form-d-data-sets"):
            return httpx.Response(200, content=self.page, headers={"content-type": "text/html"})
        if path in self.missing:
            return httpx.Response(404, text="<html>Page Not Found</html>")
        etag = f'"{path.rsplit("/", 1)[-1]}"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag})
        return httpx.Response(200, content=SAMPLE_ZIP.read_bytes(),
                              headers={"content-type": "application/zip", "etag": etag})


PAGE = _index({
    "2026 Q2": "/files/datastandardsinnovation/data/form-d-data-sets/2026q2_d.zip",
    "2026 Q1": "https://www.sec.gov/files/structureddata/data/form-d-data-sets/2026q1_d.zip",
    "2025 Q4": "/files/structureddata/data/form-d-data-sets/2025q4_d.zip",
})
Q1_PATH = "/files/structureddata/data/form-d-data-sets/2026q1_d.zip"


def test_fetch_reads_links_from_the_index_and_skips_what_is_not_published(settings, monkeypatch):
    monkeypatch.setenv(sec.SINCE_ENV, "2026Q1")
    fake = FakeSec(PAGE, missing=(Q1_PATH,))
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    assert [str(r.url) for r in fake.requests] == [
        sec.INDEX_URL,
        f"https://www.sec.gov{Q1_PATH}",  # 404: skipped
        "https://www.sec.gov/files/datastandardsinnovation/data/form-d-data-sets/2026q2_d.zip",
    ]  # 2026Q3 is not on the page yet: not asked for; 2025Q4 is before the window
    assert requests == 3
    assert {r.headers["user-agent"] for r in fake.requests} == {"Cadena tests@example.org"}
    assert snapshot.names() == ["2026q2_d.zip", "form-d-data-sets.html", "registry_names.json"]
    assert snapshot.file("form-d-data-sets.html").volatile
    assert snapshot.url_of(sec.REGISTRY_FILE) == sec.REGISTRY_URL
    assert json.loads(snapshot.read_bytes(sec.REGISTRY_FILE)) == REGISTRY
    assert {r.data["quarter"] for r in sec.parse(snapshot) if hasattr(r, "data")} == {"2026Q2"}


def test_a_second_fetch_sends_the_etag_and_reuses_the_zip(settings):
    fake = FakeSec(PAGE)
    first, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    assert first.names() == ["2025q4_d.zip", "2026q1_d.zip", "2026q2_d.zip", "form-d-data-sets.html",
                             "registry_names.json"]
    fake.requests.clear()
    second, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    zips = [r for r in fake.requests if r.url.path.endswith(".zip")]
    assert [r.headers.get("if-none-match") for r in zips] == ['"2025q4_d.zip"', '"2026q1_d.zip"', '"2026q2_d.zip"']
    assert second.unchanged and second.snapshot_id == first.snapshot_id


def test_a_page_without_data_set_links_fails(settings):
    fake = FakeSec(b"<html><body>Scheduled maintenance</body></html>")
    with pytest.raises(FetchError, match="no Form D data set ZIP is linked from the page; has it changed\\?$"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))


def test_no_wanted_quarter_on_the_page_fails(settings, monkeypatch):
    monkeypatch.setenv(sec.SINCE_ENV, "2026Q3")
    with pytest.raises(FetchError, match="none of 2026Q3..2026Q3 is published \\(the newest on the page is 2026Q2\\)$"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(FakeSec(PAGE)))


def test_a_refused_request_fails_the_source(settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="<html>Your Request Originates from an Undeclared Automated Tool</html>")

    with pytest.raises(FetchError, match="sec_form_d: fetch failed for https://www.sec.gov/data-research/"
                                         "sec-markets-data/form-d-data-sets: HTTP 403$"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_plan_and_table():
    assert sec.SOURCE.plan.rate_limits == {"www.sec.gov": 5.0}
    assert (sec.SOURCE.name, sec.SOURCE.family, sec.SOURCE.cadence) == ("sec_form_d", "funding", "quarterly")
    table = sec.SOURCE.table("offerings")
    assert (table.key, table.min_rows) == (("accession_number",), 0)
    columns = table.duckdb_columns()
    assert (columns["filing_date"], columns["related_persons"], columns["total_amount_sold"],
            columns["is_amendment"], columns["year_of_inc"]) == ("DATE", "VARCHAR[]", "DOUBLE", "BOOLEAN", "BIGINT")


# --- offline run and real captures ------------------------------------------------------------


def test_offline_run_loads_the_sample(settings, monkeypatch):
    monkeypatch.undo()  # the real curated registry, as a run would use it
    result = run_source(sec.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == ("loaded", {"offerings": 6}, 1, 2)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        kept = con.execute("select match_reason, country_iso2, matched_registry_id from raw_sec_form_d.offerings "
                           "order by accession_number").fetchall()
        persons = con.execute("select related_persons from raw_sec_form_d.offerings "
                              f"where accession_number = '{US_HOLDCO}'").fetchone()[0]
    assert kept == [("latam_address", "BR", None), ("latam_address", "MX", None), ("registry_name", None, "tractian"),
                    ("latam_address", "CL", None), ("latam_address", "PR", None), ("latam_address", "AR", None)]
    assert persons == ["Diego Muestra", "Isabela Exemplar"]


def test_real_data_sets_parse(tmp_path):
    folder = real_capture("sec_form_d")
    zips = {p.name.replace("_d_0.zip", "_d.zip").lower(): p for p in sorted(folder.glob("*_d*.zip"))}
    if not zips:
        pytest.skip("no Form D data set ZIP among the real captures")
    result = parse_files(tmp_path, sec.SOURCE, {**zips, sec.REGISTRY_FILE: json.dumps(sec.registry_names()).encode()})
    rows = result.rows.get("offerings", [])
    assert all(r["match_reason"] in ("latam_address", "registry_name") for r in rows)
    assert len(result.quarantine) <= max(5, len(rows) // 50)  # a few typos, not a misread column


def test_registry_names_are_latam_organisations_and_long_enough_aliases():
    names = REAL_REGISTRY_NAMES()
    ids = {n["organization_id"] for n in names}
    assert "tractian" in ids and "scala-data-centers" in ids
    # global companies in the registry would match unrelated US filers: left out
    assert not ids & {"amazon-web-services", "equinix", "brookfield", "aligned-data-centers"}
    spellings = {n["name"] for n in names}
    assert "Scala Data Centers" in spellings and "Scala" not in spellings  # a short alias names other issuers too

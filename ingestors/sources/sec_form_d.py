"""SEC Form D data sets: private offerings of LatAm issuers, and of the registry's organisations.

Publisher: the SEC's quarterly "Form D data sets", one ZIP per calendar
quarter, linked from ``https://www.sec.gov/data-research/sec-markets-data/form-d-data-sets``.
Public domain (a work of the US government). A quarter's ZIP appears some weeks
after the quarter closes.

Fetch:

* the ZIP URLs are read from that index page, never built from a pattern: the
  SEC moved the folder in mid-2026 (``/files/structureddata/data/form-d-data-sets/2026q1_d.zip``
  but ``/files/datastandardsinnovation/data/form-d-data-sets/2026q2_d.zip``), and
  re-uploaded files carry a ``_d_0.zip`` suffix (2008-2013, some later ones).
  The page is kept in the snapshot as a volatile file (provenance only);
* quarters from ``CADENA_SEC_FORM_D_SINCE`` (``2024Q1``; default: the last
  eight completed quarters) to the last completed quarter. A quarter not on the
  page yet, or whose link answers 404, is skipped with a warning, not the source;
  no wanted quarter on the page at all fails the source;
* the SEC asks automated clients for a User-Agent of the form "Name
  email" and at most 10 requests per second, and refuses undeclared tools with
  an HTML page ("Request Rate Threshold Exceeded"). The requests here send
  ``Cadena <CADENA_CONTACT>`` at 5 per second; without a reachable contact
  e-mail (a noreply address reaches no one) the live fetch is skipped with a
  message saying so. Offline, the sample quarter (2025Q2) is fetched from the
  sample index page;
* the fetch also writes ``registry_names.json`` (every curated organisation's
  name and aliases with its id) so the parser stays a function of the snapshot
  and a registry change makes a new snapshot.

ZIP layout: ``2024Q1_d/FORMDSUBMISSION.tsv``, ``ISSUERS.tsv``, ``OFFERING.tsv``,
``RELATEDPERSONS.tsv``, ``RECIPIENTS.tsv``, ``SIGNATURES.tsv`` and the SEC's
``FormD_readme.html`` (newer ZIPs also ``FormD_metadata.json``); members are
found by file name in whatever folder. More than 32 members, or a member that
would unpack to more than 256 MiB, fails the source (a ZIP bomb is not a data set).

Format traps (tab-separated, one header row of upper-case names, joined on ``ACCESSIONNUMBER``):

* no quoting: a ``"`` is data, so the files are read with ``csv.QUOTE_NONE``;
  text is UTF-8 (read as Latin-1 if it is not); names hold non-breaking spaces
  and ``FILE_NUM`` is right-padded with blanks: whitespace is collapsed;
* ``FILING_DATE`` is ``30-JUN-2026`` (the readme says ``DD-MMM-YY``; both are
  read), ``SALE_DATE`` is ISO ``2026-05-31``; some sale dates carry typo years
  (1014, 3013) and are kept as filed;
* flags are ``true`` / ``false`` (blank: not answered, null), but
  ``IS_PRIMARYISSUER_FLAG`` is ``YES`` / ``NO``. A filing may name several
  issuers; the primary one describes the offering;
* ``TOTALOFFERINGAMOUNT`` and ``TOTALREMAINING`` may be ``Indefinite``;
  amounts look like ``788172352.00``;
* ``TESTORLIVE`` = ``TEST`` marks test filings: dropped;
* ``ISPOOLEDINVESTMENTFUNDTYPE`` is sometimes blank where ``INDUSTRYGROUPTYPE``
  says ``Pooled Investment Fund``: either makes the offering a pooled fund. An
  amendment says ``ISAMENDMENT`` = ``true`` or ``SUBMISSIONTYPE`` = ``D/A``;
* a related person that is an entity (a fund's general partner) has
  ``FIRSTNAME`` = ``N/A`` and its name in ``LASTNAME``;
* ``STATEORCOUNTRY`` is an EDGAR code (``D5`` Brazil, ``O5`` Mexico, ``PR``
  Puerto Rico), not ISO; ``FEDERALEXEMPTIONS_ITEMS_LIST`` is kept as filed
  (``06b, 3C, 3C.7``); ``CIK`` keeps its leading zeros.

Which offerings are kept: those whose primary issuer's principal place of
business has a LatAm EDGAR code (``EDGAR_LATAM``: every country of
``ingestors.domain.countries`` that has one; Curaçao, Sint Maarten and the BES islands
have none, only the dissolved Netherlands Antilles' ``P8``, which is not
mapped), and those whose primary issuer's name equals, once normalised
(``ingestors.domain.resolution.normalise_name``), the name or alias of a registry
organisation headquartered in LatAm (aliases of fewer than six letters left
out: "Scala" or "B3" name unrelated US issuers too): a LatAm startup raising
through a US holding company. The registry id is
recorded either way. Each filing is a row; amendments are marked
(``is_amendment``, ``previous_accession_number``) for the warehouse to collapse.
Cayman Islands and British Virgin Islands addresses (in the LatAm seed) bring
mostly offshore pooled funds; ``is_pooled_investment_fund`` tells them apart.

Confirmed with the search tool (November 2026), from open-source loaders
whose authors checked them against the real 2023Q3, 2024Q1, 2025Q4 and 2026Q2
files (no SEC page itself could be read): the index page, both folder prefixes
and the ``_0`` suffix; the six TSV names and all their column names; the value
shapes above. The EDGAR country codes are the EDGAR search form's list, the
same in several sources. Not confirmed: the SEC readme's own text (only its
field list was found, saying ``DATE (DD-MMM-YY)`` for ``FILING_DATE``), the
text encoding, whether a field is ever quoted, the HTTP status of the refusal
page, and whether EDGAR added codes for Curaçao or Sint Maarten.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from ingestors.core import config
from ingestors.core.errors import FetchError, RecordError, SourceSkipped
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import curated, numbers
from ingestors.domain.countries import latam
from ingestors.domain.resolution import normalise_name

log = logging.getLogger(__name__)

NAME = "sec_form_d"
TABLE = "offerings"
HOST = "www.sec.gov"
INDEX_URL = f"https://{HOST}/data-research/sec-markets-data/form-d-data-sets"
INDEX_FILE = "form-d-data-sets.html"
REGISTRY_FILE = "registry_names.json"
REGISTRY_URL = "cadena:curated/organization_names"  # written by the fetch from warehouse/registry/organizations
SINCE_ENV = "CADENA_SEC_FORM_D_SINCE"
DEFAULT_QUARTERS = 8
SAMPLE_QUARTER = (2025, 2)  # the quarter of ingestors/samples/sec_form_d/, fetched offline
MAX_MEMBERS = 32
MAX_MEMBER_BYTES = 256 * 1024 * 1024

Quarter = tuple[int, int]

# EDGAR state/country code -> ISO 3166 alpha-2, for every country of the LatAm seed that has a code.
EDGAR_LATAM = {
    # South America
    "C1": "AR", "D3": "BO", "D5": "BR", "F3": "CL", "F8": "CO", "H1": "EC", "K0": "GY", "R4": "PY", "R5": "PE",
    "V3": "SR", "X3": "UY", "X5": "VE", "I3": "GF",
    # Mexico and Central America
    "O5": "MX", "D1": "BZ", "G2": "CR", "H3": "SV", "J8": "GT", "K2": "HN", "Q3": "NI", "R1": "PA",
    # The Caribbean
    "G3": "CU", "G8": "DO", "K1": "HT", "L8": "JM", "PR": "PR", "W5": "TT", "C5": "BS", "C8": "BB", "B9": "AG",
    "G9": "DM", "J5": "GD", "U7": "KN", "U9": "LC", "V1": "VC", "1C": "AW", "E9": "KY", "W7": "TC", "D8": "VG",
    "VI": "VI", "1A": "AI", "P1": "MS", "J6": "GP", "O2": "MQ", "Z1": "MF", "Z0": "BL",
}

SUBMISSIONS, ISSUERS, OFFERINGS, PERSONS = "FORMDSUBMISSION.tsv", "ISSUERS.tsv", "OFFERING.tsv", "RELATEDPERSONS.tsv"
REQUIRED_COLUMNS = {
    SUBMISSIONS: ("ACCESSIONNUMBER", "SUBMISSIONTYPE", "FILING_DATE"),
    ISSUERS: ("ACCESSIONNUMBER", "IS_PRIMARYISSUER_FLAG", "CIK", "ENTITYNAME", "STATEORCOUNTRY"),
    OFFERINGS: ("ACCESSIONNUMBER", "INDUSTRYGROUPTYPE", "ISAMENDMENT", "PREVIOUSACCESSIONNUMBER", "SALE_DATE",
                "TOTALOFFERINGAMOUNT", "TOTALAMOUNTSOLD", "TOTALNUMBERALREADYINVESTED"),
    PERSONS: ("ACCESSIONNUMBER", "FIRSTNAME", "LASTNAME"),
}
POOLED_FUND = "Pooled Investment Fund"
NO_NAME = frozenset({"N/A", "NA", "-"})  # the FIRSTNAME of a related person that is an entity

_QUARTER = re.compile(r"(\d{4})\s*Q([1-4])", re.IGNORECASE)
_ZIP_NAME = re.compile(r"(\d{4})q([1-4])_d\.zip")
_DATA_SET_LINK = re.compile(r"/form-d-data-sets/(\d{4})q([1-4])_d(?:_\d+)?\.zip$", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>(),;]+@[^@\s<>(),;]+\.[A-Za-z]{2,}")
_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
_AMOUNT = re.compile(r"\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
_DATE_FORMATS = ("%d-%b-%Y", "%d-%b-%y", "%Y-%m-%d")


class Offering(Row):
    accession_number: str
    quarter: str  # '2024Q1': the data set the filing came in
    submission_type: str  # 'D' or 'D/A'
    filing_date: date
    file_num: str | None
    cik: str  # as published, with leading zeros
    entity_name: str
    issuer_city: str | None
    issuer_state_or_country: str | None  # EDGAR code
    issuer_state_or_country_description: str | None
    country_iso2: str | None  # only when the principal place of business is in LatAm
    jurisdiction_of_inc: str | None
    entity_type: str | None
    year_of_inc: int | None
    industry_group_type: str | None
    investment_fund_type: str | None
    is_pooled_investment_fund: bool
    is_amendment: bool
    previous_accession_number: str | None
    sale_date: date | None  # date of first sale
    sale_yet_to_occur: bool | None
    is_equity: bool | None
    is_debt: bool | None
    federal_exemptions: str | None  # as filed: '06b, 3C, 3C.7'
    total_offering_amount: float | None  # null when indefinite
    offering_amount_indefinite: bool
    total_amount_sold: float | None
    total_remaining: float | None  # null when indefinite
    total_number_already_invested: int | None
    minimum_investment_accepted: float | None
    match_reason: str  # 'latam_address' or 'registry_name'
    matched_registry_id: str | None
    related_persons: list[str]  # "First Last", in file order


# --- quarters ---------------------------------------------------------------------------------


def quarter_label(quarter: Quarter) -> str:
    return f"{quarter[0]}Q{quarter[1]}"


def parse_quarter(text: str) -> Quarter | None:
    """``'2024Q1'`` (or ``2024q1``) -> ``(2024, 1)``; None for anything else."""
    m = _QUARTER.fullmatch(text.strip())
    return (int(m[1]), int(m[2])) if m else None


def zip_name(quarter: Quarter) -> str:
    """The snapshot file of a quarter's data set, named like the publisher's: ``2024q1_d.zip``."""
    return f"{quarter[0]}q{quarter[1]}_d.zip"


def quarter_of_zip(name: str) -> Quarter | None:
    m = _ZIP_NAME.fullmatch(name)
    return (int(m[1]), int(m[2])) if m else None


def last_completed_quarter(today: date) -> Quarter:
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


def _step(quarter: Quarter, by: int) -> Quarter:
    index = quarter[0] * 4 + quarter[1] - 1 + by
    return index // 4, index % 4 + 1


def wanted_quarters(today: date, since: str | None) -> list[Quarter]:
    """The quarters to fetch, oldest first: ``since`` (default: eight back) to the last completed one."""
    last = last_completed_quarter(today)
    first = _step(last, 1 - DEFAULT_QUARTERS)
    if since:
        first = parse_quarter(since)
        if first is None:
            raise FetchError(NAME, f"env:{SINCE_ENV}", f"{since!r} is not a quarter like 2024Q1")
        if first > last:
            raise FetchError(NAME, f"env:{SINCE_ENV}", f"{since} is after the last completed quarter "
                                                       f"{quarter_label(last)}")
    quarters = [first]
    while quarters[-1] < last:
        quarters.append(_step(quarters[-1], 1))
    return quarters


# --- fetch ------------------------------------------------------------------------------------


def contact_email(contact: str) -> str | None:
    """The contact when it is an e-mail address someone reads (not a noreply one), else None."""
    contact = contact.strip()
    if not _EMAIL.fullmatch(contact) or "noreply" in contact.lower().replace("-", ""):
        return None
    return contact


def user_agent(contact: str) -> str:
    """The SEC's documented shape, "Name email"."""
    return f"Cadena {contact}"


# A short one-word alias ("Scala", "B3", "CAF") is also the name of unrelated US issuers.
MIN_ALIAS_CHARS = 6


def registry_names() -> list[dict[str, str]]:
    """The names (and long enough aliases) of the curated organisations headquartered in LatAm, each with
    its id. Global companies in the registry (AWS, Google, Brookfield ...) are left out: the point is a
    LatAm organisation raising through a US holding company, and their names would match unrelated filers."""
    latam_codes = {c.iso2 for c in latam()}
    return [
        {"organization_id": org.id, "name": name}
        for org in (entry.organization for entry in curated.valid_entries())
        if org.hq.country in latam_codes
        for name in (org.name, *(a for a in org.aliases if len(normalise_name(a)) >= MIN_ALIAS_CHARS))
    ]


def dataset_links(html: bytes, page_url: str) -> dict[Quarter, str]:
    """Quarter -> absolute ZIP URL of every Form D data set linked from the index page (first link wins)."""
    links: dict[Quarter, str] = {}
    for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        url = urljoin(page_url, anchor["href"].strip())
        if m := _DATA_SET_LINK.search(url.split("?", 1)[0]):
            links.setdefault((int(m[1]), int(m[2])), url)
    return links


def _today() -> date:
    return date.today()


def fetch(ctx) -> None:
    """The registry's names, the index page, then the ZIP of each wanted quarter that is published."""
    if ctx.offline:
        quarters = [SAMPLE_QUARTER]
    else:
        if contact_email(ctx.settings.contact) is None:
            raise SourceSkipped(NAME, "the SEC asks for a User-Agent naming a contact e-mail it can reach; set "
                                      f"CADENA_CONTACT to yours (now {ctx.settings.contact!r})")
        quarters = wanted_quarters(_today(), config.secret(SINCE_ENV))
    headers = {"User-Agent": user_agent(ctx.settings.contact)}
    ctx.add_file(REGISTRY_FILE, json.dumps(registry_names(), ensure_ascii=False, indent=2).encode(), REGISTRY_URL)
    links = dataset_links(ctx.get(INDEX_FILE, INDEX_URL, headers=headers, volatile=True), INDEX_URL)
    if not links:
        raise FetchError(NAME, INDEX_URL, "no Form D data set ZIP is linked from the page; has it changed?")
    fetched = []
    for quarter in quarters:
        if _download(ctx, quarter, links.get(quarter), headers):
            fetched.append(quarter)
    if not fetched:
        raise FetchError(NAME, INDEX_URL, f"none of {quarter_label(quarters[0])}..{quarter_label(quarters[-1])} "
                                          f"is published (the newest on the page is {quarter_label(max(links))})")


def _download(ctx, quarter: Quarter, url: str | None, headers: dict[str, str]) -> bool:
    """Fetch one quarter's ZIP; False when it is not published (yet)."""
    if url is None:
        log.warning("%s: %s is not on the index page yet; skipped", NAME, quarter_label(quarter))
        return False
    try:
        ctx.get(zip_name(quarter), url, headers=headers)
    except FetchError as exc:
        if exc.status != 404:
            raise
        log.warning("%s: %s answers 404; skipped", NAME, url)
        return False
    return True


# --- reading the ZIP --------------------------------------------------------------------------


def _open_zip(snapshot, name: str) -> zipfile.ZipFile:
    return snapshot.open_zip(name, max_members=MAX_MEMBERS, max_bytes=MAX_MEMBERS * MAX_MEMBER_BYTES)


def _member(snapshot, name: str, archive: zipfile.ZipFile, file_name: str) -> bytes:
    """The bytes of the one member called ``file_name`` (in any folder), within the size cap."""
    hits = [i for i in archive.infolist()
            if not i.is_dir() and PurePosixPath(i.filename).name.casefold() == file_name.casefold()]
    if len(hits) != 1:
        members = ", ".join(i.filename for i in archive.infolist())
        raise snapshot.error(f"{'no' if not hits else 'more than one'} {file_name} in the ZIP (members: {members})",
                             file=name)
    info = hits[0]
    # zipfile never unpacks past the size a member declares (a member that lies fails its CRC check),
    # so checking the declared size bounds what is read.
    if info.file_size > MAX_MEMBER_BYTES:
        raise snapshot.error(f"{info.filename} unpacks to more than the cap of {MAX_MEMBER_BYTES} bytes", file=name)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise snapshot.error(f"{info.filename} cannot be unpacked ({exc})", file=name) from None


def _clean(value: str | None) -> str | None:
    """Collapse whitespace (non-breaking spaces included); empty becomes None."""
    if value is None:
        return None
    return " ".join(value.replace("\xa0", " ").split()) or None


def _rows(snapshot, name: str, archive: zipfile.ZipFile, file_name: str) -> Iterator[dict[str, str | None]]:
    """The rows of one TSV as {COLUMN: cleaned value}; its required columns must be in the header."""
    data = _member(snapshot, name, archive, file_name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip().upper() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS[file_name] if c not in header]
    if missing:
        raise snapshot.error(f"{file_name}: required column(s) missing: {', '.join(missing)}", file=name)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield {column: _clean(cells[i]) if i < len(cells) else None for i, column in enumerate(header)}
    except csv.Error as exc:
        raise snapshot.error(f"{file_name}: line {reader.line_num}: {exc}", file=name) from None


def _primary_issuers(rows: Iterable[dict]) -> dict[str, dict]:
    """Accession number -> its primary issuer (the first issuer when none is flagged)."""
    first: dict[str, dict] = {}
    flagged: dict[str, dict] = {}
    for row in rows:
        accession = row["ACCESSIONNUMBER"]
        first.setdefault(accession, row)
        if (row["IS_PRIMARYISSUER_FLAG"] or "").upper() == "YES":
            flagged.setdefault(accession, row)
    return {**first, **flagged}


def _person(row: dict) -> str | None:
    first = row["FIRSTNAME"] if (row["FIRSTNAME"] or "").upper() not in NO_NAME else None
    return " ".join(p for p in (first, row["LASTNAME"]) if p) or None


def _related_persons(rows: Iterable[dict], accessions: set[str]) -> dict[str, list[str]]:
    persons: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["ACCESSIONNUMBER"] in accessions and (person := _person(row)):
            persons[row["ACCESSIONNUMBER"]].append(person)
    return persons


# --- which offerings are kept -----------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    reason: str  # latam_address | registry_name
    country_iso2: str | None
    registry_id: str | None


def registry_index(snapshot) -> dict[str, str]:
    """Normalised name -> organisation id, from ``registry_names.json``; a name two organisations share is dropped."""
    body = snapshot.read_json(REGISTRY_FILE)
    ids: dict[str, set[str]] = defaultdict(set)
    try:
        for item in body:
            if key := normalise_name(item["name"]):
                ids[key].add(item["organization_id"])
    except (TypeError, KeyError, AttributeError):
        raise snapshot.error("expected a list of {organization_id, name}", file=REGISTRY_FILE) from None
    for key, owners in ids.items():
        if len(owners) > 1:
            log.warning("%s: the name %r belongs to %s; not matched", NAME, key, ", ".join(sorted(owners)))
    return {key: owners.pop() for key, owners in ids.items() if len(owners) == 1}


def match(issuer: dict, registry: dict[str, str]) -> Match | None:
    """Why an issuer is kept: a LatAm principal place of business, or a registry organisation's name."""
    country = EDGAR_LATAM.get((issuer["STATEORCOUNTRY"] or "").upper())
    registry_id = registry.get(normalise_name(issuer["ENTITYNAME"]))
    if country:
        return Match("latam_address", country, registry_id)
    if registry_id:
        return Match("registry_name", None, registry_id)
    return None


# --- values -----------------------------------------------------------------------------------


def _required(row: dict, column: str) -> str:
    if row.get(column) is None:
        raise RecordError(f"{column}: empty")
    return row[column]


def _flag(row: dict, column: str) -> bool | None:
    value = row.get(column)
    if value is None:
        return None
    if value.lower() in ("true", "yes", "y"):
        return True
    if value.lower() in ("false", "no", "n"):
        return False
    raise RecordError(f"{column}: not true/false: {value!r}")


def _date(row: dict, column: str, *, required: bool = False) -> date | None:
    value = _required(row, column) if required else row.get(column)
    return numbers.parse_date(column, value, _DATE_FORMATS)


def _amount(row: dict, column: str) -> tuple[float | None, bool]:
    """(amount, indefinite): ``Indefinite`` gives (None, True)."""
    value = row.get(column)
    if value is None:
        return None, False
    if value.lower() == "indefinite":
        return None, True
    return numbers.parse_number(column, value, minimum=0, prefix="$"), False


def _count(row: dict, column: str) -> int | None:
    amount, indefinite = _amount(row, column)
    if indefinite or (amount is not None and not amount.is_integer()):
        raise RecordError(f"{column}: not a whole number: {row[column]!r}")
    return None if amount is None else int(amount)


def offering_row(quarter: str, submission: dict | None, issuer: dict, item: dict, found: Match,
                 persons: list[str]) -> dict[str, Any]:
    """The table row for one filing; raises RecordError naming the column that cannot be read."""
    if submission is None:
        raise RecordError(f"no {SUBMISSIONS} row for this accession number")
    submission_type = _required(submission, "SUBMISSIONTYPE")
    offered, indefinite = _amount(item, "TOTALOFFERINGAMOUNT")
    return {
        "accession_number": item["ACCESSIONNUMBER"],
        "quarter": quarter,
        "submission_type": submission_type,
        "filing_date": _date(submission, "FILING_DATE", required=True),
        "file_num": submission.get("FILE_NUM"),
        "cik": _required(issuer, "CIK"),
        "entity_name": _required(issuer, "ENTITYNAME"),
        "issuer_city": issuer.get("CITY"),
        "issuer_state_or_country": issuer["STATEORCOUNTRY"],
        "issuer_state_or_country_description": issuer.get("STATEORCOUNTRYDESCRIPTION"),
        "country_iso2": found.country_iso2,
        "jurisdiction_of_inc": issuer.get("JURISDICTIONOFINC"),
        "entity_type": issuer.get("ENTITYTYPE"),
        "year_of_inc": _count(issuer, "YEAROFINC_VALUE_ENTERED"),
        "industry_group_type": item["INDUSTRYGROUPTYPE"],
        "investment_fund_type": item.get("INVESTMENTFUNDTYPE"),
        "is_pooled_investment_fund": bool(_flag(item, "ISPOOLEDINVESTMENTFUNDTYPE"))
                                     or item["INDUSTRYGROUPTYPE"] == POOLED_FUND,
        "is_amendment": bool(_flag(item, "ISAMENDMENT")) or submission_type == "D/A",
        "previous_accession_number": item["PREVIOUSACCESSIONNUMBER"],
        "sale_date": _date(item, "SALE_DATE"),
        "sale_yet_to_occur": _flag(item, "YETTOOCCUR"),
        "is_equity": _flag(item, "ISEQUITYTYPE"),
        "is_debt": _flag(item, "ISDEBTTYPE"),
        "federal_exemptions": item.get("FEDERALEXEMPTIONS_ITEMS_LIST"),
        "total_offering_amount": offered,
        "offering_amount_indefinite": indefinite,
        "total_amount_sold": _amount(item, "TOTALAMOUNTSOLD")[0],
        "total_remaining": _amount(item, "TOTALREMAINING")[0],
        "total_number_already_invested": _count(item, "TOTALNUMBERALREADYINVESTED"),
        "minimum_investment_accepted": _amount(item, "MINIMUMINVESTMENTACCEPTED")[0],
        "match_reason": found.reason,
        "matched_registry_id": found.registry_id,
        "related_persons": persons,
    }


def filing_url(cik: str, accession: str) -> str | None:
    """The filing's EDGAR folder, e.g. ``https://www.sec.gov/Archives/edgar/data/1234567/000123456725000001/``."""
    if cik.isdigit() and _ACCESSION.fullmatch(accession):
        return f"https://{HOST}/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}/"
    return None


# --- parse ------------------------------------------------------------------------------------


Kept = tuple[dict, dict | None, dict, Match]  # offering, its submission (if any), primary issuer, why


def _kept(snapshot, name: str, archive: zipfile.ZipFile, registry: dict[str, str]) -> list[Kept]:
    """The live filings of one quarter whose primary issuer is kept."""
    submissions = {r["ACCESSIONNUMBER"]: r for r in _rows(snapshot, name, archive, SUBMISSIONS)}
    issuers = _primary_issuers(_rows(snapshot, name, archive, ISSUERS))
    kept = []
    for item in _rows(snapshot, name, archive, OFFERINGS):
        submission = submissions.get(item["ACCESSIONNUMBER"])
        issuer = issuers.get(item["ACCESSIONNUMBER"])
        if issuer is None or ((submission or {}).get("TESTORLIVE") or "").upper() == "TEST":
            continue
        if found := match(issuer, registry):
            kept.append((item, submission, issuer, found))
    return kept


def _parse_quarter(snapshot, name: str, registry: dict[str, str]) -> Iterator[Record | Reject]:
    quarter = quarter_label(quarter_of_zip(name))
    with _open_zip(snapshot, name) as archive:
        kept = _kept(snapshot, name, archive, registry)
        persons = _related_persons(_rows(snapshot, name, archive, PERSONS), {k[0]["ACCESSIONNUMBER"] for k in kept})
    for item, submission, issuer, found in kept:
        accession = item["ACCESSIONNUMBER"]
        try:
            data = offering_row(quarter, submission, issuer, item, found, persons.get(accession, []))
        except RecordError as exc:
            raw = {part: {k: v for k, v in (row or {}).items() if v is not None}
                   for part, row in (("submission", submission), ("issuer", issuer), ("offering", item))}
            yield Reject(TABLE, accession, str(exc), raw)
            continue
        url = filing_url(data["cik"], accession) or snapshot.url_of(name)
        yield Record(TABLE, data, record_id=accession, record_url=url)


def parse(snapshot) -> Iterator[Record | Reject]:
    names = [n for n in snapshot.names() if quarter_of_zip(n)]
    if not names:
        raise snapshot.error("no Form D data set (<yyyy>q<n>_d.zip) in the snapshot")
    registry = registry_index(snapshot)
    for name in names:
        yield from _parse_quarter(snapshot, name, registry)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="SEC Form D data sets",
    endpoint=("SEC Form D data sets: the quarterly ZIPs of TSVs linked from sec.gov's Form D data sets page; "
              "LatAm issuers and registry organisations' US holding companies; **needs an e-mail in "
              "`CADENA_CONTACT`** (the SEC's User-Agent rule), skipped without"),
    description="Private offerings filed on Form D by issuers based in LatAm, and by issuers named like a "
                "curated organisation (LatAm startups raising through US holding companies).",
    homepage=INDEX_URL,
    licence="Public domain (US government work, SEC)",
    cadence="quarterly",
    tables=(
        Table(TABLE, Offering, ("accession_number",),
              "One row per Form D filing (new notice or amendment) of a kept issuer: amounts offered and "
              "sold, date of first sale, industry group, investors, related persons, and why it was kept.",
              # A quarter may have no LatAm issuer and no registry name.
              min_rows=0),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=30,  # the index page and one ZIP per quarter (9 by default)
        # The SEC allows 10 requests per second; half that is polite.
        rate_limits={HOST: 5.0},
        sample_routes={
            f"{HOST}/files/*/form-d-data-sets/*.zip": zip_name(SAMPLE_QUARTER),
        },
    ),
)

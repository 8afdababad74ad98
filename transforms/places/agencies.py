"""The world's news agencies, as their datelines name them: ``(AP)``, ``(Reuters)``, ``(dpa)``,
``(Xinhua)``, ``(EFE)``, and a newsroom's own private ones.

A parenthesis in a lead is a dateline's agency only when it names one of these, so that
``Microsoft Corp (MSFT.O) -``, ``Bayern Munich (Germany) -`` and ``Beyonce (pictured) -`` stay
in the body. A name matches as written, in capitals, or (a name of four letters or more)
in any case; two agencies or a member paper with its agency (``tca/dpa``, ``vt/fp``), a service
of an agency (``dpa-AFX``, ``Reuters Breakingviews``, ``Thomson Reuters Foundation``) match
through the agency they name.

Private agencies (a fictional ``FP`` in the samples, a member paper's wire) are added with
``add_private_agencies`` or the ``WIRESTREAM_AGENCIES`` environment variable (names separated
by commas), which worker processes inherit; private names match in any case.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ENVIRONMENT_VARIABLE", "Agency", "add_private_agencies", "agency_names", "known_agency", "private_agencies"]

ENVIRONMENT_VARIABLE = "WIRESTREAM_AGENCIES"


@dataclass(frozen=True)
class Agency:
    name: str
    country_code: str | None  # where it is based; None for a private one


# fmt: off
# (the names a dateline gives it, its full name, its country): national agencies first by region,
# then the services and syndicates whose copy carries their name in the dateline.
_AGENCIES = (
    # The Americas
    ("AP|Associated Press|The Associated Press", "The Associated Press", "US"),
    ("UPI|United Press International", "United Press International", "US"),
    ("Bloomberg|Bloomberg News", "Bloomberg News", "US"),
    ("Dow Jones|Dow Jones Newswires|AP-Dow Jones|MarketWatch", "Dow Jones Newswires", "US"),
    ("CNN", "CNN", "US"),
    ("tca|TCA|Tribune Content Agency|MCT", "Tribune Content Agency", "US"),
    ("JTA|Jewish Telegraphic Agency", "Jewish Telegraphic Agency", "US"),
    ("RNS|Religion News Service", "Religion News Service", "US"),
    ("CP|Canadian Press|The Canadian Press|La Presse Canadienne", "The Canadian Press", "CA"),
    ("Notimex", "Notimex", "MX"),
    ("Prensa Latina", "Prensa Latina", "CU"),
    ("ACAN|ACAN-EFE", "Agencia Centroamericana de Noticias", "PA"),
    ("Colprensa", "Colprensa", "CO"),
    ("Andina", "Agencia Andina", "PE"),
    ("ABI", "Agencia Boliviana de Información", "BO"),
    ("AVN|VTV", "Agencia Venezolana de Noticias", "VE"),
    ("Télam|Telam|Noticias Argentinas", "Télam", "AR"),
    ("Agência Brasil|Agencia Brasil|ABr|Agência Estado|Estadão Conteúdo", "Agência Brasil", "BR"),
    # Europe
    ("Reuters|Reuter|Thomson Reuters|Breakingviews|IFR", "Reuters", "GB"),
    ("PA|PA Media|Press Association", "PA Media", "GB"),
    ("AFP|Agence France-Presse|Agence France Presse", "Agence France-Presse", "FR"),
    ("dpa|DPA|Deutsche Presse-Agentur|dpa-AFX|AFX|dpa/lnw|dpa/lby|dpa/lno|dpa/lsw", "Deutsche Presse-Agentur", "DE"),
    ("epd|KNA|dapd|ddp|AFP-Deutschland", "German church and national services", "DE"),
    ("APA|apa|Austria Presse Agentur", "Austria Presse Agentur", "AT"),
    ("SDA|sda|ATS|ats|Keystone-SDA|Keystone-ATS|AWP|awp", "Keystone-SDA", "CH"),
    ("ANSA|ANSAmed|AGI|Adnkronos|Askanews|LaPresse", "ANSA", "IT"),
    ("IPS|Inter Press Service", "Inter Press Service", "IT"),
    ("EFE|Efe|Europa Press|Servimedia|Colpisa", "Agencia EFE", "ES"),
    ("Lusa", "Lusa", "PT"),
    ("ANP", "Algemeen Nederlands Persbureau", "NL"),
    ("Belga", "Belga", "BE"),
    ("ANA-MPA|AMNA|ANA|APE", "Athens-Macedonian News Agency", "GR"),
    ("CNA|Cyprus News Agency", "Cyprus News Agency", "CY"),
    ("Ritzau", "Ritzau", "DK"),
    ("NTB", "Norsk Telegrambyrå", "NO"),
    ("TT", "Tidningarnas Telegrambyrå", "SE"),
    ("STT|STT-FNB|FNB", "Suomen Tietotoimisto", "FI"),
    ("RÚV|RUV", "RÚV", "IS"),
    ("ERR|BNS|Baltic News Service", "Baltic News Service", "EE"),
    ("LETA", "LETA", "LV"),
    ("ELTA", "ELTA", "LT"),
    ("PAP|Polish Press Agency", "Polska Agencja Prasowa", "PL"),
    ("CTK|ČTK|CTK/AP", "Česká tisková kancelář", "CZ"),
    ("TASR", "Tlačová agentúra Slovenskej republiky", "SK"),
    ("MTI", "Magyar Távirati Iroda", "HU"),
    ("Agerpres|Rompres|MEDIAFAX|Mediafax", "Agerpres", "RO"),
    ("BTA", "Bulgarian News Agency", "BG"),
    ("Tanjug|FoNet", "Tanjug", "RS"),
    ("HINA", "Hrvatska izvještajna novinska agencija", "HR"),
    ("STA", "Slovenska tiskovna agencija", "SI"),
    ("FENA|SRNA", "FENA", "BA"),
    ("MIA|MINA", "Media Information Agency", "MK"),
    ("ATA", "Agjencia Telegrafike Shqiptare", "AL"),
    ("Ukrinform|UNIAN|Interfax-Ukraine", "Ukrinform", "UA"),
    ("BelTA", "Belarusian Telegraph Agency", "BY"),
    ("Moldpres|IPN", "Moldpres", "MD"),
    ("TASS|ITAR-TASS|RIA|RIA Novosti|Interfax|Sputnik", "TASS", "RU"),
    # Middle East and Africa
    ("Anadolu|Anadolu Agency|AA|DHA|IHA|ANKA|Demirören", "Anadolu Agency", "TR"),
    ("Armenpress", "Armenpress", "AM"),
    ("Azertac|APA-Azerbaijan", "AZERTAC", "AZ"),
    ("Interpressnews|GHN|Agenda.ge", "Interpressnews", "GE"),
    ("IRNA|ISNA|Fars|Tasnim|Mehr|ILNA|IBNA", "Islamic Republic News Agency", "IR"),
    ("INA", "Iraqi News Agency", "IQ"),
    ("SANA", "Syrian Arab News Agency", "SY"),
    ("NNA", "National News Agency", "LB"),
    ("Petra", "Petra", "JO"),
    ("WAFA|Ma'an", "WAFA", "PS"),
    ("KUNA", "Kuwait News Agency", "KW"),
    ("SPA", "Saudi Press Agency", "SA"),
    ("WAM", "Emirates News Agency", "AE"),
    ("QNA", "Qatar News Agency", "QA"),
    ("BNA", "Bahrain News Agency", "BH"),
    ("ONA", "Oman News Agency", "OM"),
    ("Saba", "Saba News Agency", "YE"),
    ("MENA", "Middle East News Agency", "EG"),
    ("LANA", "Libyan News Agency", "LY"),
    ("TAP", "Tunis Afrique Presse", "TN"),
    ("APS", "Algérie Presse Service", "DZ"),
    ("MAP", "Maghreb Arabe Presse", "MA"),
    ("SUNA", "Sudan News Agency", "SD"),
    ("ENA", "Ethiopian News Agency", "ET"),
    ("KNA|Kenya News Agency", "Kenya News Agency", "KE"),
    ("NAN", "News Agency of Nigeria", "NG"),
    ("GNA", "Ghana News Agency", "GH"),
    ("APS-Senegal|Agence de Presse Sénégalaise", "Agence de Presse Sénégalaise", "SN"),
    ("ANA|African News Agency|SAPA|Sapa|ANA Reporter", "African News Agency", "ZA"),
    ("New Ziana|Ziana", "New Ziana", "ZW"),
    # Asia and the Pacific
    ("Xinhua|New China News Agency|NCNA|CNS|China News Service|Chinanews", "Xinhua News Agency", "CN"),
    ("CNA|Central News Agency|Focus Taiwan", "Central News Agency", "TW"),
    ("Kyodo|Kyodo News|Jiji|Jiji Press", "Kyodo News", "JP"),
    ("Yonhap|Newsis|News1", "Yonhap News Agency", "KR"),
    ("KCNA", "Korean Central News Agency", "KP"),
    ("Montsame", "Montsame", "MN"),
    ("PTI|Press Trust of India|IANS|UNI|United News of India|ANI", "Press Trust of India", "IN"),
    ("APP|Associated Press of Pakistan|PPI|NNI", "Associated Press of Pakistan", "PK"),
    ("BSS|UNB", "Bangladesh Sangbad Sangstha", "BD"),
    ("Pajhwok|Bakhtar", "Pajhwok Afghan News", "AF"),
    ("Kazinform|Interfax-Kazakhstan", "Kazinform", "KZ"),
    ("Kabar|AKIpress|24.kg", "Kabar", "KG"),
    ("Khovar", "Khovar", "TJ"),
    ("UzA", "UzA", "UZ"),
    ("Bernama", "Bernama", "MY"),
    ("Antara", "Antara", "ID"),
    ("PNA|Philippine News Agency", "Philippine News Agency", "PH"),
    ("VNA|Vietnam News Agency|TTXVN", "Vietnam News Agency", "VN"),
    ("TNA|Thai News Agency", "Thai News Agency", "TH"),
    ("MNA|Myanmar News Agency", "Myanmar News Agency", "MM"),
    ("KPL", "Lao News Agency", "LA"),
    ("AKP", "Agence Kampuchea Presse", "KH"),
    ("AAP|Australian Associated Press", "Australian Associated Press", "AU"),
    ("NZPA|RNZ|NZ Herald", "New Zealand Press Association", "NZ"),
)
# fmt: on
# Any case is safe for a name this long: no agency of four letters or more is an English word.
_ANY_CASE_LENGTH = 4
_SPLIT = re.compile(r"\s*/\s*")


def known_agency(text: str) -> Agency | None:
    """The agency ``text`` (what a dateline's parenthesis holds) names, or None."""
    text = " ".join(text.split())
    found = _lookup(text)
    if found or not text:
        return found
    for part in _SPLIT.split(text):  # "tca/dpa", "vt/fp": the first part known
        if part != text and (found := _lookup(part)):
            return found
    head = re.split(r"[-\s]", text, maxsplit=1)[0]  # "dpa-AFX", "Reuters Breakingviews"
    if head != text and (found := _lookup(head)):
        return found
    words = text.split()  # "Thomson Reuters Foundation": a name of three capitalised words
    if len(words) > 1 and all(word[:1].isupper() for word in words):
        return next(filter(None, map(_lookup, words)), None)
    return None


def agency_names() -> list[str]:
    """The full name of every agency wirestream knows of itself (not the private ones), as ``known_agency`` gives it."""
    return sorted({name for _forms, name, _country in _AGENCIES})


def add_private_agencies(names: Iterable[str], *, export: bool = True) -> None:
    """Make ``names`` known agencies in this process and, with ``export``, in the processes it
    starts afterwards (through ``WIRESTREAM_AGENCIES``)."""
    names = [name.strip() for name in names if name and name.strip()]
    current = [name for name in os.environ.get(ENVIRONMENT_VARIABLE, "").split(",") if name.strip()]
    _private.update(name.casefold() for name in names)
    if export and names:
        os.environ[ENVIRONMENT_VARIABLE] = ",".join(dict.fromkeys([*current, *names]))


def private_agencies() -> frozenset[str]:
    """The private names this process knows (casefolded), the environment's included."""
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "")
    return frozenset(_private | {name.strip().casefold() for name in from_environment.split(",") if name.strip()})


_private: set[str] = set()


def _lookup(text: str) -> Agency | None:
    table, any_case = _tables()
    found = table.get(text) or any_case.get(text.casefold())
    if found is None and text.casefold() in private_agencies():
        return Agency(text, None)
    return found


@functools.cache
def _tables() -> tuple[dict[str, Agency], dict[str, Agency]]:
    """The names as written (and in capitals), and the long ones by their casefolded form."""
    table: dict[str, Agency] = {}
    any_case: dict[str, Agency] = {}
    for forms, name, country in _AGENCIES:
        agency = Agency(name, country)
        for form in forms.split("|"):
            table.setdefault(form, agency)
            table.setdefault(form.upper(), agency)
            if sum(ch.isalpha() for ch in form) >= _ANY_CASE_LENGTH:
                any_case.setdefault(form.casefold(), agency)
    return table, any_case

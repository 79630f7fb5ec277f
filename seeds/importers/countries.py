"""Country names and codes from imported files, as ISO 3166-1 alpha-2 codes.

UCDP names countries its own way ("Myanmar (Burma)", "DR Congo (Zaire)", "Kingdom of eSwatini
(Swaziland)"); GDELT writes FIPS 10-4 codes for places and CAMEO's three-letter codes (ISO
alpha-3 for countries, plus regions such as `AFR`) for actors. Names are looked up in pycountry
after UCDP's spellings below; FIPS codes in the table of `seeds.importers.fips`.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

from seeds.importers.fips import FIPS_TO_ISO

#: UCDP GED country names (and government names' country parts) that pycountry does not know.
UCDP_NAMES: dict[str, str] = {
    "myanmar (burma)": "MM",
    "burma": "MM",
    "cambodia (kampuchea)": "KH",
    "dr congo (zaire)": "CD",
    "dr congo": "CD",
    "congo": "CG",
    "russia (soviet union)": "RU",
    "russia": "RU",
    "serbia (yugoslavia)": "RS",
    "yemen (north yemen)": "YE",
    "yemen (south yemen)": "YE",
    "zimbabwe (rhodesia)": "ZW",
    "madagascar (malagasy)": "MG",
    "bosnia-herzegovina": "BA",
    "ivory coast": "CI",
    "kingdom of eswatini (swaziland)": "SZ",
    "macedonia, fyr": "MK",
    "north macedonia": "MK",
    "vietnam (north vietnam)": "VN",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "tanzania": "TZ",
    "venezuela": "VE",
    "bolivia": "BO",
    "moldova": "MD",
    "south korea": "KR",
    "north korea": "KP",
    "taiwan": "TW",
    "turkey": "TR",
    "kosovo": "XK",
    "cape verde": "CV",
    "east timor": "TL",
    "brunei": "BN",
    "czech republic": "CZ",
    "united states of america": "US",
    "gambia": "GM",
    "the gambia": "GM",
    "comoros": "KM",
    "palestine": "PS",
}

_PARENTHESES = re.compile(r"\s*\(([^)]*)\)\s*")


@cache
def iso_from_name(name: str) -> str | None:
    """The ISO alpha-2 code for a country name as UCDP (or anyone) writes it; None if unknown."""
    wanted = " ".join(name.split()).lower()
    if not wanted:
        return None
    if wanted in UCDP_NAMES:
        return UCDP_NAMES[wanted]
    candidates = [wanted, _PARENTHESES.sub(" ", wanted).strip()]
    candidates += _PARENTHESES.findall(wanted)
    for candidate in candidates:
        if candidate in UCDP_NAMES:
            return UCDP_NAMES[candidate]
        try:
            country = pycountry.countries.lookup(candidate)
        except LookupError:
            continue
        return str(country.alpha_2)
    return None


def iso_from_fips(code: str) -> str | None:
    """The ISO alpha-2 code for a FIPS 10-4 country code (GDELT locations); None if unknown."""
    return FIPS_TO_ISO.get(code.strip().upper())


@cache
def iso_from_alpha3(code: str) -> str | None:
    """The ISO alpha-2 code for a three-letter country code (GDELT actors); None for regions."""
    country = pycountry.countries.get(alpha_3=code.strip().upper())
    return None if country is None else str(country.alpha_2)

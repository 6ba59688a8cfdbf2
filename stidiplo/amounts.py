"""Amounts of money an item names: a number in an ISO 4217 currency, and what it is per.

Read as people write them in options and cells ('1,000,000', '1e3', '54000000 JPY'), kept exact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from stidiplo.errors import ValidationError

MAX_AMOUNT = 10**15
"""The largest amount accepted: stored numbers stay exact and every JSON reader can take them."""
CURRENCIES = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF
    CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
    LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAD XAF XAG XAU XBA XBB
    XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG""".split()
)
"""The ISO 4217 currency codes an amount may use."""

_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money an item names: its value in `currency`, and what it is for, in Japanese and English."""

    value: float | int
    currency: str
    detail: str | None = None
    detail_en: str | None = None


def amount_number(value: object, name: str = "amount") -> int | float | None:
    """A number as written in an option or a cell ('1,000,000', '1e3', 1000.0), or None when empty.

    A whole number is kept as an integer whatever its spelling, so `1e3` is stored as 1000 by
    `add`, `edit` and `import` alike.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"{name}: the value must be a number")
    number: int | float
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            number = int(text) if _INTEGER.fullmatch(text) else float(text)
        except ValueError:
            raise ValidationError(f"{name}: {value!r} is not a number") from None
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        raise ValidationError(f"{name}: the value must be a finite number no larger than {MAX_AMOUNT:,}, not {value!r}")
    if isinstance(number, float) and number.is_integer() and abs(number) <= MAX_AMOUNT:
        return int(number)
    return number


def parse_amount(text: str, detail: str | None = None) -> Amount:
    """An amount written as a number and its currency ('54000000 JPY', '1.5e7 EUR'); the currency is required."""
    parts = text.replace(",", "").split()
    if len(parts) != 2:
        raise ValidationError(f"amount {text!r}: write a number and a currency, e.g. '54000000 JPY'")
    number = amount_number(parts[0])
    assert number is not None
    amount = Amount(number, parts[1].upper(), detail)
    check_amount(amount)
    return amount


def check_amount(amount: Amount) -> None:
    """Raise ValidationError unless `amount` is a number from 0 to MAX_AMOUNT in a known currency."""
    value = amount.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("amount: the value must be a number")
    if not math.isfinite(value) or abs(value) > MAX_AMOUNT:
        raise ValidationError(f"amount: the value must be a finite number no larger than {MAX_AMOUNT:,}")
    if value < 0:
        raise ValidationError(f"amount: {value} is negative; an amount is what is paid or granted")
    if not isinstance(amount.currency, str) or amount.currency not in CURRENCIES:
        raise ValidationError(f"amount: {amount.currency!r} is not an ISO 4217 currency code such as JPY or EUR")

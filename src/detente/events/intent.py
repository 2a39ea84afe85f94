"""CAMEO codes for stated intentions: 'plans to visit' is 036, not 042."""

from __future__ import annotations

# Fine codes whose intent form is known exactly; other codes go by their root.
_BY_CODE = {
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "081": "0351",
    "0811": "0351",
    "0812": "0351",
    "082": "0352",
    "083": "034",
    "0831": "0341",
    "0832": "0342",
    "0833": "0343",
    "0834": "0344",
    "084": "0353",
    "085": "0354",
    "086": "0356",
    "087": "0356",
    "045": "039",
    "046": "036",
    "057": "030",
    "163": "1312",
    "161": "1313",
    "162": "1311",
    "172": "132",
    "1721": "132",
    "1722": "132",
    "1723": "132",
    "1724": "132",
}
_BY_ROOT = {
    "04": "036",
    "05": "032",
    "06": "031",
    "07": "033",
    "08": "035",
    "14": "133",
    "15": "138",
    "16": "131",
    "17": "137",
    "18": "138",
    "19": "138",
    "20": "138",
}


def intent_code(cameo: str) -> str:
    """The code for stating the intention to do ``cameo`` (03x, or a 13x threat)."""
    if cameo in _BY_CODE:
        return _BY_CODE[cameo]
    return _BY_ROOT.get(cameo[:2], cameo)

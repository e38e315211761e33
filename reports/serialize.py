"""ReportData <-> JSON for the job row: the page and the Excel file render the same figures."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from organizations.reporting import Chart, ReportData, Table


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(data: ReportData) -> dict:
    out = asdict(data)
    out["as_of"] = _cell(data.as_of)
    for table in out["tables"]:
        table["rows"] = [[_cell(v) for v in row] for row in table["rows"]]
        table["total"] = [_cell(v) for v in table["total"]] if table["total"] is not None else None
        table["percent_columns"] = sorted(table["percent_columns"])
    for chart in out["charts"]:
        chart["series"] = [[name, list(values)] for name, values in chart["series"]]
    return out


def from_json(raw: dict) -> ReportData:
    tables = [
        Table(
            title=t["title"],
            columns=t["columns"],
            rows=t["rows"],
            total=t.get("total"),
            percent_columns=set(t.get("percent_columns") or ()),
            sheet=t.get("sheet", ""),
            stack=t.get("stack", ""),
        )
        for t in raw.get("tables", [])
    ]
    charts = [
        Chart(kind=c["kind"], title=c["title"], labels=c["labels"], series=[(n, v) for n, v in c["series"]])
        for c in raw.get("charts", [])
    ]
    return ReportData(
        kind=raw["kind"],
        title=raw["title"],
        root_code=raw["root_code"],
        root_name=raw["root_name"],
        year=raw.get("year"),
        narrative=list(raw.get("narrative", [])),
        tables=tables,
        charts=charts,
        as_of=date.fromisoformat(raw["as_of"]) if raw.get("as_of") else None,
    )

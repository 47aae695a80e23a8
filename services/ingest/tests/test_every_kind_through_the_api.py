"""Every exhibit kind goes through the upload API and the parse job into its tables."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from .test_parse_job import parsed, report_of

pytestmark = pytest.mark.anyio
DATA = Path(__file__).parent / "data"

SAMPLES = [
    # kind, file, tables expected
    ("cdr", DATA / "profiles" / "three_style.tsv", {"events"}),
    ("cdr", DATA / "profiles" / "o2_style.xlsx", {"events"}),
    ("retained_data_xml", DATA / "etsi_retained_sample.xml", {"events"}),
    ("handset_download", DATA / "handset_sample.ufdr", {"handsets", "events", "messages",
                                                        "contacts"}),
    ("handset_download", DATA / "handset_sample.txt", {"handsets", "events", "messages",
                                                       "contacts"}),
    ("anpr", DATA / "anpr_bath_reads.csv", {"anpr_reads"}),
    ("subscriber", DATA / "subscriber_sample.csv", {"subscribers"}),
    ("ip_log", DATA / "ip_log_sample.csv", {"ip_sessions"}),
]


@pytest.mark.parametrize("kind,path,tables", SAMPLES, ids=[f"{k}-{p.name}" for k, p, _ in SAMPLES])
async def test_a_sample_of_each_kind_becomes_its_tables(api, ingest, kind, path, tables):
    await api.open_case()
    exhibit, job = await parsed(api, ingest, path.read_bytes(), kind=kind, filename=path.name)
    assert job["status"] == "succeeded", job["message"]
    report = await report_of(api, exhibit)
    assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]
    assert report["rows_accepted"] > 0
    assert tables <= set(report["tables"]), report["tables"]
    datasets = (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"]
    assert {d["table"] for d in datasets} == set(report["tables"])
    assert all(d["exhibit_id"] == exhibit["id"] for d in datasets)


async def test_real_cell_lists_and_mail_go_through_the_api(api, ingest, shared_kit, tmp_path):
    await api.open_case()
    cells = shared_kit / "datasets" / "opencellid" / "uk_mcc234_subset.csv"
    exhibit, job = await parsed(api, ingest, cells.read_bytes(), kind="cell_sites",
                                reference="ABC/2", filename=cells.name)
    assert job["status"] == "succeeded", job["message"]
    assert (await report_of(api, exhibit))["tables"] == {"cells": 372}
    mail = shared_kit / "datasets" / "enron" / "maildir_2195_msgs.tar.gz"
    assert tarfile.is_tarfile(mail)
    exhibit, job = await parsed(api, ingest, mail.read_bytes(), kind="email",
                                reference="ABC/3", filename=mail.name)
    assert job["status"] == "succeeded", job["message"]
    assert (await report_of(api, exhibit))["tables"] == {"email_headers": 2195}


async def test_an_operator_cell_list_workbook_goes_through_the_api(api, ingest, tmp_path):
    from linesight_ingest.samples.cell_list_generator import main as make_cells

    out = tmp_path / "cells.xlsx"
    make_cells(["--out", str(out), "--xlsx"])
    await api.open_case()
    exhibit, job = await parsed(api, ingest, out.read_bytes(), kind="cell_sites",
                                filename="cells.xlsx")
    assert job["status"] == "succeeded", job["message"]
    assert (await report_of(api, exhibit))["tables"]["cells"] > 0

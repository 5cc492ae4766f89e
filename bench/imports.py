"""Import speed and memory: large files through the real importers, beside a bare COPY.

    .venv/bin/python bench/imports.py [--database-url postgres://…/NAME] [--contacts N]
                                      [--survey-rows N] [--offices N] [--json FILE] [--keep]

Creates a fresh database (PostgreSQL: dropped, created, and dropped again at the end unless
``--keep``), migrates it, fills it with a small national-shaped data set (``bench/generate.py``,
quick) so that the files name existing offices, clients and staff, then writes two files as an
office would have them and imports each twice, in a child process so that its peak memory (max
RSS) is its own:

- ``contacts``: N rows (default 100,000) over the clients of every office, Japanese summaries,
  Japanese column names and labels, UTF-8 with a BOM;
- ``survey_responses``: N respondents (default 6,000, about 100,000 answers) of the challenge
  survey.

The second import of each file must change nothing (every row unchanged). Each file is also
loaded with one ``COPY`` into a temporary table of text columns, the floor of any import.

Targets (issue 12): 100,000 contacts, and 100,000 survey answers, each in under 10 s on
PostgreSQL under 512 MiB peak, first and again; imports in general at least 10,000 rows/s (for a
survey file, answers/s: ``rows_per_second`` counts answers there). Speed lives here, never in the
unit tests.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/teichaku_bench_imports"
TARGET_CONTACTS_SECONDS = 10.0
TARGET_PEAK_MIB = 512
TARGET_ROWS_PER_SECOND = 10_000


def _recreate_postgres(url, *, drop_only=False):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing database name {name!r}: letters, digits and _ only")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _prepare_environment(database_url):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    os.environ["DJANGO_DEBUG"] = "false"  # no query log
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("CELERY_BROKER_URL", None)


def _setup_django(database_url):
    _prepare_environment(database_url)
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()


# ---------------------------------------------------------------------------------------------
# The files


SUMMARIES = [
    "職場を訪問し、上司から作業の正確さについて良い評価を聞いた。次回は勤務時間の相談。",
    "本人と面談。体調は安定しており、睡眠リズムも整っている。服薬は継続できている。",
    "企業担当者と勤務時間の調整について相談した。繁忙期の残業は避ける方向で合意。",
    "同僚との関係について本人から相談があった。昼休みの過ごし方を一緒に考えた。",
    "給与明細の見方と家計管理を一緒に確認した。貯金の目標を立てた。",
    "通院の予定を共有。主治医の意見を企業に伝えることについて本人の同意を得た。",
]


def write_contacts_file(path, n, *, seed=12):
    """``n`` contacts over the clients of offices in use, as an office would export them."""
    from django.utils.translation import override

    from clients.models import Client
    from core.vocab import ContactMethod, Counterpart
    from offices.models import Membership

    with override("ja"):  # the labels an office writes (電話連絡, 本人), as the import reads them
        methods = [str(label) for _code, label in ContactMethod.choices]
        counterparts = [str(label) for _code, label in Counterpart.choices]
    rng = random.Random(seed)
    clients = list(
        Client.objects.filter(office__uses_system=True).values_list(
            "office_id", "office__office_number", "client_code"
        )
    )
    staff = {}
    for office_id, username in Membership.objects.values_list("office_id", "user__username"):
        staff.setdefault(office_id, []).append(username)
    start = dt.datetime(2023, 4, 1, 8, 0)  # noqa: DTZ001 (a cell as written, Japan time)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["事業所番号", "利用者コード", "日時", "方法", "相手", "時間（分）", "担当職員", "内容"]
        )
        for i in range(n):
            office_id, office_number, code = clients[i % len(clients)]
            at = start + dt.timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60 // 5) * 5)
            writer.writerow(
                [
                    office_number,
                    code,
                    f"{at:%Y/%m/%d %H:%M}",
                    rng.choice(methods),
                    rng.choice(counterparts),
                    rng.choice(["", "15", "30", "45", "60", "90"]),
                    rng.choice(staff.get(office_id, [""])),
                    f"{rng.choice(SUMMARIES)}（{i}）",
                ]
            )
    return n


def write_survey_file(path, n, *, seed=13):
    """``n`` respondents of the challenge survey; returns (survey slug, answers in the file)."""
    from surveys.definitions import survey_create_from_template
    from surveys.exchange import CATEGORIES_SUFFIX, header_of
    from surveys.models import Question
    from surveys.responses import load_questions

    rng = random.Random(seed)
    survey = survey_create_from_template(
        slug="bench-import", template="retention-challenges", year=2025
    )
    questions = load_questions(survey)
    header = header_of(questions)
    answers = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for i in range(n):
            cells = {"response_id": f"B{i:07d}", "submitted_at": "2025-09-15 10:00"}
            for q in questions:
                choices = list(q.choice_by_code)
                if q.type == Question.Type.LIKERT:
                    cells[q.code] = str(rng.randint(1, 7))
                elif q.type == Question.Type.SINGLE:
                    cells[q.code] = rng.choice(choices)
                elif q.type == Question.Type.MULTI:
                    cells[q.code] = ";".join(rng.sample(choices, rng.randint(1, 3)))
                elif rng.random() < 0.6:
                    cells[q.code] = rng.choice(SUMMARIES)
                    categories = list(q.category_by_code)
                    if categories:
                        cells[q.code + CATEGORIES_SUFFIX] = rng.choice(categories)
                answers += q.code in cells
            writer.writerow([cells.get(column, "") for column in header])
    return survey.slug, answers


# ---------------------------------------------------------------------------------------------
# Measuring


def _child(kind, path, slug):
    """Import ``path`` once (in this fresh process) and print what it took, as JSON."""
    from core import tabular
    from core.audit import Actor

    started = time.perf_counter()
    with open(path, "rb") as file:
        if kind == "survey_responses":
            from surveys.exchange import import_responses
            from surveys.models import Survey

            result = import_responses(Survey.objects.get(slug=slug), file, actor=Actor.command())
        else:
            result = tabular.run_import(kind, file, actor=Actor.command())
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "errors": [str(e) for e in result.errors[:5]],
                "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


def _import_in_child(url, kind, path, slug=""):
    output = subprocess.run(
        [sys.executable, __file__, "--database-url", url, "--child", kind, str(path), slug],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def _copy_seconds(url, path):
    """One COPY of the file into a temporary table of text columns."""
    import psycopg

    with path.open("rb") as file:
        columns = len(next(csv.reader([file.readline().decode("utf-8-sig")])))
        file.seek(0)
        with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
            cols = ", ".join(f"c{i} text" for i in range(columns))
            conn.execute(f"CREATE TEMP TABLE staging ({cols})")
            started = time.perf_counter()
            with conn.cursor().copy("COPY staging FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while chunk := file.read(1 << 20):
                    copy.write(chunk)
            return round(time.perf_counter() - started, 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--survey-rows", type=int, default=6_000)
    parser.add_argument("--offices", type=int, default=200, help="offices generated (quick)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--child", nargs=3, metavar=("KIND", "FILE", "SLUG"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    url = args.database_url
    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        raise SystemExit("--database-url must be postgres://…/NAME (COPY is PostgreSQL's)")
    if args.child:
        _setup_django(url)
        _child(*args.child)
        return 0

    def log(message):
        print(message, file=sys.stderr, flush=True)

    _recreate_postgres(url)
    _setup_django(url)
    from django.core.management import call_command

    from bench.generate import generate

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    generate(offices=args.offices, quick=True, log=lambda message: None)
    log(f"generated {args.offices} offices in {time.perf_counter() - started:.0f} s")
    from django.db import connections

    contacts_file = Path("/tmp/teichaku_bench_contacts.csv")
    survey_file = Path("/tmp/teichaku_bench_survey.csv")
    write_contacts_file(contacts_file, args.contacts)
    slug, answers = write_survey_file(survey_file, args.survey_rows)
    connections.close_all()

    results = {"machine_cpus": os.cpu_count(), "files": {}}
    for kind, path, rows, extra in (
        ("contacts", contacts_file, args.contacts, {}),
        ("survey_responses", survey_file, args.survey_rows, {"answers": answers}),
    ):
        log(f"{kind}: {rows:,} rows, {path.stat().st_size / 2**20:.1f} MiB")
        first = _import_in_child(url, kind, path, slug)
        log(f"  first import:  {first}")
        again = _import_in_child(url, kind, path, slug)
        log(f"  second import: {again}")
        copy = _copy_seconds(url, path)
        log(f"  COPY: {copy} s")
        # What the targets count: contacts, and a survey file's answers (its rows are people).
        counted = extra.get("answers", rows)
        results["files"][kind] = {
            "rows": rows,
            **extra,
            "mib": round(path.stat().st_size / 2**20, 1),
            "first": {**first, "rows_per_second": round(counted / first["seconds"])},
            "again": {**again, "rows_per_second": round(counted / again["seconds"])},
            "copy_seconds": copy,
        }
    results["targets"] = {
        "under_10_s": all(
            f[run]["seconds"] < TARGET_CONTACTS_SECONDS
            for f in results["files"].values()
            for run in ("first", "again")
        ),
        "peak_under_512_mib": all(
            f[run]["peak_mib"] < TARGET_PEAK_MIB
            for f in results["files"].values()
            for run in ("first", "again")
        ),
        "idempotent": all(
            f["again"]["unchanged"] == f["rows"] and not f["again"]["errors"]
            for f in results["files"].values()
        ),
        "at_least_10000_rows_per_second": all(
            f[run]["rows_per_second"] >= TARGET_ROWS_PER_SECOND
            for f in results["files"].values()
            for run in ("first", "again")
        ),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if not args.keep:
        _recreate_postgres(url, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Progress bars' percentage: one home (``core.numbers.progress_percent``) for every job."""

from core.models import ImportJob
from core.numbers import progress_percent


def test_progress_is_rounded_down_so_a_bar_shows_100_only_when_done():
    assert progress_percent(0, 3) == 0
    assert progress_percent(2, 3) == 66  # 66.67 shown as 66
    assert progress_percent(199, 200) == 99  # 99.5 is not done yet
    assert progress_percent(200, 200) == 100


def test_nothing_to_count_gives_the_callers_empty_value():
    assert progress_percent(0, 0) == 0
    assert progress_percent(0, 0, empty=100) == 100
    assert progress_percent(5, None) == 0


def test_an_import_job_reports_its_rows_through_it():
    assert ImportJob(rows_done=1, rows_total=3).progress_percent == 33
    assert ImportJob(rows_done=0, rows_total=0).progress_percent == 0

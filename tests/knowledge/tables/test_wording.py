"""What a table page says about its rows: singular for one, plural for the rest."""

import pytest
from django.core.paginator import Paginator

from knowledge.tables.wording import counted, download_label, result_count


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 causes"),
        (1, "1 cause"),
        (2, "2 causes"),
        (2251, "2,251 causes"),
    ],
)
def test_a_count_takes_the_noun_in_the_right_number(count, expected):
    assert counted(count, "cause", "causes") == expected


@pytest.mark.parametrize(
    ("total", "filtered", "expected"),
    [
        (1, False, "1 food"),
        (3, False, "3 foods"),
        (0, True, "0 foods match your filters"),
        (1, True, "1 food matches your filters"),
        (2, True, "2 foods match your filters"),
    ],
)
def test_the_result_count_agrees_with_its_number(total, filtered, expected):
    assert result_count(total, "food", "foods", filtered=filtered, page=None) == (
        expected
    )


def test_the_result_count_says_which_rows_a_page_shows():
    last_page = Paginator(range(26), 25).page(2)
    assert result_count(26, "cause", "causes", filtered=True, page=last_page) == (
        "26 causes match your filters, 26 to 26 shown"
    )


@pytest.mark.parametrize(
    ("total", "paginated", "expected"),
    [
        (1, False, "Download this row"),
        (2, False, "Download these 2 rows"),
        (26, True, "Download all 26 rows"),
    ],
)
def test_the_download_label_counts_every_row_the_export_holds(
    total, paginated, expected
):
    assert download_label(total, paginated=paginated) == expected


def test_large_counts_are_grouped_by_thousands():
    page = Paginator(range(30021), 25).page(41)
    text = result_count(30021, "food", "foods", filtered=False, page=page)
    assert text == "30,021 foods, 1,001 to 1,025 shown"
    assert download_label(30021, paginated=True) == "Download all 30,021 rows"

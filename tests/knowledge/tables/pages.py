"""The tables' addresses, and how a test reads what a table page or export shows."""

import csv
import html
import io
import re

from django.urls import reverse

CAUSES = reverse("knowledge:cause-list")


NUTRIENTS = reverse("knowledge:nutrient-list")


FOODS = reverse("knowledge:food-list")


def names(response) -> list[str]:
    """The rows' names, as the table shows them: each row's heading."""
    headings = re.findall(r'<th scope="row">(.*?)</th>', response.text, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", heading)) for heading in headings]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def sort_menu(response) -> list[tuple[str, str]]:
    """The sort menu's options as the page lists them: (value, label)."""
    menu = re.search(r'<select name="sort".*?</select>', response.text, re.DOTALL)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu.group())


def chosen_sort(response) -> str | None:
    """The sort menu's selected option's value; None when none is marked."""
    menu = re.search(r'<select name="sort".*?</select>', response.text, re.DOTALL)
    chosen = re.findall(r'<option value="([^"]*)" selected>', menu.group())
    return chosen[0] if chosen else None

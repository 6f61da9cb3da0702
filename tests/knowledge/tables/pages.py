"""The tables' addresses, and how a test reads what a table page or export shows."""

import csv
import io

from django.urls import reverse

CAUSES = reverse("knowledge:cause-list")


NUTRIENTS = reverse("knowledge:nutrient-list")


FOODS = reverse("knowledge:food-list")


def names(response) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))

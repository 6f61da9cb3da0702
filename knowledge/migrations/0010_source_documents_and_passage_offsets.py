"""Source documents get their own metadata, and every quote where it stands.

Documents: the title as the document gives it (or ours, marked as such), the author
or publisher, the original date and the URL, plus the hints that turn the text into
its article. The four documents loaded so far get the hints fixtures/curation.toml
gives them; none of them names an author, a date or a URL.

Evidence: each passage's character offsets in its document's text, so that the
passage is exactly ``text[start:end]``. A passage that occurs more than once is
placed by its locator: in the table row it names, or after the section heading.
"""

import re

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The parse hints fixtures/curation.toml gives the four documents, by file name.
KNOWN = {
    "000_2084b6e303462f44.txt": {"title_is_first_line": True},
    "001_ef604ece278c1cec.txt": {
        "title_is_first_line": True,
        "left_out": "More>Health>Recovery\nAdmirer2025-09-28 08:31:48\n"
        "Comments (0)\nLogin is required before commenting.",
    },
    "002_d7f094e68566654f.txt": {
        "subheadings": "Symptoms of Magnesium Deficiency",
        "editorial": True,
    },
    "003_aa20c54c79f17f9d.txt": {
        "title_is_first_line": True,
        "subheadings": "Magnesium Deficiency\nCalcium Deficiency",
    },
}


def describe_documents(apps, schema_editor):
    SourceDocument = apps.get_model("knowledge", "SourceDocument")
    Article = apps.get_model("knowledge", "Article")
    for document in SourceDocument.objects.all():
        hints = KNOWN.get(document.filename, {})
        article = Article.objects.filter(source=document).first()
        title = article.title if article else document.filename
        lines = [line.strip() for line in document.text.splitlines()]
        document.title_is_first_line = hints.get("title_is_first_line", False)
        document.left_out = hints.get("left_out", "")
        document.subheadings = hints.get("subheadings", "")
        if title in lines and not hints.get("editorial"):
            document.title = title
        else:
            document.editorial_title = title
        document.save()


def _pattern(passage):
    return re.compile(r"\s+".join(re.escape(word) for word in passage.split()))


def _offsets(text, passage, locator):
    found = [m.span() for m in _pattern(passage).finditer(text)]
    if not found:
        raise RuntimeError(f"Passage not in its document: {passage[:80]!r}")
    if len(found) == 1:
        return found[0]
    if row := re.match(r"Table “(.+)”, row “(.+)”$", locator):
        cell = re.escape(row.group(2))
        line = re.search(rf"^\|?\s*{cell}\s*\|.*$", text, re.MULTILINE)
        if line:
            inside = [s for s in found if line.start() <= s[0] < line.end()]
            if inside:
                return inside[0]
    if section := re.match(r"Section “(.+)”$", locator):
        heading = re.search(
            rf"^{re.escape(section.group(1))}\s*$", text, re.MULTILINE
        )
        if heading:
            after = [s for s in found if s[0] >= heading.end()]
            if after:
                return after[0]
    return found[0]


def place_passages(apps, schema_editor):
    Evidence = apps.get_model("knowledge", "Evidence")
    for evidence in Evidence.objects.select_related("article__source"):
        text = evidence.article.source.text
        start, end = _offsets(text, evidence.passage, evidence.locator)
        evidence.start, evidence.end = start, end
        evidence.passage = text[start:end]
        evidence.save(update_fields=["start", "end", "passage"])
    # Past versions are a record of what was saved, not quotes readers see: place
    # them where they can be placed, at 0 where their passage was never in the text.
    Historical = apps.get_model("knowledge", "HistoricalEvidence")
    SourceDocument = apps.get_model("knowledge", "SourceDocument")
    texts = {
        article: text
        for article, text in SourceDocument.objects.filter(
            article__isnull=False
        ).values_list("article", "text")
    }
    for record in Historical.objects.all():
        text = texts.get(record.article_id, "")
        try:
            record.start, record.end = _offsets(text, record.passage, record.locator)
        except RuntimeError:
            record.start = record.end = 0
        record.save(update_fields=["start", "end"])


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0009_move_search_and_workflow_models"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sourcedocument",
            name="format",
            field=models.CharField(choices=[("text", "Plain text"), ("markdown", "Markdown")], default="text", max_length=10),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="title",
            field=models.CharField(blank=True, help_text="The title as the document gives it, word for word. Leave it empty if the document gives none.", max_length=200),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="editorial_title",
            field=models.CharField(blank=True, help_text="Our title, for a document that gives none. Pages show it marked as ours.", max_length=200),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="author",
            field=models.CharField(blank=True, help_text="As the document names them. Leave it empty if it does not.", max_length=200, verbose_name="author or publisher"),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="published_on",
            field=models.DateField(blank=True, help_text="The date the document gives itself. Leave it empty if none.", null=True, verbose_name="original date"),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="url",
            field=models.URLField(blank=True, help_text="Where the document was published, if known.", max_length=500, verbose_name="URL"),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="title_is_first_line",
            field=models.BooleanField(default=False, help_text="The first line of the text is the document's title, not its body."),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="left_out",
            field=models.TextField(blank=True, help_text="Page furniture the article does not reproduce (breadcrumbs, comment boxes), one line per line, exactly as in the text.", verbose_name="lines left out"),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="subheadings",
            field=models.TextField(blank=True, help_text="Headings one level below the section headings, one per line."),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="added_by",
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="sourcedocument",
            name="key",
            field=models.SlugField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="sourcedocument",
            name="filename",
            field=models.CharField(editable=False, max_length=200, unique=True),
        ),
        migrations.AlterField(
            model_name="sourcedocument",
            name="sha256",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.RunPython(describe_documents, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="sourcedocument",
            constraint=models.CheckConstraint(condition=~models.Q(title="") | ~models.Q(editorial_title=""), name="sourcedocument_has_a_title"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="start",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="evidence",
            name="end",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="start",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="end",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(place_passages, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="start",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="end",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="historicalevidence",
            name="start",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="historicalevidence",
            name="end",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="passage",
            field=models.TextField(help_text="The passage, word for word as the source document has it."),
        ),
        migrations.AlterField(
            model_name="historicalevidence",
            name="passage",
            field=models.TextField(help_text="The passage, word for word as the source document has it."),
        ),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.CheckConstraint(condition=models.Q(("end__gt", models.F("start"))), name="evidence_passage_has_extent"),
        ),
    ]

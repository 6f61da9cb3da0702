"""Every value a reader sees is read from evidence, in the source's own words.

Causes and nutrients lose the values that copied their evidence (mechanism, what
to do, when to see a doctor, role, summary, aliases, the grades): pages read the
evidence itself. Urgency and commonality are graded from the words of each quote
(``grade``). A nutrient's deficiency name and other names, typed into fields so
far, become quotes wherever its sources word them so. Conditions (eyelid
twitching, fasciculations...) can be the subject of a quote.
"""

import re

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import knowledge.models.entities
import search.index

GRADES = {
    "urgency": {"low": 1, "high": 3},
    "commonality": {"rare": 1, "common": 3, "very common": 4},
}


def _grade(aspect, words):
    text = " ".join(words.split()).lower()
    for label, value in sorted(GRADES[aspect].items(), key=lambda item: -len(item[0])):
        if re.match(rf"{re.escape(label)}\b", text):
            return value
    return None


def _sentence_around(text, start, end):
    """The sentence (or line) that holds text[start:end]."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    if left == -1:
        left = 0
    else:
        left += 2 if text.startswith(". ", left) else 1
    while text[left : left + 2] in {"- ", "• "} or text[left : left + 1] == " ":
        left += 2 if text[left : left + 2] in {"- ", "• "} else 1
    cuts = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(cuts) if cuts else len(text)
    if text.startswith(". ", right):
        right += 1
    return left, right


def carry_values_into_evidence(apps, schema_editor):
    Evidence = apps.get_model("knowledge", "Evidence")
    Nutrient = apps.get_model("knowledge", "Nutrient")
    for evidence in Evidence.objects.filter(aspect__in=list(GRADES)):
        evidence.grade = _grade(evidence.aspect, evidence.value or evidence.passage)
        evidence.save(update_fields=["grade"])
    position = (Evidence.objects.order_by("-position").first() or Evidence(position=0)).position
    for nutrient in Nutrient.objects.all():
        quoted = Evidence.objects.filter(
            models.Q(nutrient=nutrient) | models.Q(cause__nutrient=nutrient)
        ).select_related("article__source")
        documents = {e.article_id: e.article.source.text for e in quoted if e.article.source}
        names = [("deficiency_name", nutrient.deficiency_term)] + [
            ("name", alias.strip()) for alias in nutrient.aliases.splitlines()
        ]
        for aspect, name in names:
            if not name:
                continue
            for article, text in documents.items():
                match = re.search(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", text)
                if not match:
                    continue
                start, end = _sentence_around(text, match.start(), match.end())
                position += 1
                Evidence.objects.create(
                    article_id=article,
                    nutrient=nutrient,
                    aspect=aspect,
                    stance="supports",
                    value=match.group(0),
                    passage=text[start:end],
                    start=start,
                    end=end,
                    locator="",
                    position=position,
                )
                break


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0010_source_documents_and_passage_offsets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Condition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('slug', models.SlugField(max_length=100, unique=True)),
                ('general', models.BooleanField(default=False, help_text='What the sources say of it applies to every twitch.')),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['position', 'name'],
            },
            bases=(knowledge.models.entities.EvidenceSubject, search.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCondition',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=100)),
                ('slug', models.SlugField(max_length=100)),
                ('general', models.BooleanField(default=False, help_text='What the sources say of it applies to every twitch.')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical condition',
                'verbose_name_plural': 'historical conditions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='evidence',
            name='evidence_has_exactly_one_subject',
        ),
        migrations.AddField(
            model_name='evidence',
            name='grade',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text="For urgency and commonality: graded from the value's words.", null=True),
        ),
        migrations.AddField(
            model_name='evidence',
            name='inference',
            field=models.CharField(blank=True, help_text='Our note, where the site applies the passage to this subject although the source names it only with others. Shown as inferred.', max_length=300),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='grade',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, help_text="For urgency and commonality: graded from the value's words.", null=True),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='inference',
            field=models.CharField(blank=True, help_text='Our note, where the site applies the passage to this subject although the source names it only with others. Shown as inferred.', max_length=300),
        ),
        migrations.AlterField(
            model_name='cause',
            name='category',
            field=models.CharField(choices=[('nutrient_deficiency', 'Nutrient deficiency'), ('nutrient_excess', 'Nutrient excess'), ('lifestyle', 'Lifestyle'), ('neurological', 'Neurological or structural'), ('medication', 'Medication'), ('medical_condition', 'Other medical condition')], help_text='Our classification (editorial).', max_length=30),
        ),
        migrations.AlterField(
            model_name='cause',
            name='nutrient',
            field=models.ForeignKey(blank=True, help_text='For a deficiency or an excess: of which nutrient.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='causes', to='knowledge.nutrient'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='aspect',
            field=models.CharField(choices=[('name', 'Name'), ('terminology', 'What it is called'), ('definition', 'What it is'), ('link', 'Link to twitching'), ('mechanism', 'Mechanism'), ('symptoms', 'Accompanying symptoms'), ('body_area', 'Where it is felt'), ('commonality', 'How common'), ('urgency', 'Urgency to see a doctor'), ('warning', 'When to see a doctor'), ('diagnosis', 'Diagnosis and tests'), ('action', 'What to do'), ('treatment', 'Treatment'), ('scope', 'What it does not do'), ('role', 'Role in nerve and muscle function'), ('deficiency_name', 'Name of its deficiency'), ('deficiency_cause', 'What causes a deficiency'), ('food_sources', 'Food sources')], max_length=20),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='value',
            field=models.TextField(blank=True, help_text='The words of the passage that are the value shown (a table cell, say), whole, qualifiers and all. Empty: the whole passage.'),
        ),
        migrations.AlterField(
            model_name='foodsource',
            name='category',
            field=models.CharField(choices=[('vegetables', 'Vegetables'), ('fruit', 'Fruit'), ('legumes', 'Legumes'), ('nuts_seeds', 'Nuts and seeds'), ('grains', 'Grains'), ('dairy', 'Dairy'), ('eggs', 'Eggs'), ('fish', 'Fish'), ('meat', 'Meat'), ('fortified', 'Fortified foods'), ('other_food', 'Other foods'), ('supplement', 'Supplements'), ('sunlight', 'Sunlight')], help_text='Our classification (editorial).', max_length=20),
        ),
        migrations.AlterField(
            model_name='foodsource',
            name='diet',
            field=models.CharField(blank=True, choices=[('vegan', 'Vegan'), ('vegetarian', 'Vegetarian'), ('omnivore', 'Contains meat or fish')], help_text='Our classification (editorial). Leave empty where suitability is not clear.', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalcause',
            name='category',
            field=models.CharField(choices=[('nutrient_deficiency', 'Nutrient deficiency'), ('nutrient_excess', 'Nutrient excess'), ('lifestyle', 'Lifestyle'), ('neurological', 'Neurological or structural'), ('medication', 'Medication'), ('medical_condition', 'Other medical condition')], help_text='Our classification (editorial).', max_length=30),
        ),
        migrations.AlterField(
            model_name='historicalcause',
            name='nutrient',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='For a deficiency or an excess: of which nutrient.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='knowledge.nutrient'),
        ),
        migrations.AlterField(
            model_name='historicalevidence',
            name='aspect',
            field=models.CharField(choices=[('name', 'Name'), ('terminology', 'What it is called'), ('definition', 'What it is'), ('link', 'Link to twitching'), ('mechanism', 'Mechanism'), ('symptoms', 'Accompanying symptoms'), ('body_area', 'Where it is felt'), ('commonality', 'How common'), ('urgency', 'Urgency to see a doctor'), ('warning', 'When to see a doctor'), ('diagnosis', 'Diagnosis and tests'), ('action', 'What to do'), ('treatment', 'Treatment'), ('scope', 'What it does not do'), ('role', 'Role in nerve and muscle function'), ('deficiency_name', 'Name of its deficiency'), ('deficiency_cause', 'What causes a deficiency'), ('food_sources', 'Food sources')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalevidence',
            name='value',
            field=models.TextField(blank=True, help_text='The words of the passage that are the value shown (a table cell, say), whole, qualifiers and all. Empty: the whole passage.'),
        ),
        migrations.AlterField(
            model_name='historicalfoodsource',
            name='category',
            field=models.CharField(choices=[('vegetables', 'Vegetables'), ('fruit', 'Fruit'), ('legumes', 'Legumes'), ('nuts_seeds', 'Nuts and seeds'), ('grains', 'Grains'), ('dairy', 'Dairy'), ('eggs', 'Eggs'), ('fish', 'Fish'), ('meat', 'Meat'), ('fortified', 'Fortified foods'), ('other_food', 'Other foods'), ('supplement', 'Supplements'), ('sunlight', 'Sunlight')], help_text='Our classification (editorial).', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalfoodsource',
            name='diet',
            field=models.CharField(blank=True, choices=[('vegan', 'Vegan'), ('vegetarian', 'Vegetarian'), ('omnivore', 'Contains meat or fish')], help_text='Our classification (editorial). Leave empty where suitability is not clear.', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalnutrient',
            name='kind',
            field=models.CharField(choices=[('vitamin', 'Vitamin'), ('mineral', 'Mineral'), ('fatty_acid', 'Fatty acid')], help_text='Our classification (editorial).', max_length=20),
        ),
        migrations.AlterField(
            model_name='nutrient',
            name='kind',
            field=models.CharField(choices=[('vitamin', 'Vitamin'), ('mineral', 'Mineral'), ('fatty_acid', 'Fatty acid')], help_text='Our classification (editorial).', max_length=20),
        ),
        migrations.AddField(
            model_name='condition',
            name='area',
            field=models.ForeignKey(blank=True, help_text='Where it is felt; empty for twitches anywhere.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conditions', to='knowledge.bodyarea'),
        ),
        migrations.AddField(
            model_name='evidence',
            name='condition',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='knowledge.condition'),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='condition',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='knowledge.condition'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('cause__isnull', False), ('condition__isnull', True), ('nutrient__isnull', True)), models.Q(('cause__isnull', True), ('condition__isnull', True), ('nutrient__isnull', False)), models.Q(('cause__isnull', True), ('condition__isnull', False), ('nutrient__isnull', True)), _connector='OR'), name='evidence_has_exactly_one_subject'),
        ),
        migrations.AddField(
            model_name='historicalcondition',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Where it is felt; empty for twitches anywhere.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='knowledge.bodyarea'),
        ),
        migrations.AddField(
            model_name='historicalcondition',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='condition',
            constraint=models.UniqueConstraint(condition=models.Q(('general', True)), fields=('general',), name='condition_one_general'),
        ),
        migrations.RunPython(carry_values_into_evidence, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='cause',
            name='cause_commonality_valid',
        ),
        migrations.RemoveConstraint(
            model_name='cause',
            name='cause_urgency_valid',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='aliases',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='commonality',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='mechanism',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='recommended_action',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='urgency',
        ),
        migrations.RemoveField(
            model_name='cause',
            name='warning_signs',
        ),
        migrations.RemoveField(
            model_name='foodsource',
            name='examples',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='aliases',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='commonality',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='mechanism',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='recommended_action',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='urgency',
        ),
        migrations.RemoveField(
            model_name='historicalcause',
            name='warning_signs',
        ),
        migrations.RemoveField(
            model_name='historicalfoodsource',
            name='examples',
        ),
        migrations.RemoveField(
            model_name='historicalnutrient',
            name='aliases',
        ),
        migrations.RemoveField(
            model_name='historicalnutrient',
            name='deficiency_term',
        ),
        migrations.RemoveField(
            model_name='historicalnutrient',
            name='role',
        ),
        migrations.RemoveField(
            model_name='historicalnutrient',
            name='summary',
        ),
        migrations.RemoveField(
            model_name='nutrient',
            name='aliases',
        ),
        migrations.RemoveField(
            model_name='nutrient',
            name='deficiency_term',
        ),
        migrations.RemoveField(
            model_name='nutrient',
            name='role',
        ),
        migrations.RemoveField(
            model_name='nutrient',
            name='summary',
        ),
    ]

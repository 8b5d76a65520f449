"""A grant becomes the record of a project or grant: kind, slug, coordinator as named, summary,
source, date precision, and the testbeds (many, from the one recipient), municipalities and
areas it concerns."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.db import migrations, models
from django.utils.text import slugify


def copy_testbeds_and_make_slugs(apps, schema_editor):
    """The one recipient testbed becomes the first of the testbeds a grant paid for; every
    grant gets a slug from its reference (unique before this migration)."""
    Grant = apps.get_model("collaboration", "Grant")
    db = schema_editor.connection.alias
    for grant in Grant.objects.using(db).all():
        if grant.testbed_id:
            grant.testbeds.add(grant.testbed_id)
        grant.slug = slugify(grant.reference) or f"anslag-{grant.pk}"
        grant.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ('collaboration', '0006_idea_group_link_moves_to_ideagroups'),
        ('indicators', '0004_historical_indicator_valid_range'),
        ('testbeds', '0005_published_ids_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalGrant_areas',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalGrant_areas',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGrant_municipalities',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalGrant_municipalities',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGrant_testbeds',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalGrant_testbeds',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='grant',
            name='areas',
            field=models.ManyToManyField(blank=True, help_text='Districts or small areas, when the record names them.', related_name='grants', to='indicators.area', verbose_name='areas it concerns'),
        ),
        migrations.AddField(
            model_name='grant',
            name='coordinator_name',
            field=models.CharField(blank=True, help_text="E.g. the department or office; shown instead of the actor's name.", max_length=300, verbose_name='coordinator as the record names it'),
        ),
        migrations.AddField(
            model_name='grant',
            name='date_precision',
            field=models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='month', help_text='How exactly the source record gives the period; pages show no more.', max_length=10, verbose_name='precision of the dates'),
        ),
        migrations.AddField(
            model_name='grant',
            name='kind',
            field=models.CharField(choices=[('programme', "The programme's own funding"), ('sister', 'Sister project')], default='programme', max_length=20, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='grant',
            name='municipalities',
            field=models.ManyToManyField(blank=True, related_name='grants', to='testbeds.municipality', verbose_name='municipalities it concerns'),
        ),
        migrations.AddField(
            model_name='grant',
            name='slug',
            field=models.SlugField(blank=True, help_text='Made from the reference number or the title when left empty.', db_index=False, max_length=200, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='grant',
            name='source_name',
            field=models.CharField(blank=True, help_text="Where the facts come from, e.g. Vinnova's project database.", max_length=200, verbose_name='source'),
        ),
        migrations.AddField(
            model_name='grant',
            name='source_url',
            field=models.URLField(blank=True, help_text="The funder's public record of the grant (https).", max_length=500, validators=[django.core.validators.URLValidator(message='Enter an address that starts with https://.', schemes=['https'])], verbose_name='source record'),
        ),
        migrations.AddField(
            model_name='grant',
            name='summary',
            field=models.TextField(blank=True, help_text='Purpose, method and results, in Markdown.', verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='grant',
            name='testbeds',
            field=models.ManyToManyField(blank=True, related_name='grants', to='testbeds.testbed', verbose_name='testbeds it paid for'),
        ),
        migrations.RunPython(copy_testbeds_and_make_slugs, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='grant',
            name='testbed',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='testbed',
        ),
        migrations.AlterField(
            model_name='grant',
            name='slug',
            field=models.SlugField(blank=True, help_text='Made from the reference number or the title when left empty.', max_length=200, unique=True, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='coordinator_name',
            field=models.CharField(blank=True, help_text="E.g. the department or office; shown instead of the actor's name.", max_length=300, verbose_name='coordinator as the record names it'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='date_precision',
            field=models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='month', help_text='How exactly the source record gives the period; pages show no more.', max_length=10, verbose_name='precision of the dates'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='kind',
            field=models.CharField(choices=[('programme', "The programme's own funding"), ('sister', 'Sister project')], default='programme', max_length=20, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='slug',
            field=models.SlugField(blank=True, help_text='Made from the reference number or the title when left empty.', max_length=200, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='source_name',
            field=models.CharField(blank=True, help_text="Where the facts come from, e.g. Vinnova's project database.", max_length=200, verbose_name='source'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='source_url',
            field=models.URLField(blank=True, help_text="The funder's public record of the grant (https).", max_length=500, validators=[django.core.validators.URLValidator(message='Enter an address that starts with https://.', schemes=['https'])], verbose_name='source record'),
        ),
        migrations.AddField(
            model_name='historicalgrant',
            name='summary',
            field=models.TextField(blank=True, help_text='Purpose, method and results, in Markdown.', verbose_name='summary'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='coordinator',
            field=models.ForeignKey(blank=True, help_text="The actor, when the coordinator is one of the portal's actors.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='grants_coordinated', to='collaboration.actor', verbose_name='coordinator'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='reference',
            field=models.CharField(blank=True, help_text="The funder's reference (diarienummer); empty when the record has none.", max_length=50, verbose_name='reference number'),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='coordinator',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The actor, when the coordinator is one of the portal's actors.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='collaboration.actor', verbose_name='coordinator'),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='reference',
            field=models.CharField(blank=True, help_text="The funder's reference (diarienummer); empty when the record has none.", max_length=50, verbose_name='reference number'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=models.UniqueConstraint(condition=models.Q(('reference', ''), _negated=True), fields=('reference',), name='grant_reference_unique'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=models.CheckConstraint(condition=models.Q(('source_url', ''), ('source_url__startswith', 'https://'), _connector='OR'), name='grant_source_url_https'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['programme', 'sister'])), name='grant_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=models.CheckConstraint(condition=models.Q(('date_precision__in', ['day', 'month', 'year'])), name='grant_date_precision_valid'),
        ),
        migrations.AddField(
            model_name='historicalgrant_areas',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.area'),
        ),
        migrations.AddField(
            model_name='historicalgrant_areas',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='collaboration.grant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_areas',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='collaboration.historicalgrant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_municipalities',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='collaboration.grant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_municipalities',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='collaboration.historicalgrant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_municipalities',
            name='municipality',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='testbeds.municipality'),
        ),
        migrations.AddField(
            model_name='historicalgrant_testbeds',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='collaboration.grant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_testbeds',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='collaboration.historicalgrant'),
        ),
        migrations.AddField(
            model_name='historicalgrant_testbeds',
            name='testbed',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='testbeds.testbed'),
        ),
    ]

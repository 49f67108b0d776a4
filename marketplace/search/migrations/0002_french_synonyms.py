"""A first list of French synonyms for the town to edit (``marketplace.search.synonyms_fr``).

Loaded once: the town's later edits are never overwritten (a word whose stem is
already listed is left alone), and going back removes only the rows still as
loaded here.
"""
from django.db import migrations


def load(apps, schema_editor):
    from marketplace.search.synonyms_fr import FRENCH_SYNONYMS
    from marketplace.search.text import term, words

    SearchSynonym = apps.get_model("search", "SearchSynonym")
    for word, searches_for in FRENCH_SYNONYMS.items():
        key = term(words(word)[0])
        SearchSynonym.objects.get_or_create(key=key, defaults={"word": word, "searches_for": searches_for})


def unload(apps, schema_editor):
    from marketplace.search.synonyms_fr import FRENCH_SYNONYMS

    SearchSynonym = apps.get_model("search", "SearchSynonym")
    for word, searches_for in FRENCH_SYNONYMS.items():
        SearchSynonym.objects.filter(word=word, searches_for=searches_for).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_synonyms_and_sqlite_document")]

    operations = [migrations.RunPython(load, unload)]

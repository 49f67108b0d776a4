"""The town's search synonyms, and the SQLite demo's full-text index seen as a model."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.search.text import STOP_WORDS, term, terms, words

MAX_SYNONYM_EXPRESSIONS = 10


def synonym_expressions(value: str) -> list[str]:
    """The comma-separated expressions of a synonym's ``searches_for``, cleaned, in order."""
    seen, result = set(), []
    for part in value.split(","):
        expression = " ".join(part.split())
        if expression and expression.casefold() not in seen:
            seen.add(expression.casefold())
            result.append(expression)
    return result


class SearchSynonym(models.Model):
    """A word shoppers type that should also find other words: « soulier » → « chaussure ».

    One way only: « soulier » also searches « chaussure », not the reverse.
    Applied at query time (nothing to re-index): a query word whose French stem
    is ``key``'s also matches each expression of ``searches_for``, so
    « souliers » finds shoes too. Edited by the town in the admin.
    """

    word = models.CharField(
        _("mot tapé"), max_length=60,
        help_text=_("Un seul mot, tel que les clients le tapent, par exemple « soulier »."),
    )
    searches_for = models.CharField(
        _("cherche aussi"), max_length=300,
        help_text=_("Un ou plusieurs mots ou expressions, séparés par des virgules, "
                    "par exemple « chaussure » ou « pain au chocolat, viennoiserie »."),
    )
    key = models.CharField(_("radical"), max_length=60, unique=True, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ("word",)
        verbose_name = _("synonyme de recherche")
        verbose_name_plural = _("synonymes de recherche")

    def __str__(self) -> str:
        return f"{self.word} → {self.searches_for}"

    def clean(self):
        found = words(self.word)
        if len(found) != 1:
            raise ValidationError({"word": _("Indiquez un seul mot (sans espace ni trait d’union).")})
        if found[0] in STOP_WORDS:
            raise ValidationError({"word": _("« %(word)s » est un mot trop courant pour la recherche : "
                                             "il est ignoré.") % {"word": self.word}})
        expressions = synonym_expressions(self.searches_for or "")
        if not expressions:
            raise ValidationError({"searches_for": _("Indiquez au moins un mot à chercher.")})
        if len(expressions) > MAX_SYNONYM_EXPRESSIONS:
            raise ValidationError({"searches_for": _("%(count)d expressions au plus.")
                                   % {"count": MAX_SYNONYM_EXPRESSIONS}})
        for expression in expressions:
            if not terms(expression):
                raise ValidationError({"searches_for": _("« %(expression)s » ne contient que des mots ignorés "
                                                         "par la recherche.") % {"expression": expression}})
        self.key = term(found[0])
        clash = SearchSynonym.objects.filter(key=self.key).exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError({"word": _("« %(word)s » a le même radical que « %(other)s », déjà dans la liste : "
                                             "complétez plutôt celui-là.") % {"word": self.word, "other": clash.word}})
        self.searches_for = ", ".join(expressions)

    def save(self, *args, **kwargs):
        found = words(self.word)
        self.key = term(found[0]) if found else ""
        super().save(*args, **kwargs)


class FtsTableColumn(models.TextField):
    """FTS5's hidden column named after its table: ``<table> MATCH …`` searches every column."""


@FtsTableColumn.register_lookup
class FtsMatch(models.Lookup):
    """``search_document__fts__matches=expression``: an FTS5 full-text match (SQLite only)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ProductSearchDocument(models.Model):
    """A row of the SQLite demo's FTS5 index ``search_product_fts``, one per product.

    Never created through Django: triggers (``marketplace.search.sqlite_index``)
    write it. It is a model only so that the ORM can join it to products and
    filter with ``MATCH``; PostgreSQL has no such table (it uses
    ``catalogue_product.search_vector``) and no query there ever touches it.
    ``DO_NOTHING`` keeps Django's delete collector away from it.
    ``fts`` is FTS5's hidden column named after the table: what ``MATCH`` and
    ``bm25()`` take.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid",
        db_constraint=False, related_name="search_document",
    )
    title = models.TextField()
    categories = models.TextField()
    shops = models.TextField()
    details = models.TextField()
    description = models.TextField()
    fts = FtsTableColumn(db_column="search_product_fts")

    class Meta:
        managed = False
        db_table = "search_product_fts"

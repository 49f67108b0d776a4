"""Footfall imports: all or nothing, streamed, with line-numbered French errors (writes).

``footfall_import_create`` stores the uploaded file; ``footfall_import_run`` (the
Celery task, or the command) reads it twice without loading it whole: first to
check every line (progress 0-50 %), then, if nothing is wrong, to insert the
counts in one transaction (50-100 %) under the counting sites' row locks, after
checking that no channel's span overlaps an earlier import. Progress goes to the
cache (the page polls it), never into the transaction. Afterwards the days it
covers are rolled up.
"""
from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.cache import cache
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from marketplace.analytics import locks
from marketplace.analytics.calendar import days_between, local_day
from marketplace.analytics.footfall.parser import (
    CountRow,
    HeaderError,
    LineError,
    SiteRef,
    lines_read,
    row_check,
)
from marketplace.analytics.models import (
    CountingSite,
    FootfallCount,
    FootfallImport,
    FootfallImportStatus,
    FootfallSpan,
)

logger = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024
MAX_ERRORS = 100
BATCH = 2000
PROGRESS_EVERY = 500


class FootfallRefused(Exception):
    pass


def progress_key(pk: int) -> str:
    return f"footfall-import:{pk}:progress"


def footfall_import_progress(*, footfall_import: FootfallImport) -> int | None:
    """Percent done of a running import (None when unknown)."""
    return cache.get(progress_key(footfall_import.pk))


def _progress(pk: int, percent: float) -> None:
    cache.set(progress_key(pk), int(percent), timeout=3600)


def footfall_import_create(*, file, file_name: str, user=None, queue: bool = True) -> FootfallImport:
    """Keep the uploaded file and (``queue``) have the Celery task import it after commit."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise FootfallRefused("Fichier trop volumineux (200 Mo au plus) : découpez-le par mois.")
    footfall_import = FootfallImport(file_name=file_name[:255], user=user if user and user.is_authenticated else None)
    footfall_import.file.save(file_name[:100] or "comptages.csv", File(file), save=False)
    footfall_import.save()
    if queue:
        from marketplace.analytics.tasks import footfall_import_run_task

        pk = footfall_import.pk
        transaction.on_commit(lambda: footfall_import_run_task.delay(pk))
    return footfall_import


def _text_lines(footfall_import: FootfallImport, on_bytes=None):
    handle = footfall_import.file.open("rb")
    size = footfall_import.file.size or 1
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        for number, line in enumerate(text):
            if on_bytes is not None and number % PROGRESS_EVERY == 0:
                on_bytes(handle.tell() / size)
            yield line
    finally:
        text.close()


def _sites() -> dict[str, SiteRef]:
    return {code: SiteRef(pk, code, lat, lon)
            for pk, code, lat, lon in CountingSite.objects.values_list("pk", "code", "latitude", "longitude")}


def _check(footfall_import: FootfallImport) -> tuple[list[LineError], dict, int]:
    """Every line checked; returns the errors, each channel's (first line, start, end) and the row count."""
    sites = _sites()
    errors: list[LineError] = []
    spans: dict[tuple[int, str], list] = {}
    seen: dict[tuple[int, str, dt.datetime], int] = {}
    count = 0
    pk = footfall_import.pk
    try:
        rows, _header = lines_read(_text_lines(footfall_import, on_bytes=lambda f: _progress(pk, 50 * f)))
        for line, row in rows:
            result = row_check(line, row, sites)
            if result is None:
                continue
            if isinstance(result, LineError):
                errors.append(result)
                continue
            key = (result.site_id, result.channel, result.starts_at)
            if key in seen:
                errors.append(LineError(line, f"Comptage en double : même site, même channel et même début que "
                                              f"la ligne {seen[key]}."))
                continue
            seen[key] = line
            span = spans.setdefault((result.site_id, result.channel), [line, result.starts_at, result.ends_at])
            span[1], span[2] = min(span[1], result.starts_at), max(span[2], result.ends_at)
            count += 1
    except HeaderError as error:
        return [LineError(1, str(error))], {}, 0
    except UnicodeDecodeError:
        return [LineError(0, "Encodage non reconnu : enregistrez le fichier en UTF-8 (CSV UTF-8).")], {}, 0
    except Exception as error:  # noqa: BLE001 - a malformed CSV (csv.Error) must become a message
        return [LineError(0, f"Fichier illisible : {error}.")], {}, 0
    if not count and not errors:
        errors.append(LineError(0, "Aucun comptage dans ce fichier."))
    return errors, spans, count


def _overlaps(spans: dict, sites_by_pk: dict) -> list[LineError]:
    errors = []
    for (site_id, channel), (line, start, end) in sorted(spans.items(), key=lambda kv: kv[1][0]):
        clash = (FootfallSpan.objects.filter(site_id=site_id, channel=channel, starts_at__lt=end, ends_at__gt=start)
                 .select_related("footfall_import").order_by("starts_at").first())
        if clash is not None:
            errors.append(LineError(line, (
                f"Les comptages du site « {sites_by_pk[site_id].code} » (channel « {channel} ») du "
                f"{timezone.localtime(start):%d/%m/%Y %H:%M} au {timezone.localtime(end):%d/%m/%Y %H:%M} recouvrent "
                f"l’import n° {clash.footfall_import_id} (« {clash.footfall_import.file_name} ») : rien n’a été importé."
            )))
    return errors


def _refuse(footfall_import: FootfallImport, errors: list[LineError]) -> FootfallImport:
    shown = [e.as_json() for e in sorted(errors, key=lambda e: e.line)[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        shown.append({"line": 0, "message": f"… et {len(errors) - MAX_ERRORS} autres erreurs."})
    FootfallImport.objects.filter(pk=footfall_import.pk).update(
        status=FootfallImportStatus.REFUSED, errors=shown, finished_at=timezone.now(), row_count=0)
    cache.delete(progress_key(footfall_import.pk))
    footfall_import.refresh_from_db()
    return footfall_import


def footfall_import_run(*, footfall_import_id: int) -> FootfallImport:
    """Check then load one import. Only one run claims a pending import: a second delivery of
    the task, or a run already under way, returns the import as it is."""
    claimed = FootfallImport.objects.filter(pk=footfall_import_id, status=FootfallImportStatus.PENDING).update(
        status=FootfallImportStatus.RUNNING)
    footfall_import = FootfallImport.objects.get(pk=footfall_import_id)
    if not claimed:
        return footfall_import
    errors, spans, total = _check(footfall_import)
    if errors:
        return _refuse(footfall_import, errors)
    sites = _sites()
    by_pk = {site.pk: site for site in sites.values()}
    with transaction.atomic():
        locks.counting_sites_lock(site_ids={site_id for site_id, _c in spans})
        clashes = _overlaps(spans, by_pk)
        if clashes:
            transaction.set_rollback(True)
        else:
            _insert(footfall_import, sites, total)
            FootfallSpan.objects.bulk_create(
                FootfallSpan(footfall_import=footfall_import, site_id=site_id, channel=channel, starts_at=start,
                             ends_at=end)
                for (site_id, channel), (_line, start, end) in spans.items()
            )
            FootfallImport.objects.filter(pk=footfall_import.pk).update(
                status=FootfallImportStatus.DONE, row_count=total, finished_at=timezone.now(), errors=[])
    if clashes:
        return _refuse(footfall_import, clashes)
    cache.delete(progress_key(footfall_import.pk))
    days = set()
    for _line, start, end in spans.values():
        days |= set(days_between(local_day(start), local_day(end - dt.timedelta(microseconds=1))))
    from marketplace.analytics.services.rollups import rollup_days_refresh

    rollup_days_refresh(days=days)
    footfall_import.refresh_from_db()
    logger.info("Footfall import %s: %s counts", footfall_import.pk, total)
    return footfall_import


def _insert(footfall_import: FootfallImport, sites, total: int) -> None:
    rows, _header = lines_read(_text_lines(footfall_import))
    batch: list[FootfallCount] = []
    done = 0
    for line, row in rows:
        result = row_check(line, row, sites)
        if not isinstance(result, CountRow):
            continue
        batch.append(FootfallCount(footfall_import=footfall_import, site_id=result.site_id, channel=result.channel,
                                   direction=result.direction, starts_at=result.starts_at, ends_at=result.ends_at,
                                   count=result.count))
        if len(batch) >= BATCH:
            FootfallCount.objects.bulk_create(batch)
            done += len(batch)
            batch = []
            _progress(footfall_import.pk, 50 + 50 * done / max(total, 1))
    FootfallCount.objects.bulk_create(batch)


def counting_site_create(*, code: str, name: str, street: str, latitude, longitude) -> CountingSite:
    from django.core.exceptions import ValidationError

    site = CountingSite(code=code.strip(), name=name.strip(), street=street.strip(), latitude=latitude,
                        longitude=longitude)
    site.full_clean(validate_unique=False)
    if CountingSite.objects.filter(code=site.code).exists():
        raise ValidationError({"code": "Ce site de comptage existe déjà."})
    site.save()
    return site


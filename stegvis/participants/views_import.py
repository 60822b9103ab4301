"""The participant import in the browser (spec/participant-file.md, the same rules and
messages as `stegvis participants import`), its Excel template, and the export of an
insats's rows in the same columns.

A tried file is kept in the session (compressed) until the person saves it or tries
another, so nothing is written before they confirm and what is written is what they saw.
The form refuses a file over `stegvis.core.uploads.PARTICIPANT_FILE` by its size before
anything reads it; the import then reads it a row at a time.
"""

from __future__ import annotations

import base64
import hashlib
import zlib

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.services import audit_read
from stegvis.core import uploads
from stegvis.core.exporters import XLSX_TYPE, TableExporter, download
from stegvis.interventions.models import Intervention
from stegvis.participants import access
from stegvis.participants.forms_import import ImportConfirmForm, ImportForm
from stegvis.participants.importing import (
    CHANGED,
    COLUMNS,
    NEW,
    ImportResult,
    participants_export_rows,
    participants_import,
    template_workbook,
)

SESSION_KEY = "participants_import"
PREVIEW_ROWS = 500  # rows listed on the preview page; the counts cover all


def _participants_page(request: AssociationRequest, intervention: Intervention) -> str:
    try:
        return reverse(
            "participants:intervention",
            kwargs={"association_slug": request.association.slug, "pk": intervention.pk},
        )
    except NoReverseMatch:  # pragma: no cover - the list page is another part's
        return reverse(
            "participants:import",
            kwargs={"association_slug": request.association.slug, "pk": intervention.pk},
        )


def _keep(request: AssociationRequest, intervention: Intervention, upload: UploadedFile) -> str:
    """Keep the tried file, compressed, read in chunks (never whole)."""
    digest = hashlib.sha256()
    packer = zlib.compressobj()
    packed: list[bytes] = []
    for chunk in upload.chunks():
        digest.update(chunk)
        packed.append(packer.compress(chunk))
    packed.append(packer.flush())
    request.session[SESSION_KEY] = {
        "intervention": intervention.pk,
        "filename": upload.name,
        "digest": digest.hexdigest(),
        "content": base64.b64encode(b"".join(packed)).decode("ascii"),
    }
    return digest.hexdigest()


def _kept(
    request: AssociationRequest, intervention: Intervention, digest: str
) -> tuple[bytes, str] | None:
    kept = request.session.pop(SESSION_KEY, None)
    if not kept or kept.get("intervention") != intervention.pk or kept.get("digest") != digest:
        return None
    limit = uploads.PARTICIPANT_FILE.max_bytes
    try:
        unpacker = zlib.decompressobj()
        # Never more than an upload may be, whatever the session holds.
        data = unpacker.decompress(base64.b64decode(kept["content"]), limit + 1)
    except (ValueError, zlib.error):
        return None
    if len(data) > limit or hashlib.sha256(data).hexdigest() != digest:
        return None
    return data, str(kept.get("filename", ""))


def _page(
    request: AssociationRequest,
    intervention: Intervention,
    form: ImportForm,
    *,
    result: ImportResult | None = None,
    filename: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "participants/import.html",
        {
            "intervention": intervention,
            "form": form,
            "result": result,
            "filename": filename,
            "columns": COLUMNS,
            "back": _participants_page(request, intervention),
        },
        status=status,
    )


def _saved(
    request: AssociationRequest, intervention: Intervention, result: ImportResult
) -> HttpResponse:
    messages.success(request, result.summary)
    return redirect(_participants_page(request, intervention))


@association_view(Permission.REGISTER_PARTICIPANTS)
def import_upload(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = access.intervention_to_register(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, intervention, form, status=400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]  # its size is checked; its content not yet read
    dry_run = form.cleaned_data["dry_run"]
    result = participants_import(
        actor=request.user,
        intervention=intervention,
        data=upload,
        filename=upload.name,
        dry_run=dry_run,
        request=request,
    )
    if not result.ok:
        request.session.pop(SESSION_KEY, None)
        return _page(request, intervention, ImportForm(), result=result, filename=upload.name)
    if not dry_run:
        return _saved(request, intervention, result)
    digest = _keep(request, intervention, upload)
    # The preview tells which codes exist in the insats: a read of its rows.
    audit_read(
        request=request,
        action="participants.import_previewed",
        obj=intervention,
        detail={"rows": result.row_count, "created": result.created, "updated": result.updated},
    )
    # The result keeps the first new and changed rows; the counts cover them all.
    shown = [row for row in result.rows if row.action in {NEW, CHANGED}][:PREVIEW_ROWS]
    return render(
        request,
        "participants/import_preview.html",
        {
            "intervention": intervention,
            "result": result,
            "filename": upload.name,
            "shown": shown,
            "not_shown": result.created + result.updated - len(shown),
            "confirm": ImportConfirmForm(initial={"digest": digest}),
            "back": _participants_page(request, intervention),
        },
    )


@association_view(Permission.REGISTER_PARTICIPANTS)
@require_POST
def import_confirm(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = access.intervention_to_register(request, pk)
    confirm = ImportConfirmForm(request.POST)
    kept = (
        _kept(request, intervention, confirm.data.get("digest", "")) if confirm.is_valid() else None
    )
    if kept is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, _("Den provkörda filen finns inte längre. Ladda upp den och provkör igen.")
        )
        return redirect("participants:import", association_slug=request.association.slug, pk=pk)
    data, filename = kept
    result = participants_import(
        actor=request.user,
        intervention=intervention,
        data=data,
        filename=filename,
        dry_run=False,
        request=request,
    )
    if not result.ok:  # the insats changed since the dry run
        return _page(request, intervention, ImportForm(), result=result, filename=filename)
    return _saved(request, intervention, result)


@association_view(Permission.REGISTER_PARTICIPANTS)
def import_template(request: AssociationRequest, pk: int) -> HttpResponse:
    access.intervention_to_register(request, pk)
    return download(
        template_workbook(association=request.association),
        filename=f"{request.association.slug}-deltagarmall.xlsx",
        content_type=XLSX_TYPE,
    )


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    intervention = access.intervention_with_rows(request, pk)
    table = participants_export_rows(intervention=intervention)
    response = TableExporter(table, filename=f"deltagare-{intervention.pk}").response(fmt)
    audit_read(
        request=request,
        action="participants.exported",
        obj=intervention,
        detail={"rows": len(table.rows), "format": fmt},
    )
    return response

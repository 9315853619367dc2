"""Where an entry of the worklist opens. Each app that writes work items names the page of its
records in its AppConfig — ``work_item_urls = {"followup": "followups:detail"}`` (model name →
URL name taking the id, or a list page taking none) — so the worklist knows no app's URLs; without
one, the complaint page."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .services import Entry


def link_of(entry: Entry) -> str | None:
    app_label, _, model_name = entry.ref_model.partition(".")
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        config = None
    url_name = getattr(config, "work_item_urls", {}).get(model_name)
    if url_name:
        for args in ([entry.ref_id], []):
            try:
                return reverse(url_name, args=args)
            except NoReverseMatch:
                continue
    if entry.complaint_id:
        return reverse("complaints:complaint", args=[entry.complaint_id])
    return None

"""Writes of the territory app: reference import, authorities and their set-up lists."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.territory import reference
from parvis.territory.defaults import (
    DEFAULT_AUDIENCES,
    DEFAULT_SERVICES,
    default_elections,
)
from parvis.territory.models import Audience, Authority, Election, Service, Territory
from parvis.territory.vocabularies import Kind

IMPORT_BATCH = 2000
COPIED_FIELDS = [
    "name",
    "siren",
    "population",
    "epci_code",
    "departement_code",
    "region_code",
    "detail",
]


def territory_import(*, extract_path: Path | None = None) -> dict[str, int]:
    """Load (or update) the reference from the extract. Idempotent: running it twice
    changes nothing the second time. Returns counts of created and updated rows."""
    path = extract_path or reference.EXTRACT_PATH
    version = reference.read_metadata(path)["version"]
    rows = reference.read_extract(path)
    existing = {
        (territory.kind, territory.code): territory
        for territory in Territory.objects.all()
    }
    to_create: list[Territory] = []
    to_update: list[Territory] = []
    for row in rows:
        values = {
            "name": row.name,
            "search_name": reference.normalize_name(row.name),
            "siren": row.siren,
            "population": row.population,
            "epci_code": row.epci_code,
            "departement_code": row.departement_code,
            "region_code": row.region_code,
            "detail": row.detail,
            "dataset_version": version,
        }
        current = existing.get((row.kind, row.code))
        if current is None:
            to_create.append(Territory(kind=row.kind, code=row.code, **values))
        elif any(getattr(current, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            to_update.append(current)
    with transaction.atomic():
        Territory.objects.bulk_create(to_create, batch_size=IMPORT_BATCH)
        Territory.objects.bulk_update(
            to_update,
            [*COPIED_FIELDS, "search_name", "dataset_version"],
            batch_size=IMPORT_BATCH,
        )
    return {"created": len(to_create), "updated": len(to_update), "total": len(rows)}


def _unique_slug(name: str, code: str) -> str:
    base = slugify(name)[:60] or code
    slug = base
    if Authority.objects.filter(slug=slug).exists():
        slug = f"{base}-{code.lower()}"
    return slug


@transaction.atomic
def authority_create(
    *, territory_id: int, is_demo: bool = False, creator: Any = None
) -> Authority:
    """Create a collectivité from one reference entry, with its default audiences,
    services and elections; the creator (if any) becomes its administrator."""
    from parvis.accounts.roles import Role
    from parvis.accounts.services import membership_set
    from parvis.system.services import audit_record

    territory = Territory.objects.select_for_update().filter(pk=territory_id).first()
    if territory is None:
        raise ValidationError(
            _("Ce territoire n'existe pas dans le référentiel officiel.")
        )
    if Authority.objects.filter(territory=territory).exists():
        raise ValidationError(
            _("La collectivité « %(name)s » existe déjà dans Parvis.")
            % {"name": territory.name}
        )
    authority = Authority.objects.create(
        territory=territory,
        kind=territory.kind,
        code=territory.code,
        name=territory.name,
        slug=_unique_slug(territory.name, territory.code),
        population=territory.population,
        is_demo=is_demo,
    )
    authority_seed_defaults(authority=authority)
    # The usual report categories of its kind, so the public form and the Open311
    # service list work at once (the inbox owns them; imported here, not at the top,
    # because the foundation does not otherwise depend on the inbox).
    from parvis.inbox.services import report_categories_seed

    report_categories_seed(authority=authority)
    if creator is not None:
        membership_set(
            authority=authority, user=creator, role=Role.ADMIN, actor=creator
        )
    audit_record(
        actor=creator,
        authority=authority,
        action="authority.create",
        summary=f"Collectivité créée depuis le référentiel ({territory.code})",
        target=authority,
    )
    return authority


def authority_seed_defaults(*, authority: Authority) -> None:
    Audience.objects.bulk_create(
        [Audience(authority=authority, **values) for values in DEFAULT_AUDIENCES]
    )
    Service.objects.bulk_create(
        [
            Service(authority=authority, name=name, topics=topics)
            for name, topics in DEFAULT_SERVICES[Kind(authority.kind)]
        ]
    )
    Election.objects.bulk_create(
        [
            Election(
                authority=authority,
                kind=kind,
                first_round=first_round,
                second_round=second_round,
                is_estimated=True,
            )
            for kind, first_round, second_round in default_elections(authority.kind)
        ]
    )


def _changes(instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for field, value in values.items():
        before = getattr(instance, field)
        if before != value:
            changes[field] = [str(before), str(value)]
    return changes


@transaction.atomic
def authority_update_brand(
    *, authority: Authority, actor: Any, values: dict[str, Any]
) -> Authority:
    """Change logo and colours. `values` come validated from BrandForm (contrast
    checked there); a new logo replaces the old file."""
    from parvis.system.services import audit_record

    logo = values.pop("logo", None)
    changes = _changes(authority, values)
    for field, value in values.items():
        setattr(authority, field, value)
    fields = list(values)
    if logo is False:  # cleared
        authority.logo.delete(save=False)
        changes["logo"] = ["", "supprimé"]
        fields.append("logo")
    elif logo:
        authority.logo.save(f"{authority.slug}-{logo.name}", logo, save=False)
        changes["logo"] = ["", authority.logo.name]
        fields.append("logo")
    if fields:
        authority.save(update_fields=fields)
    if changes:
        audit_record(
            actor=actor,
            authority=authority,
            action="authority.brand",
            summary="Identité visuelle modifiée",
            target=authority,
            changes=changes,
        )
    return authority


def _save_owned(
    *,
    model: type[Any],
    authority: Authority,
    actor: Any,
    instance: Any,
    values: dict[str, Any],
    label: str,
) -> Any:
    from parvis.system.services import audit_record

    creating = instance is None
    if creating:
        instance = model(authority=authority)
    # A ModelForm has already copied the new values onto `instance`: compare with the
    # stored row.
    changes = (
        {} if creating else _changes(model._default_manager.get(pk=instance.pk), values)
    )
    for field, value in values.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    name = model._meta.model_name
    audit_record(
        actor=actor,
        authority=authority,
        action=f"{name}.{'create' if creating else 'update'}",
        summary=f"{label} « {instance} » {'créé' if creating else 'modifié'}",
        target=instance,
        changes=changes,
    )
    return instance


def _delete_owned(*, instance: Any, actor: Any, label: str) -> None:
    from parvis.system.services import audit_record

    audit_record(
        actor=actor,
        authority=instance.authority,
        action=f"{instance._meta.model_name}.delete",
        summary=f"{label} « {instance} » supprimé",
        target=instance,
    )
    instance.delete()


@transaction.atomic
def audience_save(
    *,
    authority: Authority,
    actor: Any,
    values: dict[str, Any],
    audience: Audience | None = None,
) -> Audience:
    if audience is None and not values.get("slug"):
        values["slug"] = slugify(values["name"])[:60]
    return _save_owned(
        model=Audience,
        authority=authority,
        actor=actor,
        instance=audience,
        values=values,
        label="Public",
    )


@transaction.atomic
def audience_delete(*, audience: Audience, actor: Any) -> None:
    _delete_owned(instance=audience, actor=actor, label="Public")


@transaction.atomic
def service_save(
    *,
    authority: Authority,
    actor: Any,
    values: dict[str, Any],
    service: Service | None = None,
) -> Service:
    members = values.pop("members", None)
    service = _save_owned(
        model=Service,
        authority=authority,
        actor=actor,
        instance=service,
        values=values,
        label="Service",
    )
    if members is not None:
        service.members.set(members)
    return service


@transaction.atomic
def service_delete(*, service: Service, actor: Any) -> None:
    _delete_owned(instance=service, actor=actor, label="Service")


@transaction.atomic
def election_save(
    *,
    authority: Authority,
    actor: Any,
    values: dict[str, Any],
    election: Election | None = None,
) -> Election:
    return _save_owned(
        model=Election,
        authority=authority,
        actor=actor,
        instance=election,
        values=values,
        label="Élection",
    )


@transaction.atomic
def election_delete(*, election: Election, actor: Any) -> None:
    _delete_owned(instance=election, actor=actor, label="Élection")

"""Team changes under concurrency, on real threads against PostgreSQL: adding one merchant
many times at once makes one membership; an owner demoting an admin while that admin
removes a member leaves the team as one of the two orders would. The ``postgres`` marker
skips these on SQLite."""

import pytest

from core.errors import AppError
from core.models import DomainEvent
from stores import team
from stores.models import StoreMembership, StoreRole
from stores.roles import FORBIDDEN
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def refusal(index: int, exc: BaseException):
    assert isinstance(exc, AppError), exc
    return (exc.status, exc.message)


def test_adding_one_merchant_at_once_makes_one_membership():
    owner = MerchantFactory()
    store = StoreFactory(owner=owner)
    MerchantFactory(user=UserFactory(username="colleague@example.com"))

    def add(index: int):
        membership = team.team_member_add(
            store_id=store.pk,
            email=" Colleague@example.com" if index % 2 else "colleague@example.com",
            role="member",
            actor_id=None if index % 2 else owner.pk,
        )
        return membership.role

    results = race(add, THREADS, on_error=refusal)

    assert sorted(results, key=str) == sorted(
        ["member"] + [(409, team.ALREADY_A_MEMBER)] * (THREADS - 1), key=str
    )
    assert StoreMembership.objects.filter(store=store).count() == 2
    assert DomainEvent.objects.filter(name="store.merchant_added").count() == 1


def test_a_demotion_and_the_demoted_admins_removal_serialize():
    owner, admin, member = MerchantFactory(), MerchantFactory(), MerchantFactory()
    store = StoreFactory(owner=owner)
    StoreMembership.objects.create(store=store, merchant=admin, role=StoreRole.ADMIN)
    StoreMembership.objects.create(store=store, merchant=member, role=StoreRole.MEMBER)

    def act(index: int):
        if index == 0:
            team.team_member_set_role(
                store_id=store.pk, merchant_id=admin.pk, role="member", actor_id=owner.pk
            )
            return "demoted"
        team.team_member_remove(store_id=store.pk, merchant_id=member.pk, actor_id=admin.pk)
        return "removed"

    for _ in range(5):
        results = race(act, 2, on_error=refusal)
        admin_role = StoreMembership.objects.get(store=store, merchant=admin).role
        member_left = StoreMembership.objects.filter(store=store, merchant=member).exists()
        assert admin_role == StoreRole.MEMBER
        # Either the removal ran first (by an admin), or it saw the demotion and was refused.
        if "removed" in results:
            assert not member_left
        else:
            assert (403, FORBIDDEN) in results and member_left
        StoreMembership.objects.filter(store=store, merchant=admin).update(role=StoreRole.ADMIN)
        StoreMembership.objects.get_or_create(
            store=store, merchant=member, defaults={"role": StoreRole.MEMBER}
        )

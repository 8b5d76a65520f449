"""Factories for the kernel: users, with the role groups of sodertorn/roles.py."""

import factory


def role_group(name: str):
    """The role groups (sodertorn/roles.py) exist after migrate; make sure anyway."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    from sodertorn.roles import ensure_roles

    if not Group.objects.filter(name=name).exists():
        ensure_roles(global_apps)
    return Group.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-password-123")


class MemberUserFactory(UserFactory):
    """A user with the idea-group member role (no membership yet)."""

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from ideagroups.roles import MEMBER

            self.groups.add(role_group(MEMBER))


class CuratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            from ideagroups.roles import CURATOR

            self.groups.add(role_group(CURATOR))

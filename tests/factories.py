import factory

from catalogue.kinds import ClueKind
from catalogue.models import Category, Clue, Module


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Test category {n}")
    slug = factory.Sequence(lambda n: f"test-category-{n}")
    position = factory.Sequence(lambda n: 100 + n)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"testmodule{n}")
    import_name = factory.LazyAttribute(lambda module: module.name)
    is_stdlib = True
    docs_url = factory.LazyAttribute(
        lambda module: f"https://docs.python.org/3/library/{module.name}.html"
    )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class ClueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clue
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"Does useful thing number {n}.")
    kind = ClueKind.DESCRIPTION

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.modules.set(extracted)

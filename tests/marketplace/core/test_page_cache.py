"""The whole-page cache mixin's contract (marketplace.core.page_cache)."""
from __future__ import annotations

import pytest
from django.views.generic import TemplateView

from marketplace.core.page_cache import WholePageCacheMixin


def test_a_cached_view_that_does_not_say_what_its_page_depends_on_is_refused_when_defined():
    with pytest.raises(TypeError, match="page_signature"):

        class Forgetful(WholePageCacheMixin, TemplateView):
            template_name = "base.html"


def test_a_cached_view_with_its_signature_is_accepted():
    class Careful(WholePageCacheMixin, TemplateView):
        template_name = "base.html"

        def page_signature(self):
            return None

    assert Careful().page_signature() is None

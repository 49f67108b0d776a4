from django import template

from marketplace.payments.checkout_step import card_payment_context

register = template.Library()


@register.inclusion_tag("payments/card_form.html")
def card_payment_form():
    """The card part of the checkout summary: test cards offline, Stripe Elements with real keys."""
    return card_payment_context()

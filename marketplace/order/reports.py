"""Oscar's « Commandes passées » report with each order's money as it stands now.

Oscar's report lists ``Order.total_incl_tax``, what was authorised at checkout; here
(found by Oscar's class loader under "order.reports", this app being Oscar's order app) each
row says what the card was charged less what was refunded, and the payment's state, like
the dashboard's order list (``marketplace.payments.selectors.orders_with_payment``).
"""
from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from oscar.apps.order import reports as oscar_reports

from marketplace.payments.money import euros
from marketplace.payments.selectors import OrderPaymentState, orders_with_payment


class OrderReportCSVFormatter(oscar_reports.OrderReportCSVFormatter):
    def generate_csv(self, response, orders):
        writer = self.get_csv_writer(response)
        writer.writerow([_("Commande"), _("Nom"), _("E-mail"), _("Encaissé net (€)"), _("État du paiement"),
                         _("Passée le")])
        for order in orders:
            writer.writerow([
                order.number, "-" if order.is_anonymous else order.user.get_full_name(), order.email,
                euros(order.paid_net_cents), OrderPaymentState(order.payment_state).label,
                self.format_datetime(order.date_placed),
            ])


class OrderReportHTMLFormatter(oscar_reports.OrderReportHTMLFormatter):
    filename_template = "dashboard/reports/order_report.html"


class OrderReportGenerator(oscar_reports.OrderReportGenerator):
    description = _("Commandes passées")
    formatters: ClassVar[dict] = {"CSV_formatter": OrderReportCSVFormatter, "HTML_formatter": OrderReportHTMLFormatter}

    def get_queryset(self):
        return orders_with_payment(super().get_queryset().select_related("user"))

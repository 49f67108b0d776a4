"""One outbox for the e-mails an order sends to its shopper (see ``services``)."""

"""The merchant domain: shops, their hours and closures, and their back-office."""

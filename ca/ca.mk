# ca/: the certification authority half of the core (authority, policy,
# issue, request, certstore, export).

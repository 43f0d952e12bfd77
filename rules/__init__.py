"""Rules: the law registry, citation resolution, the clause matcher, the rule catalogue, recommendations. Pure."""

"""Forms and lists of the partner admin, for its tests."""

WRONG_STORE = "Every product must belong to the chosen store."


def grant_data(partner, store, products=(), **overrides) -> dict:
    data = {
        "partner": str(partner.pk),
        "store": str(store.pk),
        "products": [str(product.pk) for product in products],
        "_save": "Save",
    }
    data.update(overrides)
    return data


def result_list(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)

"""The seed's procedure as its French text says it, in a browser set to French.

The clerk reads the French names of UI-CONTRACT.md and types the amount the
French way: "120,00".
"""

import re

import pytest
from playwright.sync_api import expect

from orders.models import SalesOrder
from tests.e2e.conftest import summary_row

pytestmark = pytest.mark.e2e


def test_a_french_clerk_follows_the_procedure_word_for_word(french_page, demo_data):
    page = french_page
    page.goto("/")
    page.get_by_label(re.compile("utilisateur")).fill("clerk")
    page.get_by_label("Mot de passe").fill("clerk")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Service client")).to_be_visible()

    # Recherche de clients: « Karen », Rechercher.
    page.get_by_label("Recherche de clients").fill("Karen")
    page.get_by_role("button", name="Rechercher").click()
    results = page.get_by_role("dialog", name="Recherche de clients")
    results.get_by_role("row").filter(has_text="2001").filter(has_text="Karen Berg").click()
    results.get_by_role("button", name="Sélectionner").click()

    page.get_by_role("button", name="Nouvelle commande client").click()

    # En-tête : Mode de livraison 99 Standard.
    page.get_by_role("tab", name="En-tête").click()
    page.get_by_label("Mode de livraison", exact=True).select_option(label="99 Standard")

    # Lignes : Numéro d'article 81327, Quantité, Code source, Ajouter une ligne.
    page.get_by_role("tab", name="Lignes").click()
    page.get_by_label("Numéro d'article", exact=True).fill("81327")
    page.get_by_role("option", name=re.compile(r"^81327 ")).click()
    page.get_by_label("Quantité", exact=True).fill("1")
    page.get_by_label("Code source", exact=True).select_option(label="FAB26 – Fabrikam semiannual")
    page.get_by_role("button", name="Ajouter une ligne").click()
    lines = page.get_by_role("table", name="Lignes de commande client")
    expect(lines.get_by_role("row").filter(has_text="81327")).to_have_count(1)

    # Terminer : le Résumé de la commande client montre le solde dû, 120,00.
    page.get_by_role("button", name="Terminer").click()
    summary = page.get_by_role("dialog", name="Résumé de la commande client")
    expect(summary_row(summary, "Solde")).to_contain_text("120,00")
    expect(summary_row(summary, "Frais")).to_contain_text("10,00")
    expect(summary.get_by_role("heading", name="Paiements")).to_be_visible()

    # Paiements : Ajouter, Espèces, 120,00, OK.
    page.get_by_role("button", name="Ajouter", exact=True).click()
    payment = page.get_by_role("dialog", name="Saisir les informations de paiement du client")
    expect(payment).to_be_visible()
    page.get_by_label("Moyen de paiement", exact=True).select_option(label="Espèces")
    page.get_by_label("Montant du paiement", exact=True).fill("120,00")
    page.get_by_role("button", name="OK").click()

    summary = page.get_by_role("dialog", name="Résumé de la commande client")
    expect(summary_row(summary, "Payé")).to_contain_text("120,00")
    page.get_by_role("button", name="Soumettre").click()

    expect(page.locator("#order-status")).to_have_text("Soumise")
    order = SalesOrder.objects.get(customer__account_number="2001")
    assert order.status == SalesOrder.Status.SUBMITTED
    assert str(order.amount_paid) == "120.00"

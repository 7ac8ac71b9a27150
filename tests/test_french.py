"""The French translations: the names of the UI contract, and a compiled catalog that is
up to date with its source (the .mo is committed, so a CI machine needs no gettext)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

# The "Names (English — French)" table of UI-CONTRACT.md. Its "Cash" option is left
# out: it is the demo payment method's French name, data checked in test_demo_data.py.
CONTRACT_NAMES = [
    ("Customer service", "Service client"),
    ("Customer search", "Recherche de clients"),
    ("Search", "Rechercher"),
    ("Select", "Sélectionner"),
    ("New sales order", "Nouvelle commande client"),
    ("Header", "En-tête"),
    ("Mode of delivery", "Mode de livraison"),
    ("Lines", "Lignes"),
    ("Item number", "Numéro d'article"),
    ("Quantity", "Quantité"),
    ("Source code", "Code source"),
    ("Add line", "Ajouter une ligne"),
    ("Sales order lines", "Lignes de commande client"),
    ("Complete", "Terminer"),
    ("Sales order summary", "Résumé de la commande client"),
    ("Subtotal", "Sous-total"),
    ("Charges", "Frais"),
    ("Discounts", "Remises"),
    ("Tax", "Taxe"),
    ("Total", "Total"),
    ("Paid", "Payé"),
    ("Balance", "Solde"),
    ("Payments", "Paiements"),
    ("Add", "Ajouter"),
    ("Enter customer payment information", "Saisir les informations de paiement du client"),
    ("Payment method", "Moyen de paiement"),
    ("Payment amount", "Montant du paiement"),
    ("OK", "OK"),
    ("Submit", "Soumettre"),
    ("Submitted", "Soumise"),
]

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(("english", "french"), CONTRACT_NAMES)
def test_the_contract_names_are_translated_into_french(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french


# A minimal reader of .po files: enough for what makemessages writes.

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def read_po(path):
    """The entries of a .po file: dicts of msgctxt, msgid, msgid_plural, msgstr and
    msgstr[n] (unescaped, continuation lines joined), plus "fuzzy". Obsolete entries
    (#~) are left out."""
    entries, entry, key = [], None, None

    def close():
        if entry and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"fuzzy": False}
        if line.startswith("#,"):
            entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line[2:].replace(" ", "").split(",")
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            key = match.group(1)
            entry[key] = _unescape(match.group(2))
        elif line.startswith('"') and line.endswith('"') and key:
            entry[key] += _unescape(line[1:-1])
        else:
            raise ValueError(f"{path}: cannot read {line!r}")
    close()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_the_po_file_is_read():
    entries = read_po(PO_FILE)
    assert len(entries) > 300
    assert {"msgid": "Quantity", "msgstr": "Quantité", "fuzzy": False} in entries


def test_every_french_entry_is_translated_and_not_fuzzy():
    unfinished = [
        e["msgid"]
        for e in read_po(PO_FILE)
        if e["fuzzy"] or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert unfinished == []


def test_the_compiled_catalog_has_every_translation_of_the_po_file():
    """Fails when the .po was changed and the .mo not recompiled: run
    msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po"""
    stale = []
    with translation.override("fr"):
        for e in read_po(PO_FILE):
            if e["fuzzy"]:
                continue
            context = e.get("msgctxt")
            if "msgid_plural" in e:
                # French: plural=(n > 1), so 1 takes msgstr[0] and 2 takes msgstr[1]
                for n, index in ((1, 0), (2, 1)):
                    expected = e.get(f"msgstr[{index}]")
                    if not expected:
                        continue
                    if context is None:
                        got = translation.ngettext(e["msgid"], e["msgid_plural"], n)
                    else:
                        got = translation.npgettext(context, e["msgid"], e["msgid_plural"], n)
                    if got != expected:
                        stale.append((e["msgid"], n, expected, got))
            elif e.get("msgstr"):
                if context is None:
                    got = translation.gettext(e["msgid"])
                else:
                    got = translation.pgettext(context, e["msgid"])
                if got != e["msgstr"]:
                    stale.append((e["msgid"], e["msgstr"], got))
    assert stale == []


@pytest.mark.django_db
def test_the_language_chosen_in_the_header_stays_for_the_session(client, clerk):
    from django.urls import reverse

    client.force_login(clerk)
    page = client.get(reverse("customers:service")).content.decode()
    assert '<label for="language-switch"' in page
    assert '<option value="fr" lang="fr"' in page and "Français" in page
    response = client.post(
        reverse("set_language"), {"language": "fr"}, HTTP_REFERER="http://testserver/"
    )
    assert response.status_code == 302
    assert response.url == "http://testserver/"
    french = client.get(reverse("customers:service")).content.decode()
    assert '<html lang="fr">' in french
    assert "Service client" in french


@pytest.mark.django_db
def test_the_login_page_can_be_switched_to_french(client):
    from django.urls import reverse

    login = reverse("login")
    response = client.post(
        reverse("set_language"), {"language": "fr"}, HTTP_REFERER=f"http://testserver{login}"
    )
    assert response.status_code == 302
    assert response.url == f"http://testserver{login}"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in page


def test_french_puts_a_non_breaking_space_before_a_colon_semicolon_and_marks():
    """ "Solde dû : …", never "Solde dû: …" nor a plain space the line could break at
    (times "12:30" and addresses "https://" aside)."""
    wrong = []
    for e in read_po(PO_FILE):
        for key, text in e.items():
            if not key.startswith("msgstr") or not text:
                continue
            for match in re.finditer(r"(.)([:;!?])", text):
                before, mark = match.groups()
                after = text[match.end() : match.end() + 1]
                if before in "\u00a0\u202f" or (mark == ":" and (before.isdigit() or after == "/")):
                    continue
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_french_writes_the_apostrophe_one_way():
    """The straight apostrophe of the UI contract ("Numéro d'article"), never a mix of it
    and the typographic one on the same page."""
    curly = [
        e["msgid"]
        for e in read_po(PO_FILE)
        if any(key.startswith("msgstr") and "\u2019" in text for key, text in e.items())
    ]
    assert curly == []

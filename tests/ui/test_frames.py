import pandas as pd

from ess_geo.ui import chrome, frames, share


def type_config(column):
    return column["type_config"]


def test_french_columns_give_every_number_column_a_french_format():
    frame = pd.DataFrame(
        {
            "nom": ["Brest"],
            "emplois_1000_hab": [3.29],
            "Indice de spécificité (France = 1)": [0.754],
            "part_emploi": [0.125],
            "Population": pd.array([209722], dtype="int64"),
            "autre": [1.23456],
            "choisi": [True],
        }
    )
    kept = {"Population": {"label": "Habitants"}}
    config = frames.french_columns(frame, kept)
    assert set(config) == {
        "emplois_1000_hab",
        "Indice de spécificité (France = 1)",
        "part_emploi",
        "Population",
        "autre",
    }
    assert config["Population"] == {"label": "Habitants"}  # kept as given
    per_1000 = config["emplois_1000_hab"]
    assert per_1000["label"] == "emplois_1000_hab"
    assert type_config(per_1000)["format"] == "localized"
    assert type_config(per_1000)["step"] == 0.1  # the registry's 1 decimal
    specificity = type_config(config["Indice de spécificité (France = 1)"])
    assert (specificity["format"], specificity["step"]) == ("localized", 0.01)
    share_ = type_config(config["part_emploi"])
    assert (share_["format"], share_["step"]) == ("percent", 0.001)  # 12,5 %
    other = type_config(config["autre"])
    assert (other["format"], other["step"]) == ("localized", None)


def test_number_column_integers_and_shares():
    whole = frames.number_column("Emplois", 0)
    assert whole["label"] == "Emplois"
    assert type_config(whole)["format"] == "localized"
    assert type_config(whole)["step"] == 1
    share_ = frames.number_column("Part couverte", 1, share=True)
    assert type_config(share_)["format"] == "percent"
    assert type_config(share_)["step"] == 0.001


def test_phone_columns_fit_three_to_a_row():
    frame = pd.DataFrame({"Rang": [1], "Territoire": ["x"], "Score": [84.3]})
    config = frames._narrow(frame, ["Rang", "Territoire", "Score"], {}, False)
    assert [config[c]["width"] for c in ("Rang", "Territoire", "Score")] == [
        "medium",
        "small",
        "small",
    ]
    with_index = frames._narrow(frame, ["Score"], {"Score": "Le score"}, True)
    assert with_index["_index"] == {"width": "medium"}
    assert with_index["Score"] == {"label": "Le score", "width": "small"}


def test_the_shim_and_the_copy_button_are_constants_in_one_place():
    shim = chrome.FRENCH_SHIM
    assert shim.startswith("<style>\n/* ESS Territoires")
    assert "Aller au contenu principal" in shim
    assert shim.count("<script>") == 1 and shim.endswith("</script>")
    assert "data-ess-copy-link" in share.COPY_LINK_HTML
    assert share.COPY_LINK_LABEL in share.COPY_LINK_HTML
    assert 'role="status"' in share.COPY_LINK_HTML


def test_each_copy_of_a_responsive_table_carries_only_its_columns(monkeypatch):
    sent = []
    monkeypatch.setattr(
        frames.st, "dataframe", lambda data, **options: sent.append(list(data.columns))
    )
    frame = pd.DataFrame(
        {"rang": [1], "nom": ["Brest"], "population": [1], "code": ["x"], "extra": [2]}
    )
    frames.responsive_table(
        frame, "t", ["rang", "nom"], column_order=["rang", "nom", "population", "code"]
    )
    assert sent == [
        ["rang", "nom", "population", "code"],  # the whole table: not "extra"
        ["rang", "nom"],  # the phone's key columns
        ["population", "code"],  # the phone's other columns, in the expander
    ]

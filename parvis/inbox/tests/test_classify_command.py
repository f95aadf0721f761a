import csv
import io

import pytest
from django.core.management import CommandError, call_command


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_classify_keeps_the_columns_and_adds_the_labels(tmp_path):
    source = write(
        tmp_path / "in.csv",
        "id,text,canal\n1,Le lampadaire de la rue des Lilas est en panne,web\n"
        '2,"Quand ouvre la piscine, le dimanche ?",x\n',
    )
    output = tmp_path / "out.csv"
    call_command("classify", str(source), output=str(output), stderr=io.StringIO())
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["1", "2"]
    assert rows[1]["canal"] == "x"
    assert rows[0]["topic"] == "voirie" and rows[1]["intent"] == "question"
    for column in ("topic", "intent", "sentiment", "urgency", "level", "abuse"):
        assert column in rows[0] and f"confidence_{column}" in rows[0]
        assert 0 <= float(rows[0][f"confidence_{column}"]) <= 1


def test_semicolons_and_a_byte_order_mark_are_understood(tmp_path):
    source = write(tmp_path / "in.csv", "\ufefftext;n\nMerci pour le concert !;1\n")
    out = io.StringIO()
    call_command("classify", str(source), stdout=out)
    header, row = out.getvalue().splitlines()
    assert header.startswith("text;n;topic;")
    assert row.startswith("Merci pour le concert !;1;culture;remerciement")


def test_mask_hides_personal_data_in_the_text(tmp_path):
    source = write(tmp_path / "in.csv", "text\nRappelez-moi au 06 12 34 56 78\n")
    out = io.StringIO()
    call_command("classify", str(source), mask=True, stdout=out)
    assert "[téléphone]" in out.getvalue() and "06 12" not in out.getvalue()


def test_a_file_without_text_column_is_refused_clearly(tmp_path):
    source = write(tmp_path / "in.csv", "message,id\nbonjour,1\n")
    with pytest.raises(CommandError, match="no `text` column"):
        call_command("classify", str(source))


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path):
    source = write(tmp_path / "in.csv", "text\nrésumé\n", encoding="latin-1")
    with pytest.raises(CommandError, match=r"not UTF-8 text .*line 2"):
        call_command("classify", str(source))


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("classify", str(tmp_path / "absent.csv"))


def test_evaluate_prints_scores_per_label_and_macro_f1(tmp_path):
    source = write(
        tmp_path / "labelled.csv",
        "text,topic,intent,abuse,split\n"
        "Le lampadaire de ma rue est éteint depuis lundi.,voirie,signalement,0,dev\n"
        "Quels sont les horaires de la piscine ?,culture,question,0,dev\n"
        "Bande de connards incapables.,autre,abus,1,dev\n"
        "Bonjour,autre,autre,0,test\n",
    )
    out = io.StringIO()
    call_command("classify", evaluate=str(source), split="dev", stdout=out)
    report = out.getvalue()
    assert "topic: macro-F1" in report and "intent: macro-F1" in report
    assert "precision" in report and "recall" in report
    assert "(3 messages)" in report
    assert "abuse: precision 1.000, recall 1.000" in report
    assert "macro-F1: topic" in report

"""The command line as an operator uses it: separate processes, real files, both databases."""

import os
import subprocess
import sys
from pathlib import Path

from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parent.parent
TOKEN = fake_bot_token("cli")


def run(args: list[str], cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env={**clean, **env})


def test_no_token_starts_console_with_demo_roster(tmp_path):
    result = run([], tmp_path, "/members\n/as Gabriela\n/me\n")
    assert result.returncode == 0, result.stderr
    assert "No Telegram token is configured" in result.stderr
    assert "13 committee members" in result.stdout
    assert "Mary Karol Luna" in result.stdout
    assert "Su perfil" in result.stdout and "America/La_Paz" in result.stdout
    assert (tmp_path / "console.db").exists()
    assert "handled by" not in result.stderr  # no log line per update between the answers


def test_console_as_member_and_group(tmp_path):
    result = run(["console", "--as", "samy"], tmp_path, "/group\n/members\n/press 9\n/as nobody at all\n")
    assert result.returncode == 0, result.stderr
    assert "You are now Samy Arokiasamy" in result.stdout
    assert "[private] 13 committee members" in result.stdout
    assert "I sent you the answer in a private message." in result.stdout
    assert "No single member matches" in result.stdout


def test_run_without_token_is_one_clear_line(tmp_path):
    result = run(["run"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "telegram.token" in result.stderr


def test_bad_configuration_is_one_clear_line(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[reminders]\nmeeting_offsets = ["1x"]\n')
    result = run(["db", "upgrade", "--config", str(config)], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "inspir-bot: configuration key reminders.meeting_offsets: not a duration like 2d, 24h or 90m: '1x'")
    result = run(["db", "upgrade"], tmp_path, INSPIR_CONFIG=str(tmp_path / "missing.toml"))
    assert result.returncode == 2 and "configuration file not found" in result.stderr


def test_token_never_printed(tmp_path):
    result = run(["run"], tmp_path, INSPIR_TELEGRAM__TOKEN=TOKEN,
                 INSPIR_TELEGRAM__BASE_URL="http://127.0.0.1:9/bot", INSPIR_LOGGING__LEVEL="DEBUG")
    assert result.returncode == 1
    assert TOKEN not in result.stderr + result.stdout
    assert TOKEN.split(":")[1] not in result.stderr + result.stdout


def test_roster_import_export_round_trip(tmp_path, db_url):
    roster = tmp_path / "roster.toml"
    roster.write_text('[[members]]\nname = "Ana Pérez"\nrole = "representative"\n'
                      'timezone = "America/Lima"\nlanguage = "es"\n\n'
                      '[[members]]\nname = "Rai Gurung"\nrole = "chair"\ntimezone = "Asia/Kathmandu"\n',
                      encoding="utf-8")
    result = run(["roster", "import", str(roster)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert "To add (2):" in result.stdout and "Applied." in result.stdout
    assert "• Rai Gurung (entry 2): time zone: Asia/Kathmandu; titles: chair" in result.stdout
    result = run(["roster", "export", "--format", "csv"], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.stdout.splitlines()[0].startswith("name,role,access,network")
    assert "Rai Gurung,chair,chair" in result.stdout
    exported = tmp_path / "export.csv"
    exported.write_text(result.stdout, encoding="utf-8")
    again = run(["roster", "import", str(exported)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert again.returncode == 0 and "No change" in again.stdout and "2 members unchanged." in again.stdout


def test_roster_dry_run_and_conflicts_in_the_operators_language(tmp_path, db_url):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,timezone,telegram_id\nAna Pérez,Presidenta,America/Lima,\n"
                      "Rai Gurung,representative,Asia/Kathmandu,4242\n", encoding="utf-8")
    assert run(["roster", "import", str(roster)], tmp_path, INSPIR_DATABASE__URL=db_url).returncode == 0
    partial = tmp_path / "partial.csv"
    partial.write_text("name,organisation\nAna Pérez,FOS\n", encoding="utf-8")
    result = run(["roster", "import", "--dry-run", "--lang", "fr", str(partial)], tmp_path,
                 INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert "À modifier (1)\u00a0:" in result.stdout
    assert "• Ana Pérez (ligne 2)\u00a0: organisation\u00a0: — → FOS" in result.stdout
    assert "Absents du fichier, laissés tels quels\u00a0: Rai Gurung." in result.stdout
    assert "Essai à blanc\u00a0: rien n’a été modifié." in result.stdout
    export = run(["roster", "export", "--format", "csv"], tmp_path, INSPIR_DATABASE__URL=db_url).stdout
    assert "FOS" not in export
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("name,telegram_id\nBob Smith,4242\n", encoding="utf-8")
    result = run(["roster", "import", "--lang", "es", str(renamed)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 1
    assert "No se cambió nada: 1 línea requiere antes una decisión." in result.stderr
    assert "línea 2: esta línea cambiaría el nombre de Rai Gurung" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_roster_file_reports_lines_and_imports_nothing(tmp_path, db_url):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,role,timezone\nAna,chair,America/Lima\nBob,,Nowhere/Town\n", encoding="utf-8")
    result = run(["roster", "import", str(bad)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 1
    assert "line 3: timezone" in result.stderr
    result = run(["roster", "export", "--format", "json"], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.stdout.strip() == "[]"


def test_orgs_import(tmp_path, db_url):
    result = run(["orgs", "import", str(ROOT / "data" / "organisations.csv")], tmp_path,
                 INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert "167 created" in result.stdout


def test_roster_files_saved_by_french_and_spanish_spreadsheet_programs(tmp_path, db_url):
    # LibreOffice Calc in French: semicolons, UTF-8 with a byte-order mark, CRLF line ends.
    calc = tmp_path / "membres.csv"
    calc.write_bytes("\ufeffname;role;timezone;organisation\r\nAna Pérez;Présidente;America/Lima;FOS\r\n"
                     .encode("utf-8"))
    result = run(["roster", "import", "--lang", "fr", str(calc)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("Fichier lu en UTF-8 avec indicateur d’ordre des octets (BOM), "
                                             "cellules séparées par des points-virgules.")
    assert "• Ana Pérez (ligne 2)\u00a0:" in result.stdout and "Appliqué." in result.stdout
    # An older Excel in Spanish: semicolons, Windows-1252.
    excel = tmp_path / "miembros.csv"
    excel.write_bytes("name;role;timezone;country\r\nJosé Núñez;representative;America/Bogota;Colombia\r\n"
                      .encode("cp1252"))
    result = run(["roster", "import", "--lang", "es", str(excel)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert "Archivo leído como Windows-1252, celdas separadas por punto y coma." in result.stdout
    # A comma-separated UTF-8 file, as the export writes it.
    plain = tmp_path / "roster.csv"
    plain.write_text("name,country\nAna Pérez,Perú\n", encoding="utf-8")
    result = run(["roster", "import", str(plain)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "File read as UTF-8, cells separated by commas."
    export = run(["roster", "export", "--format", "csv"], tmp_path, INSPIR_DATABASE__URL=db_url).stdout
    assert "Ana Pérez,chair,chair,,FOS,Perú,America/Lima" in export
    assert "José Núñez,representative,member,,,Colombia,America/Bogota" in export


def test_roster_errors_name_the_line_as_the_spreadsheet_shows_it(tmp_path, db_url):
    """Header = line 1; a cell with a line break in it is one line; an empty line is a line."""
    bad = tmp_path / "bad.csv"
    bad.write_text('name,organisation,timezone\n"Ana Pérez","FOS\nLima office",America/Lima\n\n'
                   'Bob,,Nowhere/Town\nEve,,UTC,,\nZoé,,UTC,x\n', encoding="utf-8")
    result = run(["roster", "import", str(bad)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 1
    assert "line 6: more cells than columns" in result.stderr  # line 5's empty extra cells are fine
    bad.write_bytes(bad.read_bytes().replace(b",x\n", b"\n"))
    result = run(["roster", "import", str(bad)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 1
    assert "line 2: organisation: contains control characters" in result.stderr
    assert "line 4: timezone: unknown IANA time zone 'Nowhere/Town'" in result.stderr
    assert "line 5" not in result.stderr and "line 6" not in result.stderr
    unreadable = tmp_path / "unicode.csv"
    unreadable.write_bytes("name\nAna\n".encode("utf-16"))
    result = run(["roster", "import", str(unreadable)], tmp_path, INSPIR_DATABASE__URL=db_url)
    assert result.returncode == 1 and "UTF-16" in result.stderr and "Traceback" not in result.stderr

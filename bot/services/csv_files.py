"""CSV files as office spreadsheet programs save them.

French and Spanish spreadsheet programs separate cells with ``;`` (the comma is their decimal
mark), often write a UTF-8 byte-order mark, and older ones save in Windows-1252. The file is
decoded as UTF-8 (with or without the mark) when it is valid UTF-8, else as Windows-1252; the
separator is the one (``,`` or ``;``) that splits the header line into the columns expected.

Rows are numbered as the spreadsheet shows them: the header is row 1, a cell holding a line
break does not shift the rows after it, and an empty line is a row.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

UTF8, UTF8_BOM, WINDOWS_1252 = "utf-8", "utf-8-sig", "cp1252"
SEPARATORS = (",", ";")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableFile(ValueError):
    """The file is not text this reader knows (the message says what to do, for the operator)."""


@dataclass(frozen=True)
class CsvFormat:
    """How a file was read: ``encoding`` one of UTF8, UTF8_BOM, WINDOWS_1252; ``separator``."""

    encoding: str
    separator: str


@dataclass
class CsvTable:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    format: CsvFormat


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    if data.startswith(_UTF16_BOMS):
        raise UnreadableFile("the file is UTF-16 (\"Unicode text\"): save it as CSV, UTF-8 or Windows-1252")
    if data.startswith(_BOM):
        try:
            return data[len(_BOM):].decode(UTF8), UTF8_BOM
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"the file starts as UTF-8 but is not UTF-8 ({error.reason} "
                                 f"at byte {error.start + len(_BOM)})") from None
    try:
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(WINDOWS_1252), WINDOWS_1252
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the file is neither UTF-8 nor Windows-1252 (byte 0x{data[error.start]:02x} "
                             f"at {error.start})") from None


def _separator(text: str, expected: Iterable[str]) -> str:
    """The separator splitting the header into the most expected column names (``,`` on a tie)."""
    first = text.splitlines()[0] if text else ""
    wanted = set(expected)

    def score(separator: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=separator), [])
        return len(wanted & {cell.strip() for cell in cells}), len(cells)

    return max(SEPARATORS, key=score)  # max keeps the first of equals: the comma


def read_csv(path: Path, expected: Iterable[str]) -> CsvTable:
    """The header, the rows (numbered), and how the file was read. Header cells are trimmed, and
    empty ones at the end of the header (a spreadsheet's stray formatted column) are dropped."""
    text, encoding = decode(path.read_bytes())
    separator = _separator(text, expected)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [cell.strip() for cell in next(records, [])]
    while header and not header[-1]:
        header.pop()
    rows = [(number, cells) for number, cells in enumerate(records, start=2)]
    return CsvTable(header, rows, CsvFormat(encoding, separator))

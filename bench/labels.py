"""Label sheet rendering: one full A4 page (21 labels) as PNG, and as PDF.

Draws the same sheet the seller downloads (`certification.labels.sheet_png`/`sheet_pdf`),
with 21 package codes whose QR codes hold full verify URLs, inside an app context (fonts
and settings as configured). No database: the time is that of drawing and encoding.
Each round draws a sheet of codes never drawn before, then the same sheet again (a seller
looking at the sheet, then downloading it). Prints medians and the slowest round.

    .venv/bin/python bench/labels.py [--rounds 7]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds

    from marketplace import create_app
    from marketplace.certification.services import labels, trace_codes

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench",
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="terroir-bench-")})
    with app.test_request_context():
        def sheet_of_new_codes():
            codes = [trace_codes.new_code() for _ in range(21)]
            sheet_labels = [labels.Label(code, trace_codes.display(code), n + 1,
                                         f"https://terroir.example.cn/verify/{trace_codes.display(code)}")
                            for n, code in enumerate(codes)]
            extra = {}
            if "public_address" in labels.LabelSheet.__dataclass_fields__:
                extra = {"product_name_zh": "龙井茶", "public_address": "terroir.example.cn/verify"}
            return labels.LabelSheet(SimpleNamespace(number="CERT-330106-2026-7KQ3M2"), "龙井茶", sheet_labels,
                                     21, False, **extra)

        for name, render in (("PNG page", labels.sheet_png), ("PDF page", labels.sheet_pdf)):
            render(sheet_of_new_codes())  # warm-up: fonts, imports
            first, again = [], []
            for _ in range(rounds):
                sheet = sheet_of_new_codes()  # codes never drawn before
                start = time.perf_counter()
                render(sheet)
                first.append(time.perf_counter() - start)
                start = time.perf_counter()
                render(sheet)
                again.append(time.perf_counter() - start)
            print(f"{name}: new codes median {statistics.median(first):.2f} s (slowest {max(first):.2f} s); "
                  f"same sheet again median {statistics.median(again):.2f} s ({rounds} rounds)")


if __name__ == "__main__":
    main()

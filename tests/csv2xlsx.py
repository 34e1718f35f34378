#!/usr/bin/python3
"""tests/csv2xlsx.py — write a CSV file as an .xlsx workbook (test fixture maker).

usage: csv2xlsx.py IN.csv OUT.xlsx [--numbers] [--shared] [--sheet NAME] [--first-sheet NAME]

--numbers      cells that read as numbers are stored as numbers (else all text)
--shared       text in the shared strings table (default: inline strings)
--sheet NAME   name of the data worksheet (default Sheet1)
--first-sheet NAME  put an empty worksheet NAME before the data sheet
Without --shared, openpyxl's write-only mode streams rows (large files stay small).
"""
import csv, sys
from openpyxl import Workbook

def main():
    args = sys.argv[1:]
    src, dst = args[0], args[1]
    numbers = '--numbers' in args
    sheet = args[args.index('--sheet') + 1] if '--sheet' in args else 'Sheet1'
    first = args[args.index('--first-sheet') + 1] if '--first-sheet' in args else None
    shared = '--shared' in args
    wb = Workbook(write_only=not shared)
    if shared:
        wb.remove(wb.active)
    if first:
        wb.create_sheet(first).append(['nothing here'])
    ws = wb.create_sheet(sheet)
    with open(src, newline='', encoding='utf-8-sig') as f:
        for i, row in enumerate(csv.reader(f)):
            if numbers and i > 0:
                out = []
                for v in row:
                    try:
                        x = float(v) if ('.' in v or 'e' in v.lower()) else int(v)
                        out.append(x if v.strip() == v and not (v.startswith('0') and len(v) > 1 and '.' not in v) else v)
                    except ValueError:
                        out.append(v if v != '' else None)
                row = out
            else:
                row = [v if v != '' else None for v in row]
            ws.append(row)
    wb.save(dst)

main()

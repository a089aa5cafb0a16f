#!/usr/bin/python3
"""Fills translations/spyglass_de.ts and spyglass_zh_CN.ts from the tables in
translations/strings_de_zh.py (source text -> German, Chinese), for the entries that lupdate
left unfinished. Run after `./dev.sh translations` when new strings have been added to the
tables; entries without a table row stay unfinished (Qt shows the English text for them) and
are listed on stdout so they can be translated.

Plural messages (%n) take a tuple per language: German (one, other), Chinese (other,).
"""

import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strings_de_zh import STRINGS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def fill(path, lang_index):
    tree = ET.parse(path)
    missing = []
    for ctx in tree.getroot().iter("context"):
        for msg in ctx.iter("message"):
            src = msg.find("source").text or ""
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            if tr.get("type") not in ("unfinished", None) and (tr.text or len(tr)):
                continue
            if tr.get("type") is None and ((tr.text or "").strip() or len(tr)):
                continue  # finished by hand
            row = STRINGS.get(src)
            if row is None:
                missing.append(f"{ctx.find('name').text}: {src!r}")
                continue
            value = row[lang_index]
            for child in list(tr):
                tr.remove(child)
            tr.text = None
            if msg.get("numerus") == "yes":
                forms = value if isinstance(value, tuple) else (value,)
                for form in forms:
                    ET.SubElement(tr, "numerusform").text = form
            else:
                tr.text = value[0] if isinstance(value, tuple) else value
            tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")
    return missing


def main():
    status = 0
    for name, index in (("spyglass_de.ts", 0), ("spyglass_zh_CN.ts", 1)):
        missing = fill(os.path.join(HERE, name), index)
        for m in missing:
            print(f"{name}: untranslated {m}")
        status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main())
